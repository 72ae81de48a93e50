/// The model's Redis: per key of the scenario, the cached value and the lease, with deadlines as Redis keeps them.
///
/// Restated from REDIS.md, not shared with the simulator: deadlines are milliseconds,
/// `when = floor(now_us / 1000) + ttl_ms`, and a key is expired iff `floor(now_us / 1000) > when`. The model turns
/// every deadline into an `expire` action at `(when + 1)` ms that comes before anything else at that instant, so a
/// command never finds an expired key still stored; debug builds check that.
struct ModelRedis: Hashable, Sendable {
    /// A cached value.
    struct CacheEntry: Hashable, Sendable {
        /// The version stored, `v<version>`.
        var version: Int
        /// Redis's deadline, in milliseconds.
        var deadlineMilliseconds: Int64
    }

    /// A lease.
    struct LeaseEntry: Hashable, Sendable {
        /// The token stored.
        var token: ModelToken
        /// Redis's deadline, in milliseconds.
        var deadlineMilliseconds: Int64
        /// When the acquire executed: not Redis state, but what `bounded-lease-hold` measures from (the
        /// deadline alone has lost the sub-millisecond part).
        var acquiredAtMicroseconds: Int64
    }

    /// The cached value of each key, by key index.
    var cache: [CacheEntry?]
    /// The lease guarding each key, by key index.
    var leases: [LeaseEntry?]

    init(keyCount: Int) {
        cache = Array(repeating: nil, count: keyCount)
        leases = Array(repeating: nil, count: keyCount)
    }

    /// The deadline a TTL set at `nowMicroseconds` gives, in milliseconds.
    static func deadline(ttlMilliseconds: Int64, nowMicroseconds: Int64) -> Int64 {
        floorDivide(nowMicroseconds, 1_000) + ttlMilliseconds
    }

    /// The instant a key with this deadline expires: the first microsecond at which `floor(now / 1000) > when`.
    static func expiryInstant(deadlineMilliseconds: Int64) -> Int64 {
        (deadlineMilliseconds + 1) * 1_000
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

// Redis's commands and scripts (REDIS.md), on any storage of the state: what the step runs, and so what the
// explorer runs on whichever storage it uses.
extension StateStorage {
    /// Redis restarts empty.
    mutating func restartRedis() {
        for key in 0..<keyCount {
            setCacheEntry(nil, ofKey: key)
            setLeaseEntry(nil, ofKey: key)
        }
    }

    /// Executes a command now and returns the reply, as REDIS.md's commands and scripts do.
    mutating func executeRedis(
        _ command: ModelCommand, leaseTTLMilliseconds: Int64, cacheTTLMilliseconds: Int64
    ) -> ModelReply {
        #if DEBUG
        checkNothingExpired(key: command.key, command: command)
        #endif
        switch command {
        case .readCache(let key):
            return cacheEntry(ofKey: key).map { .value(version: $0.version) } ?? .null
        case .deleteCache(let key):
            guard cacheEntry(ofKey: key) != nil else { return .integer(0) }
            setCacheEntry(nil, ofKey: key)
            return .integer(1)
        case .acquire(let key, let token):
            guard leaseEntry(ofKey: key) == nil else { return .null }
            setLeaseEntry(
                ModelRedis.LeaseEntry(
                    token: token,
                    deadlineMilliseconds: ModelRedis.deadline(
                        ttlMilliseconds: leaseTTLMilliseconds, nowMicroseconds: nowMicroseconds),
                    acquiredAtMicroseconds: nowMicroseconds),
                ofKey: key)
            return .ok
        case .store(let key, let version):
            cache(version, ofKey: key, ttlMilliseconds: cacheTTLMilliseconds)
            return .ok
        case .fencedStore(let key, let version, let token):
            guard leaseEntry(ofKey: key)?.token == token else { return .integer(0) }
            cache(version, ofKey: key, ttlMilliseconds: cacheTTLMilliseconds)
            return .ok
        case .releaseScript(let key, let token):
            guard let lease = leaseEntry(ofKey: key) else { return .integer(-1) }
            guard lease.token == token else { return .integer(0) }
            setLeaseEntry(nil, ofKey: key)
            return .integer(1)
        case .readLease(let key):
            return leaseEntry(ofKey: key).map { .token($0.token) } ?? .null
        case .deleteLease(let key):
            guard leaseEntry(ofKey: key) != nil else { return .integer(0) }
            setLeaseEntry(nil, ofKey: key)
            return .integer(1)
        }
    }

    /// `SET key <version> EX <ttl>`, now.
    private mutating func cache(_ version: Int, ofKey key: Int, ttlMilliseconds: Int64) {
        setCacheEntry(
            ModelRedis.CacheEntry(
                version: version,
                deadlineMilliseconds: ModelRedis.deadline(
                    ttlMilliseconds: ttlMilliseconds, nowMicroseconds: nowMicroseconds)),
            ofKey: key)
    }

    /// A command must never meet a key past its deadline: its `expire` action comes first (debug check).
    private func checkNothingExpired(key: Int, command: ModelCommand) {
        let nowMilliseconds = ModelRedis.floorDivide(nowMicroseconds, 1_000)
        if let entry = cacheEntry(ofKey: key) {
            precondition(
                nowMilliseconds <= entry.deadlineMilliseconds,
                "ModelRedis: \(command) at \(nowMicroseconds)us meets the cached value past its deadline \(entry)")
        }
        if let lease = leaseEntry(ofKey: key) {
            precondition(
                nowMilliseconds <= lease.deadlineMilliseconds,
                "ModelRedis: \(command) at \(nowMicroseconds)us meets a lease past its deadline \(lease)")
        }
    }
}
