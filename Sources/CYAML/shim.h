#ifndef LEASELAB_CYAML_SHIM_H
#define LEASELAB_CYAML_SHIM_H
#include <yaml.h>
#endif
