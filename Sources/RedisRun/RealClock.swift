#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock, in microseconds since the Unix epoch: the clock MONITOR stamps lines with.
///
/// Redis stamps MONITOR lines with `gettimeofday`; reading the same clock here puts the workers' own records on
/// the server's time line. That holds on one machine (a private server, or `--redis` on loopback); against a
/// remote server the two clocks differ by their skew, which the timing tolerance does not cover.
enum RealClock {
    static func unixMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
    }
}
