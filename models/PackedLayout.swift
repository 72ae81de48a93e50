/// Where each part of a state sits in a ``PackedState``'s words, for one model's scenario.
///
/// Every part has a fixed place and a fixed number of words (a list: its count, then room for its longest),
/// and whatever is absent or unused is zero, so that equal states have equal words: the words themselves are
/// the canonical encoding, fingerprinted as they are. A plain value of small integers, copied with each state
/// (no reference to count).
///
///     now, ghost horizon
///     per key:     cache (version | present, deadline), lease (token | present, deadline, acquired at),
///                  source version, loads started                                   7 words
///     calls:       one status byte each;  writes: one bit each;  faults: one decision byte each
///     loads:       count, then (worker | call | key | fails, version, arrival from, arrival to) each
///     per worker:  call (5 words), waiting calls (count, then one word each), outstanding command (7),
///                  pause (5, only when the scenario has a pause fault)
///     continuation: count, then 3 words each
///
/// Lists are given room for the most they can hold, and no more: every word is copied, fingerprinted and scanned
/// for each successor, so room never used costs time. Loads: one per call, but without an origin timeout a call
/// waits for its load, so one per worker; pauses: none without a pause fault (both checked as invariants of the
/// readable model in debug builds, and by the stores here).
struct PackedLayout: Hashable, Sendable {
    /// The most words a packed state holds (two mask words of the frontier cover them): a scenario that needs
    /// more is explored on the readable state.
    static let capacity = 128

    static let wordsPerKey = 7
    static let wordsPerLoad = 4
    static let wordsPerCall = 5
    static let wordsPerOutstanding = 7
    static let wordsPerPause = 5
    static let wordsPerWork = 3
    /// The longest continuation a step leaves: the handling of one item queues at most one work beside the one
    /// being done (checked where it is stored).
    static let continuationCapacity = 3

    var keyCount: Int32
    var callCount: Int32
    var writeCount: Int32
    var faultCount: Int32
    var workerCount: Int32
    /// The most calls queued behind one worker's running call: its calls but one.
    var waitingCapacity: Int32
    /// The most loads at the origin at once: one per call; one per worker without an origin timeout.
    var loadCapacity: Int32
    /// The words of a worker's pause: none when the scenario has no pause fault.
    var pauseWords: Int32

    var keysBase: Int32
    var callsBase: Int32
    var writesBase: Int32
    var faultsBase: Int32
    var loadsBase: Int32
    var workersBase: Int32
    var workerStride: Int32
    var continuationBase: Int32
    /// Words in use.
    var wordCount: Int32

    /// The layout of a model's states, or nil when they would not fit in ``capacity`` words.
    init?(model: LeaseModel) {
        let workers = model.scenario.workerCount
        var callsOfWorker = [Int](repeating: 0, count: workers + 1)
        for call in model.calls { callsOfWorker[call.worker] += 1 }
        let waiting = max(0, (callsOfWorker.max() ?? 0) - 1)
        var next = 2
        func take(_ words: Int) -> Int32 {
            defer { next += words }
            return Int32(next)
        }
        let keys = model.keyNames.count
        keysBase = take(keys * Self.wordsPerKey)
        callsBase = take((model.calls.count + 7) / 8)
        writesBase = take((model.writes.count + 63) / 64)
        faultsBase = take((model.faultKinds.count + 7) / 8)
        let loads =
            model.variant.originTimeoutMicroseconds == nil ? min(workers, model.calls.count) : model.calls.count
        loadsBase = take(1 + loads * Self.wordsPerLoad)
        let pauseWords = model.hasPauseFaults ? Self.wordsPerPause : 0
        let stride = Self.wordsPerCall + 1 + waiting + Self.wordsPerOutstanding + pauseWords
        workersBase = take(workers * stride)
        continuationBase = take(1 + Self.continuationCapacity * Self.wordsPerWork)
        guard next <= Self.capacity,
            // Fields packed into parts of a word (see PackedState+Codes.swift) must fit their bits.
            model.calls.count < 1 << 24, keys < 1 << 24, workers < 1 << 15
        else { return nil }
        wordCount = Int32(next)
        workerStride = Int32(stride)
        keyCount = Int32(keys)
        callCount = Int32(model.calls.count)
        writeCount = Int32(model.writes.count)
        faultCount = Int32(model.faultKinds.count)
        workerCount = Int32(workers)
        waitingCapacity = Int32(waiting)
        loadCapacity = Int32(loads)
        self.pauseWords = Int32(pauseWords)
    }

    /// The layout of no scenario (the placeholder state's).
    static let empty = PackedLayout()

    private init() {
        keyCount = 0
        callCount = 0
        writeCount = 0
        faultCount = 0
        workerCount = 0
        waitingCapacity = 0
        loadCapacity = 0
        pauseWords = 0
        keysBase = 2
        callsBase = 2
        writesBase = 2
        faultsBase = 2
        loadsBase = 2
        workersBase = 3
        workerStride = 0
        continuationBase = 3
        wordCount = 4
    }

    // MARK: - Places

    @inline(__always) func cache(ofKey key: Int) -> Int { Int(keysBase) + key * Self.wordsPerKey }
    @inline(__always) func lease(ofKey key: Int) -> Int { cache(ofKey: key) + 2 }
    @inline(__always) func sourceVersion(ofKey key: Int) -> Int { cache(ofKey: key) + 5 }
    @inline(__always) func loadsStarted(ofKey key: Int) -> Int { cache(ofKey: key) + 6 }
    @inline(__always) func worker(_ worker: Int) -> Int { Int(workersBase) + (worker - 1) * Int(workerStride) }
    @inline(__always) func call(ofWorker worker: Int) -> Int { self.worker(worker) }
    @inline(__always) func waiting(ofWorker worker: Int) -> Int { self.worker(worker) + Self.wordsPerCall }
    @inline(__always) func outstanding(ofWorker worker: Int) -> Int {
        waiting(ofWorker: worker) + 1 + Int(waitingCapacity)
    }
    @inline(__always) func pause(ofWorker worker: Int) -> Int {
        outstanding(ofWorker: worker) + Self.wordsPerOutstanding
    }
    @inline(__always) func load(_ position: Int) -> Int { Int(loadsBase) + 1 + position * Self.wordsPerLoad }
    @inline(__always) func work(_ position: Int) -> Int {
        Int(continuationBase) + 1 + position * Self.wordsPerWork
    }
}
