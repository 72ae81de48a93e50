import Conformance
import Foundation
import Scenario
import Testing

private let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

private func bundled(_ name: String) throws -> Scenario {
    try ScenarioLoader.load(path: packageRoot + "/scenarios/\(name).yaml")
}

@Test("the bundled golden traces are current: every scenario and protocol matches its file")
func bundledGoldenTracesAreCurrent() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/scenarios")
        .filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(!names.isEmpty)
    for name in names {
        let scenario = try ScenarioLoader.load(path: packageRoot + "/scenarios/" + name)
        let checks = try ScenarioCheck.run(
            scenario, options: CheckOptions(tracesDirectory: packageRoot + "/traces", seedsMaximum: 1))
        for check in checks {
            #expect(check.golden == .same, "\(check.scenario) \(check.protocolName): \(check.failureLines)")
        }
    }
}

@Test("a changed trace fails with a unified diff naming the changed event; --update-traces rewrites it")
func changedTraceFailsWithDiff() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leaselab-golden-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let scenario = try bundled("lease-expiry-slow-origin")
    let options = CheckOptions(tracesDirectory: directory, seedsMaximum: 1)

    let missing = try ScenarioCheck.run(scenario, options: options)
    #expect(missing.allSatisfy { if case .missing = $0.golden { return true } else { return false } })
    #expect(missing.allSatisfy { !$0.passed })

    let written = try ScenarioCheck.run(
        scenario, options: CheckOptions(tracesDirectory: directory, updateTraces: true, seedsMaximum: 1))
    #expect(written.allSatisfy { if case .updated = $0.golden { return true } else { return false } })
    #expect(try ScenarioCheck.run(scenario, options: options).allSatisfy { $0.golden == .same && $0.passed })

    // A reviewer-visible change: the golden file says w1's late SET was refused.
    let path = GoldenTrace.path(directory: directory, scenario: scenario.name, protocolName: "pr-4821")
    let golden = try String(contentsOfFile: path, encoding: .utf8)
    let edited = golden.replacingOccurrences(of: "exec SET user:1 v1 EX 300 -> OK", with: "exec SET user:1 v1 EX 300 -> nil")
    #expect(edited != golden)
    try edited.write(toFile: path, atomically: true, encoding: .utf8)
    let changed = try #require(try ScenarioCheck.run(scenario, options: options).first { $0.protocolName == "pr-4821" })
    guard case .different(_, let diff) = changed.golden else {
        Issue.record("expected a difference, got \(changed.golden)")
        return
    }
    #expect(!changed.passed)
    #expect(diff.contains("-  7009.960 w1     exec SET user:1 v1 EX 300 -> nil"))
    #expect(diff.contains("+  7009.960 w1     exec SET user:1 v1 EX 300 -> OK"))
    #expect(diff.hasPrefix("--- \(path)\n+++ seed 0 now\n@@ "))
}

@Test("a scenario whose expect: disagrees with the model fails the check, naming the property")
func expectationDisagreementFails() throws {
    let original = try String(contentsOfFile: packageRoot + "/scenarios/stampede-pre-review.yaml", encoding: .utf8)
    let wrong = original.replacingOccurrences(
        of: "pre-review: {fail: [single-loader]", with: "pre-review: {hold: [single-loader]")
    #expect(wrong != original)
    let scenario = try ScenarioLoader.load(text: wrong, path: "wrong.yaml")
    let checks = try ScenarioCheck.run(
        scenario, options: CheckOptions(tracesDirectory: packageRoot + "/traces", seedsMaximum: 1))
    let preReview = try #require(checks.first { $0.protocolName == "pre-review" })
    #expect(!preReview.passed)
    #expect(preReview.expectationDisagreements == ["single-loader was expected to hold but fails"])
    #expect(preReview.failed.contains { $0.property == .singleLoader && !$0.counterexample.isEmpty })
    let leased = try #require(checks.first { $0.protocolName == "pr-4821" })
    #expect(leased.passed)
}
