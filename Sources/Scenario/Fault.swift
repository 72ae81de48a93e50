import Trace

/// One fault a scenario injects (`faults:`).
///
/// A fault that is `maybe` is a choice the search tries both ways (it happens, or not); a fault without it always
/// happens. A fault aimed at a command or a point that a variant never reaches (`lose-reply: acquire` under
/// `pre-review`, which takes no lease) never fires under that variant: one scenario serves several variants.
public struct Fault: Hashable, Sendable {
    /// What happens, and to whom.
    public var kind: FaultKind
    /// Whether the search tries the fault both ways (`maybe: true`) or it always happens (default).
    public var maybe: Bool

    public init(kind: FaultKind, maybe: Bool) {
        self.kind = kind
        self.maybe = maybe
    }

    /// The worker the fault strikes, or `nil` for a server fault.
    public var worker: Int? {
        switch kind {
        case .pause(let worker, _, _, _), .loseReply(let worker, _, _), .dropConnection(let worker, _, _):
            return worker
        case .restartRedis:
            return nil
        }
    }
}

/// The kinds of fault.
public enum FaultKind: Hashable, Sendable {
    /// `{worker: w1, call: 1, pause: 2s, at: after-load}`: the worker's process stops for the duration at the
    /// point; whatever arrives for it meanwhile waits, in order. The duration may be a range,
    /// `pause: {min: 1s, max: 6s}`: the simulator's chooser draws the length from it and the model tries the
    /// `explore: pause:` values inside it.
    case pause(worker: Int, callNumber: Int, duration: LatencyRange, point: PausePoint)
    /// `{worker: w2, call: 1, lose-reply: acquire}`: the server applies the command, its reply never arrives, and
    /// the client's command timeout fires.
    case loseReply(worker: Int, callNumber: Int, command: FaultCommand)
    /// `{worker: w1, call: 1, drop-connection: write}`: the connection breaks right after the server applies the
    /// command; the client sees a lost connection.
    case dropConnection(worker: Int, callNumber: Int, command: FaultCommand)
    /// `{restart-redis: 4s}`: at that instant Redis restarts empty (keys and script cache gone) and every
    /// connection breaks.
    case restartRedis(atMicroseconds: Int64)
}

// Where in a call a pause strikes (`at:`) is Trace's `PausePoint`: the trace's `pause`/`resume` events name the
// same points, so there is one enum for both.

/// The command a `lose-reply` or `drop-connection` fault strikes: a step of the protocol, so one scenario names
/// the same moment under every variant.
public enum FaultCommand: String, Hashable, Sendable, CaseIterable {
    /// The first `GET key`.
    case read
    /// Pre-review's `DEL key`.
    case evict
    /// `SET lease:<key> <token> PX ttl NX`.
    case acquire
    /// The store: `SET key value EX ttl`, or the fenced-write script.
    case write
    /// The command that removes the lease: the compare-and-delete script, or the `DEL` of `get-then-delete`
    /// (its `GET` only reads) or of `delete`.
    case release
}
