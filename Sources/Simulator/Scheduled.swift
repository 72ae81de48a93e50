import Trace

/// One item in the simulator's event queue: something due at an instant.
///
/// Ordered by time, then by class (expiries first: a key's deadline passes before anything else that happens at
/// that instant, on every side, so expiry needs no choice), then, among expiries, by ``expiryRank`` (a fixed order
/// of keys the model follows too: cache keys before lease keys, each in the scenario's `keys:` order), then by
/// insertion sequence. Items due at the same instant and class (expiries aside) are ordered by the chooser.
struct Scheduled: Comparable {
    /// When it is due, in virtual microseconds.
    var timeMicroseconds: Int64
    /// Insertion order: the default answer for same-instant events (STYLE 5).
    var sequence: UInt64
    /// Where the item waits in the simulation's item slots; the heap moves only these 24 bytes.
    var slot: Int32
    /// 0 for expiries, 1 for everything else.
    var priority: UInt8
    /// For an expiry, its key's place in the fixed order of same-instant expiries; 0 otherwise.
    var expiryRank: UInt16 = 0

    static func < (lhs: Scheduled, rhs: Scheduled) -> Bool {
        if lhs.timeMicroseconds != rhs.timeMicroseconds { return lhs.timeMicroseconds < rhs.timeMicroseconds }
        if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
        if lhs.expiryRank != rhs.expiryRank { return lhs.expiryRank < rhs.expiryRank }
        return lhs.sequence < rhs.sequence
    }

    static func == (lhs: Scheduled, rhs: Scheduled) -> Bool {
        lhs.sequence == rhs.sequence
    }
}

/// What a scheduled item does.
///
/// Plain data only (numbers, no strings or replies), so items move and copy without reference counting: a reply
/// waits beside its worker (``ReplyInFlight``), keys are indices into the simulation's key tables.
enum Item {
    /// A scenario call starts (index into the scenario's calls).
    case callStart(callIndex: Int)
    /// A worker's command reaches the server over connection `epoch` (the command is the worker's outstanding one).
    case request(worker: Int, epoch: Int, call: Int, command: Int)
    /// The server's reply reaches the worker over connection `epoch` (the reply is the worker's reply in flight).
    case reply(worker: Int, epoch: Int, call: Int, command: Int)
    /// The worker learns that its connection broke while `command` was outstanding.
    case connectionLost(worker: Int, epoch: Int, call: Int, command: Int)
    /// A worker's command timeout for `command` on connection `epoch`.
    case commandTimeout(worker: Int, epoch: Int, call: Int, command: Int)
    /// The origin answers a worker's call on the key (an index into the key names) with `version`, or fails.
    case originAnswer(worker: Int, call: Int, keyIndex: Int, version: Int, fails: Bool)
    /// A worker's origin timeout, armed for `deadline`.
    case originTimer(worker: Int, call: Int, deadlineMicroseconds: Int64)
    /// A worker's pause ends.
    case resume(worker: Int, call: Int, point: PausePoint)
    /// A source write (index into the scenario's writes).
    case sourceWrite(index: Int)
    /// A key's deadline passes (`deadline` in milliseconds); a no-op if the key has another deadline by then. The
    /// key is an index into the simulation's expiry keys (cache keys and lease keys).
    case expire(expiryKey: Int, deadlineMilliseconds: Int64)
    /// Redis restarts (index into the scenario's faults).
    case restart(faultIndex: Int)

    /// The item's identity for same-instant choices.
    func identity(calls: [CallSpec]) -> EventIdentity {
        switch self {
        case .callStart(let index):
            return .callStart(worker: calls[index].worker, call: calls[index].callNumber)
        case .request(let worker, _, let call, let command):
            return .request(worker: worker, call: call, command: command)
        case .reply(let worker, _, let call, let command), .connectionLost(let worker, _, let call, let command):
            return .reply(worker: worker, call: call, command: command)
        case .commandTimeout(let worker, _, let call, let command):
            return .commandTimeout(worker: worker, call: call, command: command)
        case .originAnswer(let worker, let call, _, _, _):
            return .originAnswer(worker: worker, call: call)
        case .originTimer(let worker, let call, _):
            return .originTimer(worker: worker, call: call)
        case .resume(let worker, let call, let point):
            return .resume(worker: worker, call: call, point: point)
        case .sourceWrite(let index):
            return .sourceWrite(index: index)
        case .expire(let key, _):
            preconditionFailure("expiry of key \(key) has no same-instant choice: it always goes first")
        case .restart(let index):
            return .restart(fault: index)
        }
    }
}

/// The part of a scenario call the hot loop needs: plain data, the key as an index into the key names.
struct CallSpec {
    var atMicroseconds: Int64
    var worker: Int
    var callNumber: Int
    var keyIndex: Int
}
