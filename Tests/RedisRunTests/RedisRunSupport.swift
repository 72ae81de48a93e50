import Foundation
import RedisClient
import RedisRun
import Scenario
import Testing

/// Every test that runs a scenario against a real Redis, one at a time: the runs are timed, and two at once on a
/// two-core machine would only add noise (`.serialized` holds for the nested suites too).
@Suite(.serialized) enum RealRedisRuns {}

/// The package's root, found from this file's path, so tests read the bundled scenarios wherever they run.
let redisRunPackageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func bundledScenario(_ name: String) throws -> Scenario {
    try ScenarioLoader.load(path: redisRunPackageRoot + "/scenarios/\(name).yaml")
}

/// The bundled scenarios' names, sorted.
func bundledScenarioNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: redisRunPackageRoot + "/scenarios")
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
}

/// A run's configuration against `server`.
func configuration(
    _ scenario: Scenario, _ protocolName: String, server: RedisServerProcess, scale: Double,
    privateServer: Bool = true, runIdentifier: String = RealRunConfiguration.newRunIdentifier()
) throws -> RealRunConfiguration {
    guard let named = scenario.namedVariant(protocolName) else {
        throw RedisRunTestError("\(scenario.name) has no protocol \(protocolName)")
    }
    return RealRunConfiguration(
        scenario: scenario, named: named, host: server.host, port: server.port, password: server.password,
        scale: try TimeScale(scale), runIdentifier: runIdentifier, privateServer: privateServer)
}

struct RedisRunTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// How many times a test runs a scenario whose run failed on timing alone (``RealRunReport/failedOnTiming``):
/// a machine shared by several builds can stall a thread for tens of milliseconds, which says nothing about the
/// protocol. A failure of any other kind (a reply that differs, a trace the model rejects although every delay
/// was within tolerance) fails at once. Each retry is printed.
let timingAttempts = 5

/// Runs `run`, again with a fresh run identity when it failed on timing alone, up to ``timingAttempts`` times.
func runRetryingTimingFailures(_ run: RealRunConfiguration) async throws -> RealRunReport {
    var attempt = run
    for number in 1...timingAttempts {
        let report = try await RealRun.run(attempt)
        guard report.failedOnTiming, number < timingAttempts else { return report }
        print("\(run.scenario.name) \(run.named.name): attempt \(number) failed on timing; running again:\n\(report.text)")
        attempt.runIdentifier = RealRunConfiguration.newRunIdentifier()
    }
    preconditionFailure("unreachable: the last attempt returns")
}
