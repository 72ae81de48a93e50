// A cache prefetch hint, which Swift has no spelling for: the explorer asks for its visited set's slot while it
// judges a transition, so that the probe that follows finds the line in cache. Static inline, so nothing links.
#ifndef LEASELAB_PREFETCH_H
#define LEASELAB_PREFETCH_H

static inline void leaselab_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
