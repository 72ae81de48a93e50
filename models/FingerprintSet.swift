/// The explorer's visited set: fingerprints only, in one open-addressing table with linear probing.
///
/// Eight bytes a slot and at most three quarters full, so 11 to 21 bytes per distinct state; no keys or states
/// are kept (the explorer's parent links recover any path by replay).
struct FingerprintSet {
    /// The slots; 0 marks an empty one (a fingerprint of 0 is stored as 1: one more collision in 2⁶⁴).
    private var slots: [UInt64]
    private(set) var count = 0

    init(minimumCapacity: Int = 64) {
        var capacity = 16
        while capacity < minimumCapacity { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
    }

    /// The bytes the table holds.
    var bytes: Int { slots.count * MemoryLayout<UInt64>.stride }

    /// Inserts a fingerprint; returns whether it was new.
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let key = fingerprint == 0 ? 1 : fingerprint
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key) & mask
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

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for key in old where key != 0 {
            var index = Int(truncatingIfNeeded: key) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = key
        }
    }
}
