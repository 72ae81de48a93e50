import LeaseCache
import Logging
import MetricsTestKit
import RedisClient
import Testing
import Trace

// The race test of code review #4821: 10,000 concurrent evictAndReload calls on a handful of keys while writers
// keep changing the source, against a private redis-server.

private func race(_ preset: Preset, metrics: TestMetrics) async throws -> RaceTest.Report {
    let server = try RedisServerProcess()
    defer { server.stop() }
    let logger = quietLogger()
    let race = RaceTest(
        host: server.host, port: server.port,
        parameters: RaceTest.Parameters(
            variant: preset.variant, calls: 10_000, keys: 4, connections: 8, originLatencyMicroseconds: 1_000,
            writes: 200, keyPrefix: "race-test:"))
    return try await race.run(logger: logger, metricsFactory: metrics)
}

@Test("pr-4821: one outcome per call, contended counted exactly, no lease left, one load per key at a time")
func pr4821Race() async throws {
    let metrics = TestMetrics()
    let report = try await race(.pr4821, metrics: metrics)
    #expect(report.results.count == 10_000)
    let contended = report.results.filter {
        if case .stale(_, .contended) = $0.outcome { return true }
        return false
    }.count
    #expect(contended > 0, "the race never contended: the test would prove nothing")
    #expect(try metrics.expectCounter("cache.evict.contended").totalValue == Int64(contended))
    #expect(try metrics.expectTimer("cache.evict.duration").values.count == 10_000)
    let errors = report.results.filter { $0.outcome.kind.hasPrefix("error") }
    #expect(errors.isEmpty, "errors: \(errors.prefix(3))")
    #expect(report.leasesLeft.isEmpty)
    #expect(report.maximumConcurrentLoads.count == 4)
    for (key, loads) in report.maximumConcurrentLoads {
        #expect(loads == 1, "\(key) had \(loads) concurrent loads")
    }
}

@Test("pre-review: the same race stampedes the origin")
func preReviewRace() async throws {
    let metrics = TestMetrics()
    let report = try await race(.preReview, metrics: metrics)
    #expect(report.results.count == 10_000)
    let worst = report.maximumConcurrentLoads.map(\.loads).max() ?? 0
    #expect(worst > 1, "no key had more than one load in flight: \(report.maximumConcurrentLoads)")
    #expect(report.leasesLeft.isEmpty)
}
