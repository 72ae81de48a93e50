/// A Redis command of the protocol, with keys unprefixed and values and tokens symbolic.
///
/// This is the content of a trace's `exec` event. The cache key of a call is `key`; its lease key is
/// `lease:<key>` (``leaseKey(of:)``). Rendering to argv (with a run's key prefix and the scripts' text) belongs to
/// the production module; the trace form is ``description``.
public enum Command: Hashable, Sendable, CustomStringConvertible {
    /// `GET <key>`: any key, the cache key or a lease key.
    case get(key: String)
    /// `SET lease:<key> <token> PX <ttl> NX`: take the lease.
    case acquire(key: String, token: Token, ttlMilliseconds: Int)
    /// `SET <key> <value> EX <ttl>`: store a fresh value.
    case set(key: String, value: CacheValue, ttlSeconds: Int)
    /// `DEL <key>`: any key (a writer's invalidation, the pre-review eviction, a lease release).
    case delete(key: String)
    /// `EVAL <compare-and-delete script> 1 lease:<key> <token>`.
    case release(key: String, token: Token)
    /// `EVAL <fenced-write script> 2 <key> lease:<key> <value> <token> <ttl>`.
    case fencedWrite(key: String, value: CacheValue, token: Token, ttlSeconds: Int)

    /// The lease key that guards a cache key.
    public static func leaseKey(of key: String) -> String {
        "lease:" + key
    }

    /// The trace form: Redis's own words for plain commands, `EVAL release` and `EVAL fenced-write` for scripts.
    public var description: String {
        switch self {
        case .get(let key):
            return "GET \(key)"
        case .acquire(let key, let token, let ttl):
            return "SET \(Command.leaseKey(of: key)) \(token) PX \(ttl) NX"
        case .set(let key, let value, let ttl):
            return "SET \(key) \(value) EX \(ttl)"
        case .delete(let key):
            return "DEL \(key)"
        case .release(let key, let token):
            return "EVAL release \(Command.leaseKey(of: key)) \(token)"
        case .fencedWrite(let key, let value, let token, let ttl):
            return "EVAL fenced-write \(key) \(Command.leaseKey(of: key)) \(value) \(token) \(ttl)"
        }
    }
}
