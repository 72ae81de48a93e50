import Trace

/// How a call ends, with versions for values: ``LeaseModel/traceOutcome(_:)`` gives the trace form.
enum ModelOutcome: Hashable, Sendable {
    /// The call reloaded `version`; `leaseLost` when a fenced write was refused.
    case fresh(version: Int, leaseLost: Bool)
    /// The call served the version its `GET` read.
    case stale(version: Int, reason: StaleReason)
    /// The `GET` found nothing.
    case miss
    /// A command failed.
    case error(ErrorReason)

    /// The version handed to the caller, if any.
    var servedVersion: Int? {
        switch self {
        case .fresh(let version, _), .stale(let version, _): return version
        case .miss, .error: return nil
        }
    }
}
