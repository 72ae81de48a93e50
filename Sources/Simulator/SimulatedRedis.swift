import Trace

/// A single-threaded Redis with the semantics of REDIS.md for every command and script the protocol sends.
///
/// Deadlines are milliseconds as Redis computes them: a TTL set at `now` gives `when = floor(now_us / 1000) + ttl_ms`,
/// and a key is expired iff `floor(now_us / 1000) > when`. Expiry is lazy on every lookup, as in Redis; the
/// simulator additionally reports an `expire` event at `(when + 1)` ms (see ``nextExpiry``), which is the same
/// instant from which every lookup would find the key gone. A script runs with time frozen at its start, which
/// here is simply the `now` of its one call.
public struct SimulatedRedis: Sendable {
    /// One stored key.
    public struct Entry: Hashable, Sendable {
        /// The stored bytes.
        public var value: [UInt8]
        /// The absolute deadline in milliseconds, or nil for no TTL.
        public var deadlineMilliseconds: Int64?

        public init(value: [UInt8], deadlineMilliseconds: Int64?) {
            self.value = value
            self.deadlineMilliseconds = deadlineMilliseconds
        }
    }

    /// The keys other than leases. Looked up by key only; never iterated into output without sorting.
    private var entries: [String: Entry] = [:]
    /// The lease keys, by the cache key they guard (`lease:<key>` is stored under `<key>`), holding the token: the
    /// protocol's lease commands then need no key concatenation and no byte copies of tokens.
    private var leases: [String: Lease] = [:]

    /// One lease: its token and deadline.
    private struct Lease: Hashable, Sendable {
        var token: Token
        var deadlineMilliseconds: Int64?
    }

    /// The cache key a lease key guards, or nil for any other key.
    @inline(__always)
    private static func guardedKey(_ key: String) -> Substring? {
        key.hasPrefix("lease:") ? key.dropFirst(6) : nil
    }

    public init() {}

    /// Whether a key with this deadline has expired at `nowMicroseconds`.
    @inlinable
    public static func isExpired(deadlineMilliseconds: Int64?, nowMicroseconds: Int64) -> Bool {
        guard let when = deadlineMilliseconds else { return false }
        return floorDivide(nowMicroseconds, 1_000) > when
    }

    /// The deadline a TTL set at `nowMicroseconds` gives.
    @inlinable
    public static func deadline(ttlMilliseconds: Int64, nowMicroseconds: Int64) -> Int64 {
        floorDivide(nowMicroseconds, 1_000) + ttlMilliseconds
    }

    /// The deadline of `SET ... EX/PX`, or nil where Redis answers "invalid expire time": a TTL that is not
    /// positive, or one whose milliseconds or deadline overflow 64 bits (Redis 7's `getExpireMillisecondsOrReply`).
    static func checkedDeadline(ttl: Int, unitMilliseconds: Int64, nowMicroseconds: Int64) -> Int64? {
        guard ttl > 0 else { return nil }
        let (milliseconds, overflowed) = Int64(ttl).multipliedReportingOverflow(by: unitMilliseconds)
        guard !overflowed else { return nil }
        let (deadline, past) = floorDivide(nowMicroseconds, 1_000).addingReportingOverflow(milliseconds)
        return past ? nil : deadline
    }

    @inlinable
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    // MARK: - Lookup

    /// The live entry of a key at `now`, removing it if it has expired (lazy expiry).
    public mutating func lookup(_ key: String, nowMicroseconds: Int64) -> Entry? {
        if let guarded = Self.guardedKey(key) {
            return liveLease(String(guarded), nowMicroseconds: nowMicroseconds).map {
                Entry(value: $0.token.bytes, deadlineMilliseconds: $0.deadlineMilliseconds)
            }
        }
        guard let entry = entries[key] else { return nil }
        if Self.isExpired(deadlineMilliseconds: entry.deadlineMilliseconds, nowMicroseconds: nowMicroseconds) {
            entries[key] = nil
            return nil
        }
        return entry
    }

    /// The live lease guarding `key`, removing it if it has expired.
    private mutating func liveLease(_ key: String, nowMicroseconds: Int64) -> Lease? {
        guard let lease = leases[key] else { return nil }
        if Self.isExpired(deadlineMilliseconds: lease.deadlineMilliseconds, nowMicroseconds: nowMicroseconds) {
            leases[key] = nil
            return nil
        }
        return lease
    }

    /// A key's entry without expiring anything: for inspection and tests.
    public func peek(_ key: String) -> Entry? {
        if let guarded = Self.guardedKey(key) {
            return leases[String(guarded)].map { Entry(value: $0.token.bytes, deadlineMilliseconds: $0.deadlineMilliseconds) }
        }
        return entries[key]
    }

    /// The deadline of a key, without expiring anything.
    public func deadline(of key: String) -> Int64? {
        if let guarded = Self.guardedKey(key) {
            return leases[String(guarded)]?.deadlineMilliseconds
        }
        return entries[key]?.deadlineMilliseconds
    }

    /// The deadline of `lease:<key>`, without expiring anything: ``deadline(of:)`` without building the lease
    /// key's name, for the simulator's hot path.
    func leaseDeadline(guarding key: String) -> Int64? {
        leases[key]?.deadlineMilliseconds
    }

