import Trace

/// A deliberate, small departure from the protocol or from the trace, for tests of the conformance checker only.
///
/// Test-only: the checker exists to catch implementations that differ from the model, and a checker that accepts
/// a mutant is broken. Each case changes one thing in the simulator's driving of LeaseCore or in what it records,
/// never LeaseCore itself (the production module stays one module, DESIGN.md rule 2). Every real run uses
/// ``none``, the default of ``Simulation/init(scenario:variant:chooser:recording:mutation:)``.
public enum SimulationMutation: Hashable, Sendable, CaseIterable {
    /// The protocol as written: what every real run uses.
    case none
    /// A release deletes the lease without checking the token: `EVAL release lease:<key> <token>` is sent as
    /// `DEL lease:<key>`.
    case releaseWithoutTokenCheck
    /// The call is handed the source's version the instant its load starts, so its `SET` goes out before the
    /// origin's `load-end`.
    case writeBeforeLoadEnds
    /// Every lease is taken with a TTL one millisecond longer than the variant's (`PX 5001` for 5 s).
    case leaseTTLOffByOneMillisecond
    /// Each `return` of a stale value is recorded with the wrong reason (contended, origin-failed and
    /// origin-timeout rotated), and each error with the other connection failure.
    case outcomeMislabelled
    /// `load-end` events are not recorded: an event missing from the trace.
    case loadEndMissing

    /// Whether this is ``none``, as every real run's is. A pattern match, inlined where it is tested per event:
    /// comparing with `==` called the enum's derived equality function each time.
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    /// The command actually sent in place of the one LeaseCore asked for.
    func sent(_ command: Command) -> Command {
        switch (self, command) {
        case (.releaseWithoutTokenCheck, .release(let key, _)):
            return .delete(key: Command.leaseKey(of: key))
        case (.leaseTTLOffByOneMillisecond, .acquire(let key, let token, let ttl)):
            return .acquire(key: key, token: token, ttlMilliseconds: ttl + 1)
        default:
            return command
        }
    }

    /// The event recorded in place of `kind`; nil to record nothing.
    func recorded(_ kind: EventKind) -> EventKind? {
        switch (self, kind) {
        case (.outcomeMislabelled, .return(.stale(let value, let reason))):
            let wrong: StaleReason
            switch reason {
            case .contended: wrong = .originFailed
            case .originFailed: wrong = .originTimeout
            case .originTimeout: wrong = .contended
            }
            return .return(.stale(value, wrong))
        case (.outcomeMislabelled, .return(.error(let reason))):
            return .return(.error(reason == .commandTimeout ? .connectionLost : .commandTimeout))
        case (.loadEndMissing, .loadEnd):
            return nil
        default:
            return kind
        }
    }
}
