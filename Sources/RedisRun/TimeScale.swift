import Scenario
import Trace

/// How scenario time maps to real time in a run against Redis: every duration times ``factor``.
///
/// Everything scales: call and write times, origin latencies, pauses, the command and origin timeouts, and the TTLs
/// sent to Redis (`PX`, `EX`), so the run keeps the scenario's proportions. Traces are in scenario time: real
/// durations are divided by the factor.
///
/// Why a floor of ``minimumFactor`` (0.05): it is the smallest scale at which real time still says what the
/// scenario says.
/// - Loopback: a one-way trip takes about 50-100 µs, which at 0.05 is 1-2 ms of scenario time, inside the
///   bundled scenarios' 1-3 ms network; smaller, the real network would be faster than any scenario allows.
/// - Redis's 1 ms deadline granularity is 20 ms of scenario time at 0.05: well inside the bundled scenarios'
///   margins between an expiry and the next command (400 ms or more).
/// - The timing tolerance (``RealTiming``, 20 ms of real time) is 400 ms of scenario time at 0.05: still below
///   those margins, so clamping cannot hide a real difference of order. At 0.01 it would be 2 s.
/// A scenario with tighter margins needs a larger scale: the tolerance must stay below its tightest margin in
/// real time (the stampede's three calls within 1 ms run at 20 in the tests).
public struct TimeScale: Hashable, Sendable, CustomStringConvertible {
    /// Real time per scenario time.
    public let factor: Double

    /// The smallest factor a run accepts.
    public static let minimumFactor = 0.05
    /// The largest factor a run accepts: 100 turns a 1 ms margin into 100 ms and a 7 s origin into 700 s.
    public static let maximumFactor = 100.0

    /// A scale, or a one-line refusal that says why and what to use.
    public init(_ factor: Double) throws(RedisRunError) {
        guard factor.isFinite, factor >= Self.minimumFactor, factor <= Self.maximumFactor else {
            throw RedisRunError.scale(
                "--time-scale \(factor) is outside \(Self.minimumFactor)...\(Self.maximumFactor): below \(Self.minimumFactor) a loopback round trip (~0.1 ms), one Redis deadline millisecond and the 20 ms timing tolerance outweigh the scenarios' own margins, so the run could not show what the scenario means; use \(Self.minimumFactor) or more (0.1 is a good start)")
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
