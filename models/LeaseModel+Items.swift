import Trace

extension LeaseModel {
    /// The items that may be handled next, all due at one instant, in a fixed order.
    ///
    /// A continuation excludes everything else. Otherwise the earliest instant wins; an expiry due at that instant
    /// goes before any other item (same-instant expiries in one fixed order: cache keys, then lease keys, each in
    /// `keys:` order, as the simulator takes them); other items due at the
    /// earliest instant may go in any order. Fixed order among them: calls, writes, restarts (scenario order),
    /// then each worker's request or reply, command timeout, origin timer and resume, then origin answers by
    /// worker and call. When the run is quiescent only expiries are left: lease keys always, cache keys only up
    /// to the ghost horizon. No items at all: the run is over.
    func enabledItems<State: StateStorage>(in state: State) -> (time: Int64, items: ItemList) {
        if state.hasContinuation {
            return (state.nowMicroseconds, ItemList(.continuation))
        }
        var pending = Earliest()
        for index in calls.indices where state.callStatus(index) == .due {
            pending.offer(.callStart(call: index), at: calls[index].atMicroseconds)
        }
        for index in writes.indices where !state.isWriteDone(index) {
            pending.offer(.sourceWrite(write: index), at: writes[index].atMicroseconds)
        }
        for index in faultKinds.indices where state.faultDecision(index) == .restartPending {
            if case .restartRedis(let at) = faultKinds[index] {
                pending.offer(.restart(fault: index), at: at)
            }
        }
        for position in 0..<state.workerCount {
            let number = position + 1
            if let outstanding = state.outstanding(ofWorker: number) {
                switch outstanding.message {
                case .request(let arrival):
                    pending.offer(.request(worker: number), at: arrival.pointMicroseconds)
                case .reply(_, let arrival), .connectionLost(let arrival), .restartNotice(let arrival):
                    pending.offer(.reply(worker: number), at: arrival.pointMicroseconds)
                case .lost:
                    break
                }
                if outstanding.timeoutArmed {
                    pending.offer(.commandTimeout(worker: number), at: outstanding.deadlineMicroseconds)
                }
            }
            let pause = state.pause(ofWorker: number)
            if pause == nil, let call = state.call(ofWorker: number), case .loading(_, let timer?) = call.phase {
                pending.offer(.originTimer(worker: number), at: timer)
            }
            if let pause {
                pending.offer(.resume(worker: number), at: pause.resume.pointMicroseconds)
            }
        }
        for position in 0..<state.loadCount {
            let load = state.load(at: position)
            pending.offer(.originAnswer(worker: load.worker, call: load.call), at: load.arrival.pointMicroseconds)
        }

        let quiescent = pending.items.isEmpty
        #if DEBUG
        precondition(
            !quiescent || state.isQuiescent,
            "LeaseModel: nothing pending but the run is not over (a model bug): \(state)")
        #endif
        // Same-instant expiries go in one fixed order, as in the simulator (its queue ranks them so): cache keys
        // before lease keys, each in `keys:` order. Only the first is enabled; the rest follow it at that instant.
        var expiry = FirstExpiry()
        for key in 0..<state.keyCount {
            if let entry = state.cacheEntry(ofKey: key) {
                let instant = ModelRedis.expiryInstant(deadlineMilliseconds: entry.deadlineMilliseconds)
                if !quiescent || instant <= state.ghostHorizonMicroseconds {
                    expiry.offer(.expire(key: key, lease: false), at: instant)
                }
            }
        }
        for key in 0..<state.keyCount {
            if let lease = state.leaseEntry(ofKey: key) {
                expiry.offer(
                    .expire(key: key, lease: true),
                    at: ModelRedis.expiryInstant(deadlineMilliseconds: lease.deadlineMilliseconds))
            }
        }
        if let item = expiry.item, expiry.time <= pending.time {
            return (expiry.time, ItemList(item))
        }
        return (pending.time, pending.items)
    }

    /// Whether the run has settled for good: quiescent, and no cache-key expiry can still be reported. What
    /// `fresh-after-quiescence` judges.
    func isSettled<State: StateStorage>(_ state: State) -> Bool {
        guard state.isQuiescent else { return false }
        for key in 0..<state.keyCount {
            if let entry = state.cacheEntry(ofKey: key),
                ModelRedis.expiryInstant(deadlineMilliseconds: entry.deadlineMilliseconds)
                    <= state.ghostHorizonMicroseconds
            {
                return false
            }
        }
        return true
    }
}

/// The items due at the earliest instant offered so far, in the order offered.
private struct Earliest {
    var time = Int64.max
    var items = ItemList()

    mutating func offer(_ item: ModelItem, at instant: Int64) {
        if instant < time {
            time = instant
            items.replaceAll(with: item)
        } else if instant == time {
            items.append(item)
        }
    }
}

/// The earliest expiry offered so far; the first offered among same-instant ones.
///
/// A struct rather than a local function over a local variable: the function's capture boxed the variable,
/// and every access to it was checked for exclusivity at run time.
private struct FirstExpiry {
    var time = Int64.max
    var item: ModelItem?

    mutating func offer(_ item: ModelItem, at instant: Int64) {
        if self.item == nil || instant < time {
            time = instant
            self.item = item
        }
    }
}

/// The items enabled at one instant, in order: the first four held in place, any more in an array.
///
/// Why not an array: one item is enabled at nearly every step of a trace replay, and a few at once at many states
/// of a search; the array was allocated for them on every call.
struct ItemList: RandomAccessCollection {
    private var first: ModelItem?
    private var second: ModelItem?
    private var third: ModelItem?
    private var fourth: ModelItem?
    /// The items past the fourth, nil until there is one.
    private var rest: [ModelItem]?
    private(set) var count = 0

    init() {}

    init(_ item: ModelItem) {
        first = item
        count = 1
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> ModelItem {
        precondition(position >= 0 && position < count, "ItemList: index \(position) of \(count)")
        switch position {
        case 0: return first!
        case 1: return second!
        case 2: return third!
        case 3: return fourth!
        default: return rest![position - 4]
        }
    }

    /// Adds an item at the end.
    mutating func append(_ item: ModelItem) {
        switch count {
        case 0: first = item
        case 1: second = item
        case 2: third = item
        case 3: fourth = item
        default: rest = (rest ?? []) + [item]
        }
        count += 1
    }

    /// Makes `item` the only one.
    mutating func replaceAll(with item: ModelItem) {
        self = ItemList(item)
    }
}
