/// A latency that may take any value from ``minMicroseconds`` to ``maxMicroseconds`` inclusive.
///
/// A file writes either one duration (min equals max) or `{min: 1ms, max: 3ms}`. Which value a given delay
/// takes is the chooser's decision (DESIGN.md rule 3), not the scenario's.
public struct LatencyRange: Hashable, Sendable {
    /// The shortest latency.
    public var minMicroseconds: Int64
    /// The longest latency.
    public var maxMicroseconds: Int64

    public init(minMicroseconds: Int64, maxMicroseconds: Int64) {
        self.minMicroseconds = minMicroseconds
        self.maxMicroseconds = maxMicroseconds
    }

    /// A range of one value.
    public init(fixedMicroseconds: Int64) {
        self.init(minMicroseconds: fixedMicroseconds, maxMicroseconds: fixedMicroseconds)
    }

    /// Whether `microseconds` lies in the range, ends included.
    public func contains(_ microseconds: Int64) -> Bool {
        minMicroseconds <= microseconds && microseconds <= maxMicroseconds
    }

    /// The range as a file would write it: `3ms`, or `1ms..3ms`.
    public var text: String {
        minMicroseconds == maxMicroseconds
            ? DurationText.format(minMicroseconds)
            : DurationText.format(minMicroseconds) + ".." + DurationText.format(maxMicroseconds)
    }
}
