/// Read-only queries on a simulated Redis, for comparing it with a real server without changing its state.
extension SimulatedRedis {
    /// What `PEXPIRETIME key` would answer at `nowMicroseconds`: -2 when the key is missing (or expired), -1 when it
    /// has no TTL, else its absolute deadline in milliseconds.
    ///
    /// Unlike a lookup, this expires nothing: an expired key stays stored, as an inspection must not move the state.
    public func expireTimeMilliseconds(of key: String, nowMicroseconds: Int64) -> Int64 {
        guard let entry = peek(key) else { return -2 }
        guard let when = entry.deadlineMilliseconds else { return -1 }
        return Self.isExpired(deadlineMilliseconds: when, nowMicroseconds: nowMicroseconds) ? -2 : when
    }

    /// Every deadline stored, sorted and without repeats: the only milliseconds at which a reply can change.
    public var sortedDeadlinesMilliseconds: [Int64] {
        Array(Set(sortedEntries.compactMap(\.entry.deadlineMilliseconds))).sorted()
    }

    /// The earliest deadline stored, if any: whether anything can expire by a given instant, without sorting.
    public var earliestDeadlineMilliseconds: Int64? {
        earliestDeadline
    }
}
