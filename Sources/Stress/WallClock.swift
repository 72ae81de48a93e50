#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock in microseconds since the Unix epoch: the clock MONITOR stamps its lines with.
///
/// A stress run compares what the clients saw (origin load intervals, call returns) with what the server did, so
/// both sides must be on one time line; ``ClockOffset`` maps this clock onto the server's. Real-time code may use
/// clocks (DESIGN.md: the determinism rules bind the core, the model and the simulator, not this).
enum WallClock {
    /// Now, in microseconds since the epoch.
    static func nowMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
