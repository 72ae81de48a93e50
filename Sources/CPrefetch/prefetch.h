// Cache prefetch hints, which Swift has no spelling for. The explorer asks for its visited set's slot while it
// judges a transition, so that the probe that follows finds the line in cache; LeaseCache asks for the next waiting
// call's memory one call ahead. Static inline, so nothing links. A prefetch never faults, whatever the address.
#ifndef LEASELAB_PREFETCH_H
#define LEASELAB_PREFETCH_H

static inline void leaselab_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Every cache line of `bytes` bytes from `address`, for reading.
static inline void leaselab_prefetch_range(const void *address, long bytes) {
    const char *line = (const char *)address;
    for (long offset = 0; offset < bytes; offset += 64) {
        __builtin_prefetch(line + offset, 0, 3);
    }
}

#endif
