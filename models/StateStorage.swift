/// The parts of a state the model's step reads and changes, one part at a time.
///
/// The step (``ModelStep``), the enabled items, the properties and the figures are written once, against this
/// protocol, and run on any storage of the state: the readable ``ModelState`` (the specification: a struct of
/// named fields and lists, what tests and summaries read) conforms, and so may a packed encoding that the
/// explorer runs on for speed (issue 4 allows one, with a test that it agrees with the readable model). The step
/// asks for a part, not for a whole worker or list, so that a packed storage decodes only what is read.
///
/// Workers are numbered from 1, keys, calls, writes and faults by their index in the scenario. Loads are kept in
/// the order of their worker, then their call, whatever the order they started in.
protocol StateStorage {
    /// The current instant, in virtual microseconds.
    var nowMicroseconds: Int64 { get set }
    /// See ``ModelState/ghostHorizonMicroseconds``.
    var ghostHorizonMicroseconds: Int64 { get set }

    // MARK: Redis and the source, per key

    var keyCount: Int { get }
    func cacheEntry(ofKey key: Int) -> ModelRedis.CacheEntry?
    mutating func setCacheEntry(_ entry: ModelRedis.CacheEntry?, ofKey key: Int)
    func leaseEntry(ofKey key: Int) -> ModelRedis.LeaseEntry?
    mutating func setLeaseEntry(_ entry: ModelRedis.LeaseEntry?, ofKey key: Int)
    func sourceVersion(ofKey key: Int) -> Int
    mutating func setSourceVersion(_ version: Int, ofKey key: Int)
    func loadsStarted(ofKey key: Int) -> Int
    mutating func setLoadsStarted(_ count: Int, ofKey key: Int)

    // MARK: The scenario's calls, writes and faults, by index

    var callCount: Int { get }
    var writeCount: Int { get }
    var faultCount: Int { get }
    func callStatus(_ index: Int) -> CallStatus
    mutating func setCallStatus(_ status: CallStatus, of index: Int)
    func isWriteDone(_ index: Int) -> Bool
    mutating func setWriteDone(_ index: Int)
    func faultDecision(_ index: Int) -> FaultDecision
    mutating func setFaultDecision(_ decision: FaultDecision, of index: Int)

    // MARK: Workers, by number

    var workerCount: Int { get }
    func call(ofWorker worker: Int) -> ActiveCall?
    mutating func setCall(_ call: ActiveCall?, ofWorker worker: Int)
    func outstanding(ofWorker worker: Int) -> OutstandingCommand?
    mutating func setOutstanding(_ outstanding: OutstandingCommand?, ofWorker worker: Int)
    func pause(ofWorker worker: Int) -> WorkerPause?
    mutating func setPause(_ pause: WorkerPause?, ofWorker worker: Int)
    func hasWaitingCalls(ofWorker worker: Int) -> Bool
    mutating func appendWaitingCall(_ index: Int, ofWorker worker: Int)
    mutating func removeFirstWaitingCall(ofWorker worker: Int) -> Int

    // MARK: Loads at the origin, in worker then call order

    var loadCount: Int { get }
    /// The load at `position` (from 0) in worker then call order.
    func load(at position: Int) -> OriginLoad
    /// Removes and returns the load of a worker's call, if it is running.
    mutating func removeLoad(worker: Int, call: Int) -> OriginLoad?
    /// Adds a load, in its place in the order.
    mutating func insertLoad(_ load: OriginLoad)

    // MARK: The rest of the item being handled

    var hasContinuation: Bool { get }
    mutating func takeContinuation() -> PendingWorks
    mutating func setContinuation(_ works: PendingWorks)

    // MARK: Whole states

    /// A state of no scenario, what a step holds once its state was taken (``ModelStep/takeState()``).
    static var placeholder: Self { get }
    /// Makes this state equal to `other`, reusing this one's storage where it can: the explorer's step starts each
    /// transition from its parent this way.
    mutating func assign(from other: Self)
    /// The same state, readable (for the debug build's invariant checks).
    var readable: ModelState { get }
}

