import Trace

/// The delays one simulator run drew, by choice: what a validation model looks up at every delay it takes.
///
/// Kept as packed keys in a sorted array, looked up by binary search. Why not a dictionary keyed by
/// ``DelayChoice``: hashing the enum (four integers through the standard hasher) at each lookup was a tenth of a
/// trace replay's time. A choice whose numbers do not fit the packing (never in a scenario within the loader's
/// limits) is kept in a dictionary beside.
struct DrawnDelays: Hashable, Sendable {
    private var keys: [UInt64] = []
    private var values: [Int64] = []
    private var unpacked: [DelayChoice: Int64] = [:]

    init() {}

    /// The delays of `drawn`, keeping those `keep` accepts.
    init(_ drawn: [DelayChoice: Int64], keep: (DelayChoice, Int64) -> Bool) {
        var packed: [(key: UInt64, value: Int64)] = []
        for (choice, value) in drawn where keep(choice, value) {
            if let key = Self.key(of: choice) {
                packed.append((key, value))
            } else {
                unpacked[choice] = value
            }
        }
        packed.sort { $0.key < $1.key }  // keys are distinct: the packing is one to one
        keys = packed.map(\.key)
        values = packed.map(\.value)
    }

    /// Whether no delay was kept.
    var isEmpty: Bool { keys.isEmpty && unpacked.isEmpty }

    /// The delay drawn for `choice`, if kept.
    subscript(choice: DelayChoice) -> Int64? {
        guard let key = Self.key(of: choice) else { return unpacked[choice] }
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key ? values[low] : nil
    }

    /// The choice as one number: its kind in 2 bits, worker and call in 20 bits each, command in 16, and the
    /// direction or pause point in 4; nil when a number does not fit (or is negative).
    static func key(of choice: DelayChoice) -> UInt64? {
        func fits(_ value: Int, bits: Int) -> Bool { value >= 0 && value < 1 << bits }
        let kind: UInt64
        let worker: Int
        let call: Int
        var command = 0
        var detail = 0
        switch choice {
        case .network(let w, let c, let n, let direction):
            (kind, worker, call, command) = (0, w, c, n)
            switch direction {
            case .request: detail = 0
            case .reply: detail = 1
            }
        case .origin(let w, let c):
            (kind, worker, call) = (1, w, c)
        case .pause(let w, let c, let point):
            (kind, worker, call) = (2, w, c)
            detail = PausePoint.allCases.firstIndex(of: point) ?? 0
        case .restartNotice(let w, let c, let n):
            (kind, worker, call, command) = (3, w, c, n)
        }
        guard fits(worker, bits: 20), fits(call, bits: 20), fits(command, bits: 16), fits(detail, bits: 4) else {
            return nil
        }
        return kind << 60 | UInt64(worker) << 40 | UInt64(call) << 20 | UInt64(command) << 4 | UInt64(detail)
    }
}

/// The values one delay may take: one drawn value held in place, or the explored ones.
///
/// Why not an array: in validation a delay has its one drawn value, and an array of it was allocated at every
/// delay a replay took; and an array handed out was retained and released at every delay the explorer took. The
/// explored values are a buffer of the ``DelayOptions`` that made them, which the model holds: a value is used
/// within the step that asked for it, never kept.
struct DelayValues: RandomAccessCollection {
    private let single: TimeWindow?
    private let several: UnsafeBufferPointer<TimeWindow>

    /// The one value a run drew.
    init(drawn: TimeWindow) {
        single = drawn
        several = UnsafeBufferPointer(start: nil, count: 0)
    }

    /// The explored values, in storage a ``DelayOptions`` keeps.
    init(_ values: UnsafeBufferPointer<TimeWindow>) {
        single = nil
        several = values
    }

    var startIndex: Int { 0 }
    var endIndex: Int { single == nil ? several.count : 1 }

    subscript(position: Int) -> TimeWindow {
        if let single {
            precondition(position == 0, "DelayValues: index \(position) of 1")
            return single
        }
        precondition(position >= 0 && position < several.count, "DelayValues: index \(position) of \(several.count)")
        return several[position]
    }
}
