#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The wall clock in microseconds since the Unix epoch: the clock MONITOR stamps its lines with.
///
/// Redis stamps MONITOR lines with `gettimeofday`; reading the same clock puts a run's own records (calls, origin
/// loads, replies received) on the server's time line. That holds on one machine; against a remote server the
/// clocks differ by their skew. Real-time harnesses only: the core, the model and the simulator keep no clock
/// (STYLE 3).
public enum UnixClock {
    /// Now, in microseconds since the epoch.
    public static func nowMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
