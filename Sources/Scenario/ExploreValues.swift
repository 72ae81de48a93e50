/// The values the model's search tries for each nondeterministic delay (`explore:`).
///
/// The simulator draws delays anywhere in the declared ranges; the model's exhaustive search cannot, so it tries
/// these few. Each list is in file order when given, else the range's ends (min, then max; one value when they
/// are equal), which is where timing races usually turn.
public struct ExploreValues: Hashable, Sendable {
    /// One-way network latencies (`network-latency:`); each inside `network.latency`.
    public var networkLatenciesMicroseconds: [Int64]
    /// Origin latencies (`origin-latency:`); each inside `origin.latency` or equal to an override's latency.
    public var originLatenciesMicroseconds: [Int64]
    /// Pause lengths (`pause:`); each between the shortest and the longest pause of `faults:`. Default: those
    /// two; empty when no fault pauses.
    public var pausesMicroseconds: [Int64]

    public init(
        networkLatenciesMicroseconds: [Int64], originLatenciesMicroseconds: [Int64], pausesMicroseconds: [Int64]
    ) {
        self.networkLatenciesMicroseconds = networkLatenciesMicroseconds
        self.originLatenciesMicroseconds = originLatenciesMicroseconds
        self.pausesMicroseconds = pausesMicroseconds
    }

    /// A range's two ends, once each when equal: the default list for a range.
    public static func ends(of range: LatencyRange) -> [Int64] {
        range.minMicroseconds == range.maxMicroseconds
            ? [range.minMicroseconds] : [range.minMicroseconds, range.maxMicroseconds]
    }
}
