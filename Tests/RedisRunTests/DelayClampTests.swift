@testable import RedisRun
import Scenario
import Trace
import Testing

/// The timing tolerance: a measured delay within it of the range is clamped in, beyond it is reported.
@Suite struct DelayClampTests {
    let range = LatencyRange(minMicroseconds: 1_000, maxMicroseconds: 3_000)

    @Test func clampsWithinTheToleranceAndReportsBeyondIt() throws {
        var clamp = DelayClamp(scale: try TimeScale(0.1))
        #expect(clamp.toleranceMicroseconds == 200_000)  // 20 ms real at 0.1
        #expect(clamp.ranged(2_000, range, "in") == 2_000)
        #expect(clamp.ranged(10, range, "fast loopback") == 1_000)
        #expect(clamp.ranged(203_000, range, "at the tolerance") == 3_000)
        #expect(clamp.problems.isEmpty)
        #expect(clamp.ranged(203_001, range, "one past") == 3_000)
        #expect(clamp.problems.count == 1)
        #expect(clamp.problems[0].contains("one past"))
        #expect(clamp.fixed(5_000_000 + 200_000, expected: 5_000_000, "pause") == 5_000_000)
        #expect(clamp.problems.count == 1)
        #expect(clamp.fixed(5_000_000 + 200_001, expected: 5_000_000, "pause") == 5_000_000)
        #expect(clamp.problems.count == 2)
    }

    @Test func theScaledVariantSendsScaledTTLsAndTracesReadThemBack() throws {
        let scale = try TimeScale(0.1)
        let variant = Preset.pr4821Timeout.variant
        let sent = scale.variant(variant)
        #expect(sent.leaseTTLMilliseconds == 500)
        #expect(sent.cacheTTLSeconds == 30)
        #expect(sent.originTimeoutMicroseconds == 200_000)
        #expect(sent.commandTimeoutMicroseconds == 100_000)
        let commands = ScaledCommands(scenario: variant, sent: sent)
        let token = Token(worker: 1, call: 1)
        #expect(commands.unscaled(.acquire(key: "k", token: token, ttlMilliseconds: 500))
            == .acquire(key: "k", token: token, ttlMilliseconds: 5_000))
        #expect(commands.unscaled(.set(key: "k", value: .init(version: 2), ttlSeconds: 30))
            == .set(key: "k", value: .init(version: 2), ttlSeconds: 300))
    }
}
