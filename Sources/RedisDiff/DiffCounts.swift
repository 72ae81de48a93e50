/// What compared replies came to: per sequence, and summed over a run.
public struct DiffCounts: Hashable, Sendable {
    /// Replies compared.
    public var commandsCompared = 0
    /// Replies that only a later instant of their bracket explains.
    public var explainedByTiming = 0
    /// Replies only Redis 7.0's later TTL clock explains (see ``CandidateStates``).
    public var explainedByTTLClock = 0
    /// Lookups near a deadline that found a deadline to aim at.
    public var deadlineLookupsAimed = 0
    /// Lookups near a deadline whose key had none (missing or no TTL), or one too far to wait for.
    public var deadlineLookupsNotAimed = 0
    /// States or instants dropped at a bound (see ``CandidateStates/droppedStateCount``); nonzero means a later
    /// "unexplained" might have been explainable.
    public var droppedStateCount = 0

    public init() {}

    /// Adds another's counts to these.
    public mutating func add(_ other: DiffCounts) {
        commandsCompared += other.commandsCompared
        explainedByTiming += other.explainedByTiming
        explainedByTTLClock += other.explainedByTTLClock
        deadlineLookupsAimed += other.deadlineLookupsAimed
        deadlineLookupsNotAimed += other.deadlineLookupsNotAimed
        droppedStateCount += other.droppedStateCount
    }
}
