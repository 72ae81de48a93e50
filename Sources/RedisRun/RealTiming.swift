import Scenario

/// The timing tolerance of a real run: how far a measured delay may fall outside what the scenario allows and
/// still be taken as the scenario's.
///
/// The model validates a trace with exact delays (``ModelDomain/validation(delays:)``): each network and origin
/// delay must lie in the scenario's range, and fixed durations (call and write times, pauses, timeouts, TTLs) are
/// exact. A real run's delays are measured, and real time is noisy: a thread on a loaded two-core machine can
/// wake a few milliseconds late, Redis keeps deadlines in whole milliseconds, and loopback is faster than the
/// scenario's 1 ms network. So a measured delay within ``realMicroseconds`` *of real time* of its range (or of
/// its fixed value) is clamped into it; beyond that, something other than noise happened (a stalled process, a
/// slow server), and the delay is reported and kept as measured, which the model then rejects.
///
/// Why 20 ms of real time: the scheduler's latency under load (several ms), one Redis millisecond, and a thread
/// wake-up on each side of the harness's proxy, with room to spare so that the tests are not flaky. It is below
/// every margin of the bundled scenarios at their test scales (500 ms of scenario time at 0.1 is 50 ms real).
/// Clamping never decides the order of events: the real order comes from the server and the workers' clocks,
/// and the model checks that the clamped times give the same order.
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

    /// A ranged delay: the measured value, clamped into `range` when within tolerance of it.
    mutating func ranged(_ measured: Int64, _ range: LatencyRange, _ what: @autoclosure () -> String) -> Int64 {
        if range.contains(measured) { return measured }
        let tolerance = toleranceMicroseconds
        if measured < range.minMicroseconds, range.minMicroseconds - measured <= tolerance {
            clampedCount += 1
            return range.minMicroseconds
        }
        if measured > range.maxMicroseconds, measured - range.maxMicroseconds <= tolerance {
            clampedCount += 1
            return range.maxMicroseconds
        }
        problems.append(
            "\(what()): measured \(DurationText.format(measured)), outside \(range.text) by more than the tolerance \(DurationText.format(tolerance))")
        return measured
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
