import Trace

/// How a command failed without a reply. In both cases the server may or may not have applied it.
public enum CommandFailure: Hashable, Sendable, CaseIterable {
    /// The client stopped waiting after the variant's command timeout.
    case timeout
    /// The connection broke (reset, EOF, server gone).
    case connectionLost

    /// The error outcome this failure gives a call.
    public var errorReason: ErrorReason {
        switch self {
        case .timeout: return .commandTimeout
        case .connectionLost: return .connectionLost
        }
    }
}

/// What a release found, for the `cache.evict.release_lost` counter: anything but ``released`` means the lease
/// was no longer ours when we came to give it back.
public enum ReleaseResult: Hashable, Sendable, CaseIterable {
    /// The lease held our token and was deleted (with `release: delete`, a lease was deleted, whoever held it).
    case released
    /// Another token held the lease: ours had expired and someone else took it.
    case anotherOwner
    /// There was no lease: ours had expired.
    case noLease
}
