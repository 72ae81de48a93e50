import Histogram

/// Call latency percentiles, from an HDR histogram (3 significant digits, microseconds).
public struct LatencySummary: Sendable, Hashable {
    public var count: Int
    public var p50Microseconds: Int64
    public var p90Microseconds: Int64
    public var p99Microseconds: Int64
    public var p999Microseconds: Int64
    public var maxMicroseconds: Int64

    /// Summarizes `durations` (microseconds).
    public init(durationsMicroseconds durations: some Sequence<Int64>) {
        var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        var count = 0
        for duration in durations {
            histogram.record(UInt64(max(0, duration)))
            count += 1
        }
        self.count = count
        func at(_ percentile: Double) -> Int64 { count == 0 ? 0 : Int64(histogram.valueAtPercentile(percentile)) }
        p50Microseconds = at(50)
        p90Microseconds = at(90)
        p99Microseconds = at(99)
        p999Microseconds = at(99.9)
        maxMicroseconds = count == 0 ? 0 : Int64(histogram.max)
    }
}
