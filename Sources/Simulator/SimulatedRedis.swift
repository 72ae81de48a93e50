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

    /// Each key's slot, by name: a lookup by name hashes once, here, and everything else is by slot. A slot
    /// belongs to a name that is not a lease key; it holds that key's entry and the lease `lease:<name>` (so the
    /// protocol's lease commands need no key concatenation and no byte copies of tokens). Looked up by key only;
    /// never iterated into output without sorting.
    private var slotsByName: [String: Int] = [:]
    /// Each slot's key name.
    private var names: [String] = []
    /// Each slot's entry (the key `names[slot]` itself), if stored.
    private var entries: [Entry?] = []
    /// Each slot's lease (the key `lease:<names[slot]>`), holding the token, if stored.
    private var leases: [Lease?] = []

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

    /// The slot of the key named `name` (a name given as is: `lease:<key>` names its own slot, whose lease is
    /// `lease:lease:<key>`), numbering it if it is new.
    ///
    /// The simulator keeps each of its keys' slots and passes them to ``execute(_:slot:nowMicroseconds:)`` and
    /// the other slot methods, so its hot path never hashes a key name.
    mutating func slot(of name: String) -> Int {
        if let slot = slotsByName[name] { return slot }
        let slot = names.count
        slotsByName[name] = slot
        names.append(name)
        entries.append(nil)
        leases.append(nil)
        return slot
    }

    /// The slot a key name is stored in, and whether it is the slot's lease, without numbering anything.
    private func existingSlot(of key: String) -> (slot: Int, isLease: Bool)? {
        if let guarded = Self.guardedKey(key) {
            return slotsByName[String(guarded)].map { ($0, true) }
        }
        return slotsByName[key].map { ($0, false) }
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
        guard let (slot, isLease) = existingSlot(of: key) else { return nil }
        if isLease {
            return liveLease(slot, nowMicroseconds: nowMicroseconds).map {
                Entry(value: $0.token.bytes, deadlineMilliseconds: $0.deadlineMilliseconds)
            }
        }
        return liveEntry(slot, nowMicroseconds: nowMicroseconds)
    }

    /// The live entry in `slot`, removing it if it has expired.
    private mutating func liveEntry(_ slot: Int, nowMicroseconds: Int64) -> Entry? {
        // Read once: reading the deadline and then the entry copied the entry's bytes twice (a retain each).
        guard let entry = entries[slot] else { return nil }
        if Self.isExpired(deadlineMilliseconds: entry.deadlineMilliseconds, nowMicroseconds: nowMicroseconds) {
            entries[slot] = nil
            return nil
        }
        return entry
    }

    /// The live lease in `slot`, removing it if it has expired.
    private mutating func liveLease(_ slot: Int, nowMicroseconds: Int64) -> Lease? {
        guard let lease = leases[slot] else { return nil }
        if Self.isExpired(deadlineMilliseconds: lease.deadlineMilliseconds, nowMicroseconds: nowMicroseconds) {
            leases[slot] = nil
            return nil
        }
        return lease
    }

    /// A key's entry without expiring anything: for inspection and tests.
    public func peek(_ key: String) -> Entry? {
        guard let (slot, isLease) = existingSlot(of: key) else { return nil }
        if isLease {
            return leases[slot].map { Entry(value: $0.token.bytes, deadlineMilliseconds: $0.deadlineMilliseconds) }
        }
        return entries[slot]
    }

    /// The deadline of a key, without expiring anything.
    public func deadline(of key: String) -> Int64? {
        guard let (slot, isLease) = existingSlot(of: key) else { return nil }
        return isLease ? leases[slot]?.deadlineMilliseconds : entries[slot]?.deadlineMilliseconds
    }

    /// The deadline of the key in `slot` (its lease's if `lease`), without expiring anything: ``deadline(of:)``
    /// for the simulator's hot path.
    func deadline(slot: Int, lease: Bool) -> Int64? {
        lease ? leases[slot]?.deadlineMilliseconds : entries[slot]?.deadlineMilliseconds
    }

    /// The earliest deadline of any key or lease.
    var earliestDeadline: Int64? {
        let plain = entries.lazy.compactMap { $0?.deadlineMilliseconds }.min()
        let leased = leases.lazy.compactMap { $0?.deadlineMilliseconds }.min()
        switch (plain, leased) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b): return b
        }
    }

    /// Every key and entry, sorted by key.
    public var sortedEntries: [(key: String, entry: Entry)] {
        var list: [(key: String, entry: Entry)] = []
        for slot in names.indices {
            if let entry = entries[slot] {
                list.append((key: names[slot], entry: entry))
            }
            if let lease = leases[slot] {
                list.append(
                    (
                        key: Command.leaseKey(of: names[slot]),
                        entry: Entry(value: lease.token.bytes, deadlineMilliseconds: lease.deadlineMilliseconds)
                    ))
            }
        }
        return list.sorted { $0.key < $1.key }
    }

    /// Redis restarts empty: every key (and the script cache, which EVAL never depends on) is gone. The slots stay
    /// numbered: a slot is a name's place, not a stored key.
    public mutating func restart() {
        for slot in names.indices {
            entries[slot] = nil
            leases[slot] = nil
        }
    }

    /// Stores a key directly, as a scenario's initial state does.
    public mutating func store(_ key: String, value: [UInt8], deadlineMilliseconds: Int64?) {
        if let guarded = Self.guardedKey(key) {
            leases[slot(of: String(guarded))] = Lease(
                token: Token(String(decoding: value, as: UTF8.self)), deadlineMilliseconds: deadlineMilliseconds)
        } else {
            entries[slot(of: key)] = Entry(value: value, deadlineMilliseconds: deadlineMilliseconds)
        }
    }

    /// Removes a key whose deadline is exactly `deadlineMilliseconds`, if it is still there with that deadline:
    /// the simulator's `expire` event. Returns whether it removed anything.
    public mutating func expire(_ key: String, deadlineMilliseconds: Int64) -> Bool {
        guard let (slot, isLease) = existingSlot(of: key) else { return false }
        return expire(slot: slot, lease: isLease, deadlineMilliseconds: deadlineMilliseconds)
    }

    /// ``expire(_:deadlineMilliseconds:)`` of the key in `slot` (its lease if `lease`).
    mutating func expire(slot: Int, lease: Bool, deadlineMilliseconds: Int64) -> Bool {
        if lease {
            guard let stored = leases[slot], stored.deadlineMilliseconds == deadlineMilliseconds else { return false }
            leases[slot] = nil
            return true
        }
        guard let entry = entries[slot], entry.deadlineMilliseconds == deadlineMilliseconds else { return false }
        entries[slot] = nil
        return true
    }

    // MARK: - Commands

    /// Executes one command of the protocol at `nowMicroseconds` and returns Redis's reply.
    public mutating func execute(_ command: Command, nowMicroseconds: Int64) -> Reply {
        switch command {
        case .get(let key), .delete(let key), .set(let key, _, _):
            if let guarded = Self.guardedKey(key) {
                return executeOnLease(command, slot: slot(of: String(guarded)), nowMicroseconds: nowMicroseconds)
            }
            return execute(command, slot: slot(of: key), nowMicroseconds: nowMicroseconds)
        case .acquire(let key, _, _), .release(let key, _), .fencedWrite(let key, _, _, _):
            return execute(command, slot: slot(of: key), nowMicroseconds: nowMicroseconds)
        }
    }

    /// Executes `command`, whose key (the `key` it names) is in `slot` and is not a lease key's name: the body of
    /// ``execute(_:nowMicroseconds:)`` once the key is numbered, and the simulator's hot path.
    mutating func execute(_ command: Command, slot: Int, nowMicroseconds: Int64) -> Reply {
        switch command {
        case .get:
            guard let entry = liveEntry(slot, nowMicroseconds: nowMicroseconds) else { return .null }
            return .bulk(entry.value)

        case .acquire(_, let token, let ttl):
            guard let deadline = Self.checkedDeadline(ttl: ttl, unitMilliseconds: 1, nowMicroseconds: nowMicroseconds)
            else { return .error("ERR invalid expire time in 'set' command") }
            if liveLease(slot, nowMicroseconds: nowMicroseconds) != nil {
                return .null
            }
            leases[slot] = Lease(token: token, deadlineMilliseconds: deadline)
            return .ok

        case .set(_, let value, let ttl):
            guard
                let deadline = Self.checkedDeadline(ttl: ttl, unitMilliseconds: 1_000, nowMicroseconds: nowMicroseconds)
            else { return .error("ERR invalid expire time in 'set' command") }
            entries[slot] = Entry(value: value.bytes, deadlineMilliseconds: deadline)
            return .ok

        case .delete:
            guard liveEntry(slot, nowMicroseconds: nowMicroseconds) != nil else { return .integer(0) }
            entries[slot] = nil
            return .integer(1)

        case .release(_, let token):
            // local v = redis.call("get", KEYS[1]) if v == ARGV[1] then return redis.call("del", KEYS[1])
            // elseif v then return 0 else return -1 end
            guard let lease = liveLease(slot, nowMicroseconds: nowMicroseconds) else { return .integer(-1) }
            guard lease.token == token else { return .integer(0) }
            leases[slot] = nil
            return .integer(1)

        case .fencedWrite(_, let value, let token, let ttl):
            // if redis.call("get", KEYS[2]) == ARGV[2] then return redis.call("set", KEYS[1], ARGV[1], "EX", ARGV[3])
            // else return 0 end
            guard let lease = liveLease(slot, nowMicroseconds: nowMicroseconds), lease.token == token else {
                return .integer(0)
            }
            guard
                let deadline = Self.checkedDeadline(ttl: ttl, unitMilliseconds: 1_000, nowMicroseconds: nowMicroseconds)
            else { return .error(Self.fencedWriteInvalidExpireError) }
            entries[slot] = Entry(value: value.bytes, deadlineMilliseconds: deadline)
            return .ok
        }
    }

    /// `GET`, `DEL` or `SET` of a lease key by name (`lease:<key>`, `<key>` in `slot`): get-then-delete's and
    /// delete's releases; a `SET` of a lease key is never sent by the protocol and kept exact all the same.
    private mutating func executeOnLease(_ command: Command, slot: Int, nowMicroseconds: Int64) -> Reply {
        switch command {
        case .get:
            guard let lease = liveLease(slot, nowMicroseconds: nowMicroseconds) else { return .null }
            return .bulk(lease.token.bytes)
        case .delete:
            guard liveLease(slot, nowMicroseconds: nowMicroseconds) != nil else { return .integer(0) }
            leases[slot] = nil
            return .integer(1)
        case .set(_, let value, let ttl):
            guard
                let deadline = Self.checkedDeadline(ttl: ttl, unitMilliseconds: 1_000, nowMicroseconds: nowMicroseconds)
            else { return .error("ERR invalid expire time in 'set' command") }
            leases[slot] = Lease(
                token: Token(String(decoding: value.bytes, as: UTF8.self)), deadlineMilliseconds: deadline)
            return .ok
        case .acquire, .release, .fencedWrite:
            preconditionFailure("SimulatedRedis: \(command) names a cache key, not a lease key")
        }
    }

    /// Redis 7.0's error for the fenced-write script's `SET ... EX` with an invalid TTL: the command's error, then
    /// the script's SHA-1 and line. The SHA-1 is of `Scripts.fencedWrite`; a test checks it against a real
    /// server's `SCRIPT LOAD`.
    public static let fencedWriteInvalidExpireError =
        "ERR invalid expire time in 'set' command script: a8214457974c5271c49c639516775cc53977e476, on @user_script:1."
}
