import Scenario

/// The timing tolerance of a real run: how far a measured delay may fall from what the scenario allows and still
/// count as the machine's noise rather than a departure from the scenario.
///
/// The model validates a trace with exact delays (``ModelDomain/validation(delays:)``): each network and origin
/// delay inside the scenario's range, fixed durations (call and write times, pauses, timeouts, TTLs) exact. A
/// real run's delays are measured, and real time is noisy: a thread on a loaded two-core machine can wake a few
/// milliseconds late, Redis keeps deadlines in whole milliseconds, and loopback is faster than the scenario's
/// 1 ms network. So every measured delay is clamped into its range (or replaced by its fixed value), and the model
/// then judges whether the order the run really had is one the scenario allows with those delays. A delay within
/// ``realMicroseconds`` *of real time* of its range is noise; one further off is reported: if the model still
/// accepts the trace, the run followed a path the scenario allows and only its timing departed; if the model
/// rejects it, the failure is put down to timing (the machine stalled), not to the protocol, and the run should be
/// repeated, at a larger scale or on a quieter machine.
///
/// Why 20 ms of real time: the scheduler's latency under load (several ms), one Redis millisecond, and a thread
/// wake-up on each side of the harness's proxy, with room to spare. It is below every margin of the bundled
/// scenarios at their test scales (500 ms of scenario time at 0.1 is 50 ms real), so a delay within it cannot
/// turn one order of events into another that the scenario's margins keep apart.
public enum RealTiming {
    /// The tolerance, in real microseconds.
    public static let realMicroseconds: Int64 = 20_000
}

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
