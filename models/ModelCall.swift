import Trace

/// The call a worker is running: which scenario call it is, where it is in the protocol, and what the driver
/// needs to know about it (when it started, how many commands it has sent, which pause points it has used).
struct ActiveCall: Hashable, Sendable {
    /// The call's index in the scenario's `calls:` (time order).
    var callIndex: Int
    /// The call's number among its worker's calls, from 1: the token's second half.
    var callNumber: Int
    /// The key index the call evicts and reloads.
    var key: Int
    /// Where the call is in the protocol.
    var phase: CallPhase
    /// When the call's `call` event happened: what `bounded-latency` measures from.
    var startedAtMicroseconds: Int64
    /// Commands sent so far in this call: the next one's number is one more (choices name commands by number).
    var commandsSent: Int
    /// The pause points that have struck in this call: each strikes at most once per call.
    var pausesUsed: PausePointSet

    /// The call's lease token.
    func token(worker: Int) -> ModelToken {
        ModelToken(worker: worker, call: callNumber)
    }
}

/// Where a call is: the protocol's states, restated from DESIGN.md "The protocol under study" and the knobs.
///
/// Versions stand for values: `existing` is what the first `GET` read, `fresh` what the origin loaded.
enum CallPhase: Hashable, Sendable {
    /// `GET <key>` is sent.
    case reading
    /// Pre-review only: `DEL <key>` is sent.
    case evicting(existing: Int)
    /// `SET lease:<key> <token> PX ttl NX` is sent.
    case acquiring(existing: Int)
    /// The origin is loading; `originTimerMicroseconds` is the origin timeout's instant when the variant has one.
    case loading(existing: Int, originTimerMicroseconds: Int64?)
    /// The write of `fresh` is decided: about to be sent (or paused before it), or sent.
    case writing(fresh: Int)
    /// The first release command is decided or sent; `pending` is the outcome unless the release fails.
    case releasing(pending: ModelOutcome)
    /// Get-then-delete only: the `GET` found our token, the `DEL` is decided or sent.
    case releaseDeleting(pending: ModelOutcome)
    /// The outcome is decided; the `return` event is next.
    case finished(ModelOutcome)

    /// Whether the call waits for the origin.
    var isLoading: Bool {
        if case .loading = self { return true }
        return false
    }
}

/// What a call asks its driver to do next: the model's counterpart of an action list, one step at a time.
enum CallStep: Hashable, Sendable {
    /// Send this command (a pause point may stop the worker just before).
    case send(ModelCommand)
    /// Ask the origin for the key: the `load-start` event. The origin timer, if any, is in the phase.
    case startLoad
    /// End the call: the `return` event.
    case finish(ModelOutcome)
}

/// A set of pause points, as bits: small and cheap to encode.
struct PausePointSet: Hashable, Sendable {
    /// One bit per ``PausePoint`` case, in declaration order.
    var bits: UInt8 = 0

    static func bit(_ point: PausePoint) -> UInt8 {
        switch point {
        case .beforeAcquire: return 1
        case .afterLoad: return 2
        case .beforeWrite: return 4
        case .beforeRelease: return 8
        case .beforeReleaseDelete: return 16
        }
    }

    func contains(_ point: PausePoint) -> Bool {
        bits & Self.bit(point) != 0
    }

    mutating func insert(_ point: PausePoint) {
        bits |= Self.bit(point)
    }
}
