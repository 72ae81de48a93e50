import Trace

/// One state of the model: virtual time, Redis, the source, every worker's place in its call, the origin's
/// running loads, the writers' progress, the faults' decisions, and any committed rest of an action.
///
/// Everything is indexed by position (keys by their index in `keys:`, calls by their index in `calls:`, workers
/// by number) and held in arrays, so that equal states are equal field for field and the canonical encoding
/// (``encode(into:)``) and fingerprint never depend on hash order. The fixed-length lists of small values are
/// ``PackedList``s, held in the state itself for small scenarios, as the explorer copies a state per successor.
public struct ModelState: Hashable, Sendable {
    /// The current instant, in virtual microseconds.
    public internal(set) var nowMicroseconds: Int64
    /// Redis.
    var redis: ModelRedis
    /// The source's version of each key.
    var sourceVersions: PackedList<Int>
    /// The workers; worker `n` is at index `n - 1`.
    var workers: [ModelWorker]
    /// Each scenario call's progress.
    var calls: PackedList<CallStatus>
    /// Which scenario writes have happened (same-instant writes may happen in any order).
    var writesDone: PackedList<Bool>
    /// Each scenario fault's decision: `maybe` faults are decided when first reached (restarts at the start).
    var faults: PackedList<FaultDecision>
    /// Loads still running at the origin, sorted by worker then call, whether or not their caller still waits.
    var loads: [OriginLoad]
    /// The latest instant of a message or timer that the simulator still has queued but that will do nothing
    /// (a reply to a command that timed out, a dead origin timer), or 0 when none can matter.
    ///
    /// The simulator's run ends only when its queue holds nothing but expiries, so such ghosts keep it going:
    /// a cache-key expiry due before the last ghost is still reported, one due after it is dropped. The ghost
    /// horizon keeps that one fact and nothing else; it is reset to 0 whenever no cache-key expiry can fall
    /// before it, so it never splits states that the simulator would treat alike.
    var ghostHorizonMicroseconds: Int64
    /// The rest of the item being handled, when its handling makes more than one event: only this may happen
    /// next, as the simulator handles an item without interruption. Empty otherwise.
    var continuation: [Work]
    /// Origin loads started per key in this run (for the figures).
    var loadsStarted: PackedList<Int>

    /// A state of no scenario, all lists empty: what a step holds once its state was taken
    /// (``ModelStep/takeState()``). Never explored or encoded.
    static let placeholder = ModelState(
        nowMicroseconds: 0, redis: ModelRedis(keyCount: 0), sourceVersions: PackedList([]), workers: [],
        calls: PackedList([]), writesDone: PackedList([]), faults: PackedList([]), loads: [],
        ghostHorizonMicroseconds: 0, continuation: [], loadsStarted: PackedList([]))

    // MARK: - Reading a state

    /// The version cached for a key, if any.
    public func cachedVersion(ofKey key: Int) -> Int? {
        redis.cache[key]?.version
    }

    /// The token holding a key's lease, if any.
    public func leaseToken(ofKey key: Int) -> ModelToken? {
        redis.leases[key]?.token
    }

    /// The source's version of a key.
    public func sourceVersion(ofKey key: Int) -> Int {
        sourceVersions[key]
    }

    /// The worker with this number (from 1). Changed in place (`_modify`): a get-then-set copied the worker,
    /// and with it retained its queue, on every change the step made.
    subscript(worker worker: Int) -> ModelWorker {
        get { workers[worker - 1] }
        _modify { yield &workers[worker - 1] }
    }
}

/// A scenario call's progress.
enum CallStatus: UInt8, Hashable, Sendable {
    /// Its instant has not come (or it has, and the item is still to be handled).
    case due
    /// It came due while its worker was busy: it waits in the worker's queue.
    case waiting
    /// It has started (its `call` event happened) and not returned.
    case running
    /// It has returned.
    case returned
}

/// What became of a fault.
enum FaultDecision: UInt8, Hashable, Sendable {
    /// A `maybe` worker fault not reached yet, or a worker fault that needs no decision.
    case undecided
    /// A `maybe` worker fault decided to strike.
    case happens
    /// A `maybe` fault decided not to happen.
    case skipped
    /// A restart that happens and is still to come.
    case restartPending
    /// A restart carried out.
    case restartDone
}

/// A load running at the origin.
struct OriginLoad: Hashable, Sendable, Comparable {
    /// The worker whose call started it.
    var worker: Int
    /// That call's number.
    var call: Int
    /// The key index.
    var key: Int
    /// The source version read at its start: what it answers with.
    var version: Int
    /// When the origin answers.
    var arrival: TimeWindow
    /// Whether the answer is a failure (an origin override with `fail: true`).
    var fails: Bool

    static func < (lhs: OriginLoad, rhs: OriginLoad) -> Bool {
        (lhs.worker, lhs.call) < (rhs.worker, rhs.call)
    }
}

/// Work left in the handling of one item, done one event at a time (see ``ModelState/continuation``).
enum Work: Hashable, Sendable {
    /// Carry out a step the worker's call asked for.
    case step(worker: Int, CallStep)
    /// Hand the origin's answer to the worker's call (after an `after-load` pause, or right after `load-end`).
    case originAnswer(worker: Int, version: Int, fails: Bool)
    /// After a `return`: start the worker's next waiting call, if any.
    case startNextCall(worker: Int)
    /// A writer's invalidating `DEL`, after its `write`.
    case invalidate(write: Int)
    /// The `reply-lost` event after the `exec` whose reply is lost.
    case reportReplyLost(worker: Int)
}
