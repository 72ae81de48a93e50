/// An instant, or a delay, known to lie between two bounds, in virtual microseconds, ends included.
///
/// Why windows and not plain instants: the explorer takes each delay from the scenario's `explore` lists, so every
/// arrival it stores is one instant (`earliest == latest`). A validation mode could keep an arrival as the whole
/// window the ranges allow and narrow it when the trace shows the arrival. The validation of simulator traces
/// (``ModelDomain/validation(delays:)``) does not: it takes each delay the run drew, so its windows are points
/// too, for the reasons given there.
public struct TimeWindow: Hashable, Sendable, CustomStringConvertible {
    /// The earliest instant (or shortest delay).
    public var earliestMicroseconds: Int64
    /// The latest instant (or longest delay).
    public var latestMicroseconds: Int64

    public init(earliestMicroseconds: Int64, latestMicroseconds: Int64) {
        precondition(
            earliestMicroseconds <= latestMicroseconds,
            "TimeWindow: \(earliestMicroseconds) is after \(latestMicroseconds)")
        self.earliestMicroseconds = earliestMicroseconds
        self.latestMicroseconds = latestMicroseconds
    }

    /// A window of one instant.
    public init(microseconds: Int64) {
        self.earliestMicroseconds = microseconds
        self.latestMicroseconds = microseconds
    }

    /// Whether the window is one instant, as every window of an exploration is.
    public var isPoint: Bool {
        earliestMicroseconds == latestMicroseconds
    }

    /// The instant of a point window. Exploration only: a wider window here is a model bug.
    var pointMicroseconds: Int64 {
        precondition(isPoint, "TimeWindow: \(self) is not one instant; exploration keeps every window a point")
        return earliestMicroseconds
    }

    /// The window of an arrival sent at `instant` with a delay in `delay`.
    static func + (instant: Int64, delay: TimeWindow) -> TimeWindow {
        TimeWindow(
            earliestMicroseconds: instant + delay.earliestMicroseconds,
            latestMicroseconds: instant + delay.latestMicroseconds)
    }

    public var description: String {
        isPoint ? "\(earliestMicroseconds)us" : "\(earliestMicroseconds)us..\(latestMicroseconds)us"
    }
}
