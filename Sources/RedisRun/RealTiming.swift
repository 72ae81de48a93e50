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