extension StateStorage {
    /// Whether every call has returned, every write happened, and nothing but expiries (and ghosts) is pending.
    var isQuiescent: Bool {
        guard !hasContinuation && loadCount == 0 else { return false }
        for index in 0..<callCount where callStatus(index) != .returned { return false }
        for index in 0..<writeCount where !isWriteDone(index) { return false }
        for index in 0..<faultCount where faultDecision(index) == .restartPending { return false }
        return true
    }
}

// The readable state stores each part in its named field.
extension ModelState: StateStorage {
    var keyCount: Int { redis.cache.count }

    func cacheEntry(ofKey key: Int) -> ModelRedis.CacheEntry? { redis.cache[key] }
    mutating func setCacheEntry(_ entry: ModelRedis.CacheEntry?, ofKey key: Int) { redis.cache[key] = entry }
    func leaseEntry(ofKey key: Int) -> ModelRedis.LeaseEntry? { redis.leases[key] }
    mutating func setLeaseEntry(_ entry: ModelRedis.LeaseEntry?, ofKey key: Int) { redis.leases[key] = entry }
    mutating func setSourceVersion(_ version: Int, ofKey key: Int) { sourceVersions[key] = version }
    func loadsStarted(ofKey key: Int) -> Int { loadsStarted[key] }
    mutating func setLoadsStarted(_ count: Int, ofKey key: Int) { loadsStarted[key] = count }

    var callCount: Int { calls.count }
    var writeCount: Int { writesDone.count }
    var faultCount: Int { faults.count }
    func callStatus(_ index: Int) -> CallStatus { calls[index] }
    mutating func setCallStatus(_ status: CallStatus, of index: Int) { calls[index] = status }
    func isWriteDone(_ index: Int) -> Bool { writesDone[index] }
    mutating func setWriteDone(_ index: Int) { writesDone[index] = true }
    func faultDecision(_ index: Int) -> FaultDecision { faults[index] }
    mutating func setFaultDecision(_ decision: FaultDecision, of index: Int) { faults[index] = decision }

    var workerCount: Int { workers.count }
    func call(ofWorker worker: Int) -> ActiveCall? { workers[worker - 1].call }
    mutating func setCall(_ call: ActiveCall?, ofWorker worker: Int) { workers[worker - 1].call = call }
    func outstanding(ofWorker worker: Int) -> OutstandingCommand? { workers[worker - 1].outstanding }
    mutating func setOutstanding(_ outstanding: OutstandingCommand?, ofWorker worker: Int) {
        workers[worker - 1].outstanding = outstanding
    }
    func pause(ofWorker worker: Int) -> WorkerPause? { workers[worker - 1].pause }
    mutating func setPause(_ pause: WorkerPause?, ofWorker worker: Int) { workers[worker - 1].pause = pause }
    func hasWaitingCalls(ofWorker worker: Int) -> Bool { !workers[worker - 1].waiting.isEmpty }
    mutating func appendWaitingCall(_ index: Int, ofWorker worker: Int) { workers[worker - 1].waiting.append(index) }
    mutating func removeFirstWaitingCall(ofWorker worker: Int) -> Int { workers[worker - 1].waiting.removeFirst() }

    var loadCount: Int { loads.count }
    func load(at position: Int) -> OriginLoad { loads[position] }
    mutating func removeLoad(worker: Int, call: Int) -> OriginLoad? {
        guard let index = loads.firstIndex(where: { $0.worker == worker && $0.call == call }) else { return nil }
        return loads.remove(at: index)
    }
    mutating func insertLoad(_ load: OriginLoad) {
        let position = loads.firstIndex { load < $0 } ?? loads.endIndex
        loads.insert(load, at: position)
    }

    var hasContinuation: Bool { !continuation.isEmpty }
    mutating func takeContinuation() -> PendingWorks {
        let works = PendingWorks(continuation)
        continuation = []
        return works
    }
    mutating func setContinuation(_ works: PendingWorks) { continuation = works.elements }

    var readable: ModelState { self }

    mutating func assign(from other: ModelState) { self = other }
}
