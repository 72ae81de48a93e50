/// How an `evictAndReload` call ended: the content of a trace's `return` event.
public enum Outcome: Hashable, Sendable, CustomStringConvertible {
    /// The call reloaded. `leaseLost` is true when a fenced write was refused: the value is returned, not stored.
    case fresh(CacheValue, leaseLost: Bool)
    /// The call returned the value its first `GET` read, for this reason.
    case stale(CacheValue, StaleReason)
    /// The first `GET` found nothing: nothing to evict.
    case miss
    /// A command failed: the call ends with an error.
    case error(ErrorReason)

    /// The trace form: `fresh v3`, `fresh v3 lease-lost`, `stale v2 contended`, `miss`, `error command-timeout`.
    public var description: String {
        switch self {
        case .fresh(let value, let leaseLost):
            return leaseLost ? "fresh \(value) lease-lost" : "fresh \(value)"
        case .stale(let value, let reason):
            return "stale \(value) \(reason.rawValue)"
        case .miss:
            return "miss"
        case .error(let reason):
            return "error \(reason.rawValue)"
        }
    }
}

/// Why a call served the stale value.
public enum StaleReason: String, Hashable, Sendable, CaseIterable {
    /// Another worker holds the lease (counted as `cache.evict.contended`).
    case contended
    /// The origin failed.
    case originFailed = "origin-failed"
    /// The origin timeout fired first.
    case originTimeout = "origin-timeout"
}

/// Why a call ended in an error.
public enum ErrorReason: String, Hashable, Sendable, CaseIterable {
    /// The client stopped waiting for a reply: the command may or may not have been applied.
    case commandTimeout = "command-timeout"
    /// The connection broke: the command may or may not have been applied.
    case connectionLost = "connection-lost"
    /// The server answered with an error (`-ERR`, `-WRONGTYPE`, ...).
    case serverError = "server-error"
    /// The server answered with a shape the command cannot produce.
    case unexpectedReply = "unexpected-reply"
}
