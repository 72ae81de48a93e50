/// The origin that `loadFromSource` calls (`origin:`).
public struct OriginSettings: Hashable, Sendable {
    /// How long a load takes (`latency:`). Default 10ms when absent.
    public var latency: LatencyRange
    /// Loads that take a fixed time or fail (`overrides:`), in file order; at most one per worker's call.
    public var overrides: [OriginOverride]

    public init(latency: LatencyRange, overrides: [OriginOverride]) {
        self.latency = latency
        self.overrides = overrides
    }

    /// What a scenario without `origin:` gets: 10ms per load, no overrides.
    public static let standard = OriginSettings(latency: LatencyRange(fixedMicroseconds: 10_000), overrides: [])

    /// The override for one worker's call, if any.
    public func override(worker: Int, callNumber: Int) -> OriginOverride? {
        overrides.first { $0.worker == worker && $0.callNumber == callNumber }
    }
}

/// One load that departs from the origin's latency range: a fixed latency, a failure, or both.
public struct OriginOverride: Hashable, Sendable {
    /// The worker whose load this is (`worker: w1`).
    public var worker: Int
    /// The worker's call whose load this is (`call:`, default 1).
    public var callNumber: Int
    /// How long this load takes (`latency:`); `nil` keeps the origin's range.
    public var latencyMicroseconds: Int64?
    /// Whether the load fails after its latency (`fail: true`): a `load-fail` event instead of `load-end`.
    public var fails: Bool

    public init(worker: Int, callNumber: Int, latencyMicroseconds: Int64?, fails: Bool) {
        self.worker = worker
        self.callNumber = callNumber
        self.latencyMicroseconds = latencyMicroseconds
        self.fails = fails
    }
}
