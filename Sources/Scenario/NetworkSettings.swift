/// The network between workers and Redis (`network:`).
public struct NetworkSettings: Hashable, Sendable {
    /// The one-way delay of each command and each reply (`latency:`). Default 1ms when absent.
    public var latency: LatencyRange

    public init(latency: LatencyRange) {
        self.latency = latency
    }

    /// What a scenario without `network:` gets: 1ms each way.
    public static let standard = NetworkSettings(latency: LatencyRange(fixedMicroseconds: 1_000))
}
