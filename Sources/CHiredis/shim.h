#ifndef LEASELAB_CHIREDIS_SHIM_H
#define LEASELAB_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