    /// The earliest deadline of any key or lease (a minimum: the same whatever the dictionaries' order).
    var earliestDeadline: Int64? {
        let plain = entries.values.lazy.compactMap(\.deadlineMilliseconds).min()
        let leased = leases.values.lazy.compactMap(\.deadlineMilliseconds).min()
        switch (plain, leased) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b): return b
        }
    }

    /// Every key and entry, sorted by key.
    public var sortedEntries: [(key: String, entry: Entry)] {
        let plain = entries.map { (key: $0.key, entry: $0.value) }
        let leased = leases.map {
            (key: Command.leaseKey(of: $0.key), entry: Entry(value: $0.value.token.bytes, deadlineMilliseconds: $0.value.deadlineMilliseconds))
        }
        return (plain + leased).sorted { $0.key < $1.key }
    }

    /// Redis restarts empty: every key (and the script cache, which EVAL never depends on) is gone.
    public mutating func restart() {
        entries.removeAll()
        leases.removeAll()
    }

    /// Stores a key directly, as a scenario's initial state does.
    public mutating func store(_ key: String, value: [UInt8], deadlineMilliseconds: Int64?) {
        if let guarded = Self.guardedKey(key) {
            leases[String(guarded)] = Lease(
                token: Token(String(decoding: value, as: UTF8.self)), deadlineMilliseconds: deadlineMilliseconds)
        } else {
            entries[key] = Entry(value: value, deadlineMilliseconds: deadlineMilliseconds)
        }
    }

    /// Removes a key whose deadline is exactly `deadlineMilliseconds`, if it is still there with that deadline:
    /// the simulator's `expire` event. Returns whether it removed anything.
    public mutating func expire(_ key: String, deadlineMilliseconds: Int64) -> Bool {
        if let guarded = Self.guardedKey(key) {
            let cacheKey = String(guarded)
            guard let lease = leases[cacheKey], lease.deadlineMilliseconds == deadlineMilliseconds else { return false }
            leases[cacheKey] = nil
            return true
        }
        guard let entry = entries[key], entry.deadlineMilliseconds == deadlineMilliseconds else { return false }
        entries[key] = nil
        return true
    }

    // MARK: - Commands

    /// Executes one command of the protocol at `nowMicroseconds` and returns Redis's reply.
    public mutating func execute(_ command: Command, nowMicroseconds: Int64) -> Reply {
        switch command {
        case .get(let key):
            return get(key, nowMicroseconds: nowMicroseconds)

        case .acquire(let key, let token, let ttl):
            guard let deadline = Self.checkedDeadline(ttl: ttl, unitMilliseconds: 1, nowMicroseconds: nowMicroseconds)
            else { return .error("ERR invalid expire time in 'set' command") }
            if liveLease(key, nowMicroseconds: nowMicroseconds) != nil {
                return .null
            }
            leases[key] = Lease(token: token, deadlineMilliseconds: deadline)
            return .ok

        case .set(let key, let value, let ttl):
            guard
                let deadline = Self.checkedDeadline(ttl: ttl, unitMilliseconds: 1_000, nowMicroseconds: nowMicroseconds)
            else { return .error("ERR invalid expire time in 'set' command") }
            if let guarded = Self.guardedKey(key) {  // never sent by the protocol; kept exact all the same
                leases[String(guarded)] = Lease(
                    token: Token(String(decoding: value.bytes, as: UTF8.self)), deadlineMilliseconds: deadline)
                return .ok
            }
            entries[key] = Entry(value: value.bytes, deadlineMilliseconds: deadline)
            return .ok

        case .delete(let key):
            if let guarded = Self.guardedKey(key) {
                let cacheKey = String(guarded)
                return .integer(liveLease(cacheKey, nowMicroseconds: nowMicroseconds) == nil ? 0 : (leases.removeValue(forKey: cacheKey) == nil ? 0 : 1))
            }
            return .integer(lookup(key, nowMicroseconds: nowMicroseconds) == nil ? 0 : remove(key))

        case .release(let key, let token):
            // local v = redis.call("get", KEYS[1]) if v == ARGV[1] then return redis.call("del", KEYS[1])
            // elseif v then return 0 else return -1 end
            guard let lease = liveLease(key, nowMicroseconds: nowMicroseconds) else { return .integer(-1) }
            guard lease.token == token else { return .integer(0) }
            leases[key] = nil
            return .integer(1)

        case .fencedWrite(let key, let value, let token, let ttl):
            // if redis.call("get", KEYS[2]) == ARGV[2] then return redis.call("set", KEYS[1], ARGV[1], "EX", ARGV[3])
            // else return 0 end
            guard let lease = liveLease(key, nowMicroseconds: nowMicroseconds), lease.token == token else {
                return .integer(0)
            }
            guard
                let deadline = Self.checkedDeadline(ttl: ttl, unitMilliseconds: 1_000, nowMicroseconds: nowMicroseconds)
            else { return .error(Self.fencedWriteInvalidExpireError) }
            entries[key] = Entry(value: value.bytes, deadlineMilliseconds: deadline)
            return .ok
        }
    }

    /// Redis 7.0's error for the fenced-write script's `SET ... EX` with an invalid TTL: the command's error, then
    /// the script's SHA-1 and line. The SHA-1 is of `Scripts.fencedWrite`; a test checks it against a real
    /// server's `SCRIPT LOAD`.
    public static let fencedWriteInvalidExpireError =
        "ERR invalid expire time in 'set' command script: a8214457974c5271c49c639516775cc53977e476, on @user_script:1."

    private mutating func get(_ key: String, nowMicroseconds: Int64) -> Reply {
        guard let entry = lookup(key, nowMicroseconds: nowMicroseconds) else { return .null }
        return .bulk(entry.value)
    }

    private mutating func remove(_ key: String) -> Int64 {
        entries.removeValue(forKey: key) == nil ? 0 : 1
    }
}
