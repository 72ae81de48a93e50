import Scenario

/// Clamps measured delays into the scenario's ranges within the tolerance, and keeps what fell outside.
struct DelayClamp {
    let scale: TimeScale
    private(set) var clampedCount = 0
    private(set) var problems: [String] = []

    init(scale: TimeScale) {
        self.scale = scale
    }

    /// The tolerance in scenario microseconds.
    var toleranceMicroseconds: Int64 { scale.scenario(RealTiming.realMicroseconds) }

    /// A ranged delay: the measured value clamped into `range`; reported when it was further off than the
    /// tolerance.
    mutating func ranged(_ measured: Int64, _ range: LatencyRange, _ what: @autoclosure () -> String) -> Int64 {
        if range.contains(measured) { return measured }
        clampedCount += 1
        let clamped = min(max(measured, range.minMicroseconds), range.maxMicroseconds)
        let tolerance = toleranceMicroseconds
        if abs(measured - clamped) > tolerance {
            problems.append(
                "\(what()): measured \(DurationText.format(measured)), outside \(range.text) by more than the tolerance \(DurationText.format(tolerance))")
        }
        return clamped
    }

    /// A timing problem found elsewhere.
    mutating func note(_ problem: String) {
        problems.append(problem)
    }

    /// A fixed duration: the scenario's value; a measurement further than the tolerance from it is reported.
    mutating func fixed(_ measured: Int64, expected: Int64, _ what: @autoclosure () -> String) -> Int64 {
        if measured != expected { clampedCount += 1 }
        if abs(measured - expected) > toleranceMicroseconds {
            problems.append(
                "\(what()): measured \(DurationText.format(measured)), expected \(DurationText.format(expected)) within \(DurationText.format(toleranceMicroseconds))")
        }
        return expected
    }
}
