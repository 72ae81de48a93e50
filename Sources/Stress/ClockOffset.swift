import RealRedis
import RedisClient

/// Maps the client's wall clock onto the server's, so client records (origin loads, call returns) and MONITOR's
/// timestamps share one time line.
///
/// Measured with the server's `TIME` between two client readings: the server's instant lies inside that bracket,
/// so the offset is known to within half the round trip. On a loopback server the two clocks are one clock and
/// the offset is about zero; against a remote `--redis` it absorbs the hosts' clock difference. Comparisons across
/// the clocks allow ``uncertaintyMicroseconds``.
public struct ClockOffset: Sendable, Hashable {
    /// Server clock minus client clock, in microseconds.
    public var serverMinusClientMicroseconds: Int64
    /// Half the narrowest `TIME` round trip: how far off the offset may be.
    public var uncertaintyMicroseconds: Int64

    public init(serverMinusClientMicroseconds: Int64, uncertaintyMicroseconds: Int64) {
        self.serverMinusClientMicroseconds = serverMinusClientMicroseconds
        self.uncertaintyMicroseconds = uncertaintyMicroseconds
    }

    /// The same clock on both sides.
    public static let zero = ClockOffset(serverMinusClientMicroseconds: 0, uncertaintyMicroseconds: 0)

    /// A client instant on the server's clock.
    public func serverMicroseconds(ofClient microseconds: Int64) -> Int64 {
        microseconds + serverMinusClientMicroseconds
    }

    /// How many `TIME` round trips to measure; the narrowest is kept.
    static let samples = 5

    /// Measures the offset over `connection` with a few `TIME` round trips.
    public static func measure(on connection: RedisConnection) throws -> ClockOffset {
        var best: ClockOffset?
        for _ in 0..<samples {
            let before = UnixClock.nowMicroseconds()
            let reply = try connection.send("TIME")
            let after = UnixClock.nowMicroseconds()
            guard let server = reply.timeMicroseconds else {
                throw StressError.unusableTime(endpoint: connection.description)
            }
            let measured = ClockOffset(
                serverMinusClientMicroseconds: server - (before + after) / 2,
                uncertaintyMicroseconds: (after - before + 1) / 2)
            if best == nil || measured.uncertaintyMicroseconds < best!.uncertaintyMicroseconds {
                best = measured
            }
        }
        return best!
    }
}
