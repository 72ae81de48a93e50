import LeaseCore
import RedisClient
import Trace

/// Everything one `evictAndReload` call produced: its outcome, what its release found, and, for an error, the
/// failure that caused it in one line naming the server.
public struct EvictionResult: Sendable, Hashable {
    /// The call's outcome, in the trace vocabulary.
    public var outcome: Outcome
    /// What the release found, if the call released.
    public var releaseResult: ReleaseResult?
    /// For an error outcome: what went wrong, where, and what to do.
    public var failure: String?
    /// Wall time from the call's start to its end.
    public var durationMicroseconds: Int64

    public init(outcome: Outcome, releaseResult: ReleaseResult?, failure: String?, durationMicroseconds: Int64) {
        self.outcome = outcome
        self.releaseResult = releaseResult
        self.failure = failure
        self.durationMicroseconds = durationMicroseconds
    }
}

/// An `evictAndReload` call that ended in an error.
public struct LeaseCacheError: Error, Sendable, CustomStringConvertible {
    /// The error outcome's reason.
    public var reason: ErrorReason
    /// One line: where, what, and what to do.
    public var description: String

    public init(reason: ErrorReason, description: String) {
        self.reason = reason
        self.description = description
    }
}
