import Scenario
import Trace

/// How scenario time maps to real time in a run against Redis: every duration times ``factor``.
///
/// Everything scales: call and write times, origin latencies, pauses, the command and origin timeouts, and the TTLs
/// sent to Redis (`PX`, `EX`), so the run keeps the scenario's proportions. Traces are in scenario time: real
/// durations are divided by the factor.
///
/// Why a floor of ``minimumFactor``: Redis keeps deadlines in whole milliseconds, so a real millisecond is the
/// finest step an expiry can take, and it is worth `1 / factor` ms of scenario time. At 0.01 that is 100 ms, the
/// margin of the tightest bundled scenarios (a lease of 5 s against a call at 5.5 s keeps 500 ms), and a 5 s lease
/// is still a 50 ms `PX`; below it, the millisecond rounding of deadlines and the scheduling noise of a loaded
/// machine (a few ms) would decide the order of expiries and calls, not the scenario. Loopback round trips
/// (~0.1 ms) are shorter than the scenario's 1 ms network at every factor up to 0.05; the timing tolerance
/// (``RealTiming``) absorbs that.
public struct TimeScale: Hashable, Sendable, CustomStringConvertible {
    /// Real time per scenario time.
    public let factor: Double

    /// The smallest factor a run accepts.
    public static let minimumFactor = 0.01
    /// The largest factor a run accepts: 10 turns a 7 s origin into 70 s, long enough.
    public static let maximumFactor = 10.0

    /// A scale, or a one-line refusal that says why and what to use.
    public init(_ factor: Double) throws(RedisRunError) {
        guard factor.isFinite, factor >= Self.minimumFactor, factor <= Self.maximumFactor else {
            throw RedisRunError.scale(
                "--time-scale \(factor) is outside \(Self.minimumFactor)...\(Self.maximumFactor): Redis keeps deadlines in whole milliseconds and loopback round trips take about 0.1 ms, so below \(Self.minimumFactor) a real millisecond would outweigh the scenario's own margins; use \(Self.minimumFactor) or more (0.1 is a good start)")
        }
        self.factor = factor
    }

    /// The real duration of a scenario duration, in microseconds (rounded).
    public func real(_ scenarioMicroseconds: Int64) -> Int64 {
        Int64((Double(scenarioMicroseconds) * factor).rounded())
    }

    /// The scenario duration of a real one, in microseconds (rounded).
    public func scenario(_ realMicroseconds: Int64) -> Int64 {
        Int64((Double(realMicroseconds) / factor).rounded())
    }

    /// The variant a run sends to Redis: TTLs and timeouts scaled, each at least one unit of what Redis takes
    /// (`PX` in ms, `EX` in s). Traces keep the scenario's own variant (``ScaledCommands``).
    public func variant(_ variant: ProtocolVariant) -> ProtocolVariant {
        var scaled = variant
        scaled.leaseTTLMilliseconds = max(1, Int((Double(variant.leaseTTLMilliseconds) * factor).rounded()))
        scaled.cacheTTLSeconds = max(1, Int((Double(variant.cacheTTLSeconds) * factor).rounded()))
        scaled.originTimeoutMicroseconds = variant.originTimeoutMicroseconds.map { max(1, real($0)) }
        scaled.commandTimeoutMicroseconds = max(1, real(variant.commandTimeoutMicroseconds))
        return scaled
    }

    public var description: String { "\(factor)" }
}

/// Maps commands between the scaled variant a run sends and the scenario's variant traces use.
struct ScaledCommands: Sendable {
    let scenario: ProtocolVariant
    let sent: ProtocolVariant

    /// The command in scenario terms: a TTL the run sent (the scaled one) becomes the scenario's. Any other TTL
    /// is left as it is, so a command nobody in the run could have sent shows as it was.
    func unscaled(_ command: Command) -> Command {
        switch command {
        case .acquire(let key, let token, let ttl) where ttl == sent.leaseTTLMilliseconds:
            return .acquire(key: key, token: token, ttlMilliseconds: scenario.leaseTTLMilliseconds)
        case .set(let key, let value, let ttl) where ttl == sent.cacheTTLSeconds:
            return .set(key: key, value: value, ttlSeconds: scenario.cacheTTLSeconds)
        case .fencedWrite(let key, let value, let token, let ttl) where ttl == sent.cacheTTLSeconds:
            return .fencedWrite(key: key, value: value, token: token, ttlSeconds: scenario.cacheTTLSeconds)
        case .get, .acquire, .set, .delete, .release, .fencedWrite:
            return command
        }
    }
}
