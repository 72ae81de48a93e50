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

    /// The keys. Looked up by key only; never iterated into output without sorting.
    private var entries: [String: Entry] = [:]

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

    @inlinable
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    // MARK: - Lookup

    /// The live entry of a key at `now`, removing it if it has expired (lazy expiry).
    public mutating func lookup(_ key: String, nowMicroseconds: Int64) -> Entry? {
        guard let entry = entries[key] else { return nil }
        if Self.isExpired(deadlineMilliseconds: entry.deadlineMilliseconds, nowMicroseconds: nowMicroseconds) {
            entries[key] = nil
            return nil
        }
        return entry
    }

    /// A key's entry without expiring anything: for inspection and tests.
    public func peek(_ key: String) -> Entry? {
        entries[key]
    }

    /// Every key and entry, sorted by key.
    public var sortedEntries: [(key: String, entry: Entry)] {
        entries.map { (key: $0.key, entry: $0.value) }.sorted { $0.key < $1.key }
    }

    /// Redis restarts empty: every key (and the script cache, which EVAL never depends on) is gone.
    public mutating func restart() {
        entries.removeAll()
    }

    /// Stores a key directly, as a scenario's initial state does.
    public mutating func store(_ key: String, value: [UInt8], deadlineMilliseconds: Int64?) {
        entries[key] = Entry(value: value, deadlineMilliseconds: deadlineMilliseconds)
    }

    /// Removes a key whose deadline is exactly `deadlineMilliseconds`, if it is still there with that deadline:
    /// the simulator's `expire` event. Returns whether it removed anything.
    public mutating func expire(_ key: String, deadlineMilliseconds: Int64) -> Bool {
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
            let leaseKey = Command.leaseKey(of: key)
            guard ttl > 0 else { return .error("ERR invalid expire time in 'set' command") }
            if lookup(leaseKey, nowMicroseconds: nowMicroseconds) != nil {
                return .null
            }
            entries[leaseKey] = Entry(
                value: token.bytes,
                deadlineMilliseconds: Self.deadline(ttlMilliseconds: Int64(ttl), nowMicroseconds: nowMicroseconds))
            return .ok

        case .set(let key, let value, let ttl):
            guard ttl > 0 else { return .error("ERR invalid expire time in 'set' command") }
            entries[key] = Entry(
                value: value.bytes,
                deadlineMilliseconds: Self.deadline(
                    ttlMilliseconds: Int64(ttl) * 1_000, nowMicroseconds: nowMicroseconds))
            return .ok

        case .delete(let key):
            return .integer(lookup(key, nowMicroseconds: nowMicroseconds) == nil ? 0 : remove(key))

        case .release(let key, let token):
            // local v = redis.call("get", KEYS[1]) if v == ARGV[1] then return redis.call("del", KEYS[1])
            // elseif v then return 0 else return -1 end
            let leaseKey = Command.leaseKey(of: key)
            guard let entry = lookup(leaseKey, nowMicroseconds: nowMicroseconds) else { return .integer(-1) }
            guard entry.value == token.bytes else { return .integer(0) }
            return .integer(remove(leaseKey))

        case .fencedWrite(let key, let value, let token, let ttl):
            // if redis.call("get", KEYS[2]) == ARGV[2] then return redis.call("set", KEYS[1], ARGV[1], "EX", ARGV[3])
            // else return 0 end
            let leaseKey = Command.leaseKey(of: key)
            guard let lease = lookup(leaseKey, nowMicroseconds: nowMicroseconds), lease.value == token.bytes else {
                return .integer(0)
            }
            guard ttl > 0 else {
                return .error("ERR Error running script: invalid expire time in 'set' command")
            }
            entries[key] = Entry(
                value: value.bytes,
                deadlineMilliseconds: Self.deadline(
                    ttlMilliseconds: Int64(ttl) * 1_000, nowMicroseconds: nowMicroseconds))
            return .ok
        }
    }

    private mutating func get(_ key: String, nowMicroseconds: Int64) -> Reply {
        guard let entry = lookup(key, nowMicroseconds: nowMicroseconds) else { return .null }
        return .bulk(entry.value)
    }

    private mutating func remove(_ key: String) -> Int64 {
        entries.removeValue(forKey: key) == nil ? 0 : 1
    }
}
