import RedisClient
import RedisRun
import Scenario
import Testing
import Trace

extension RealRedisRuns {
    /// The faults no bundled scenario makes, run for real: a connection dropped after the write, a failing origin,
    /// a pause before the write, a lost release reply; each trace must still be one the model accepts.
    @Suite struct FaultCoverageRunTests {
        static let dropAndFail = """
            name: drop-fail-pause
            protocols: [pre-review, pr-4821, pr-4821-timeout, fenced]
            keys:
              user:1: {cached: 1, source: 1}
            workers: 2
            calls:
              - {at: 0ms, worker: w1, key: user:1}
              - {at: 300ms, worker: w2, key: user:1}
              - {at: 1000ms, worker: w1, key: user:1}
            writes:
              - {at: 100ms, key: user:1}
            origin:
              latency: {min: 20ms, max: 40ms}
              overrides:
                - {worker: w2, call: 1, fail: true}
            faults:
              - {worker: w1, call: 1, drop-connection: write}
              - {worker: w1, call: 2, pause: 200ms, at: before-write}
              - {worker: w1, call: 2, lose-reply: release}
            """

        @Test(arguments: ["pre-review", "pr-4821", "pr-4821-timeout", "fenced"])
        func faultsWithoutABundledScenarioRunForReal(_ protocolName: String) async throws {
            let scenario = try ScenarioLoader.load(text: Self.dropAndFail, path: "drop-fail-pause.yaml")
            let server = try RedisServerProcess()
            defer { server.stop() }
            let report = try await runRetryingTimingFailures(try configuration(scenario, protocolName, server: server, scale: 0.5))
            #expect(report.passed, "\(protocolName):\n\(report.text)")
            let kinds = report.events.map(\.kind.name)
            #expect(kinds.contains("connection-lost"))
            #expect(kinds.contains("load-fail"))
            if protocolName != "pre-review" {
                // Pre-review has no release, so its lose-reply never fires; the others lose the release's reply.
                #expect(kinds.contains("reply-lost") && kinds.contains("command-timeout"))
            }
            if protocolName != "pre-review" {
                // Under pre-review w2's call evicts the key before its load fails, so w1's second call misses and
                // never reaches the write to pause before.
                #expect(kinds.contains("pause") && kinds.contains("resume"))
            }
        }
    }
}
