import Foundation
import Testing
import Trace

/// `leaselab redis` as a user runs it: a private server, the report, the trace in JSON Lines, the refusals.
@Suite(.serialized) struct RedisCommandTests {
    @Test func aQuietScenarioPassesAndItsTraceParses() throws {
        let result = try runLeaselab(["redis", "scenarios/happy-path.yaml", "--preset", "fenced", "--time-scale", "0.5", "--format", "jsonl"])
        let report = result.standardError
        #expect(result.status == 0, "\(report)")
        #expect(report.contains("verdict: PASSED"))
        #expect(report.contains("model: accepted the trace"))
        let events = try TraceJSONLines.parse(String(decoding: result.standardOutput, as: UTF8.self), source: "stdout")
        #expect(events.first?.kind == .call(key: "user:1", call: 1))
        #expect(events.last?.kind == .return(.fresh(CacheValue(version: 2), leaseLost: false)))
    }

    @Test func aScaleBelowTheFloorAndASkippedScenarioAreRefusedInOneLine() throws {
        let small = try runLeaselab(["redis", "scenarios/happy-path.yaml", "--time-scale", "0.01"])
        #expect(small.status == 64)
        #expect(small.standardError.contains("0.05"))
        let skipped = try runLeaselab(["redis", "scenarios/redis-restart-mid-reload.yaml", "--time-scale", "0.1"])
        let line = skipped.standardError
        #expect(skipped.status == 3)
        #expect(line.contains("not reproduced in a real run"))
        #expect(line.split(separator: "\n").count == 1)
    }
}
