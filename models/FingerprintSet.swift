import CPrefetch

#if canImport(Glibc)
import Glibc
#endif

/// The explorer's visited set: fingerprints only, in one open-addressing table with linear probing.
///
/// Eight bytes a slot and at most three quarters full, so 11 to 21 bytes per distinct state; no keys or states
/// are kept (the explorer's parent links recover any path by replay).
///
/// Each insert probes a random slot of a table of tens of megabytes: a cache miss, and with 4 KB pages a TLB miss
/// too. A large table is therefore aligned to 2 MB and offered to the kernel for huge pages (`madvise`, honoured
/// where Linux's transparent huge pages allow it; elsewhere it is an ordinary table).
struct FingerprintSet {
    /// The slots; 0 marks an empty one (a fingerprint of 0 is stored as 1: one more collision in 2⁶⁴).
    private var table: SlotTable
    private(set) var count = 0

    init(minimumCapacity: Int = 64) {
        var capacity = 16
        while capacity < minimumCapacity { capacity <<= 1 }
        table = SlotTable(count: capacity)
    }

    /// The bytes the table holds.
    var bytes: Int { table.count * MemoryLayout<UInt64>.stride }

    /// Asks the memory system for the slot where `fingerprint`'s probe starts: the explorer does this as soon as it
    /// has a successor's fingerprint, and judges the transition while the line comes (the probe was a tenth of the
    /// search, most of it waiting for memory).
    @inline(__always)
    func prefetch(_ fingerprint: UInt64) {
        let slots = table.slots
        leaselab_prefetch_for_write(slots.baseAddress! + Self.home(of: Self.key(fingerprint), mask: slots.count - 1))
    }

    /// What the table stores for `fingerprint`: 0 marks an empty slot.
    @inline(__always)
    private static func key(_ fingerprint: UInt64) -> UInt64 { fingerprint == 0 ? 1 : fingerprint }

    /// The slot where `key`'s probe starts, in a table of `mask + 1` slots.
    @inline(__always)
    private static func home(of key: UInt64, mask: Int) -> Int { Int(truncatingIfNeeded: key) & mask }

    /// Inserts a fingerprint; returns whether it was new.
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        if (count + 1) * 4 > table.count * 3 { grow() }
        let key = Self.key(fingerprint)
        let slots = table.slots
        let mask = slots.count - 1
        var index = Self.home(of: key, mask: mask)
        while true {
            let slot = slots[index]
            if slot == key { return false }
            if slot == 0 {
                slots[index] = key
                count += 1
                return true
            }
            index = (index + 1) & mask
        }
    }

    /// Doubles the table. Each key moved lands in a random slot of the new table, a cache miss each: the slot of
    /// the key a few places ahead is asked for first, so the misses overlap (the moves were a third of the time
    /// spent in the visited set).
    private mutating func grow() {
        let old = table
        table = SlotTable(count: old.count * 2)
        let slots = table.slots
        let mask = slots.count - 1
        let oldSlots = old.slots
        let ahead = 16
        for position in oldSlots.indices {
            if position + ahead < oldSlots.count {
                let upcoming = oldSlots[position + ahead]
                leaselab_prefetch_for_write(slots.baseAddress! + Self.home(of: upcoming, mask: mask))
            }
            let key = oldSlots[position]
            guard key != 0 else { continue }
            var index = Self.home(of: key, mask: mask)
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = key
        }
    }
}

/// A zeroed table of slots owned by one ``FingerprintSet`` (the set is never copied while it inserts), aligned
/// to 2 MB and advised for huge pages when it is that large.
///
/// A large table is mapped straight from the kernel, whose pages come zeroed as they are first touched: zeroing it
/// again here touched every page up front, and the memory a heap allocation reuses may not be zeroed.
private final class SlotTable {
    let slots: UnsafeMutableBufferPointer<UInt64>
    /// The whole mapping, when the table is mapped: released as a whole.
    private let mapping: (start: UnsafeMutableRawPointer, bytes: Int)?

    private static let hugePage = 2 << 20

    var count: Int { slots.count }

    init(count: Int) {
        let bytes = count * MemoryLayout<UInt64>.stride
        #if canImport(Glibc)
        if bytes >= Self.hugePage {
            // Room for the table and for aligning its start to a huge page.
            let mapped = bytes + Self.hugePage
            guard let start = mmap(nil, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                start != MAP_FAILED
            else {
                preconditionFailure("FingerprintSet: no memory for a visited set of \(bytes) bytes")
            }
            let address = Int(bitPattern: start)
            let aligned = UnsafeMutableRawPointer(start + ((Self.hugePage - address % Self.hugePage) % Self.hugePage))
            _ = madvise(aligned, bytes, MADV_HUGEPAGE)
            mapping = (start, mapped)
            slots = UnsafeMutableBufferPointer(
                start: aligned.bindMemory(to: UInt64.self, capacity: count), count: count)
            return
        }
        #endif
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            preconditionFailure("FingerprintSet: no memory for a visited set of \(bytes) bytes")
        }
        let start = raw.bindMemory(to: UInt64.self, capacity: count)
        start.initialize(repeating: 0, count: count)
        mapping = nil
        slots = UnsafeMutableBufferPointer(start: start, count: count)
    }

    deinit {
        #if canImport(Glibc)
        if let mapping {
            munmap(mapping.start, mapping.bytes)
            return
        }
        #endif
        free(slots.baseAddress)
    }
}
