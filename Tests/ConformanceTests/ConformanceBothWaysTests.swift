import Conformance
import Scenario
import Simulator
import Testing
import Trace

@Test(
    "every bundled scenario conforms both ways: seeded traces fit the model, model paths replay on the simulator",
    arguments: try bundledScenarioNames())
func bundledScenarioConforms(_ name: String) throws {
    let scenario = try ScenarioLoader.load(path: conformancePackageRoot + "/scenarios/\(name).yaml")
    let checks = try ScenarioCheck.run(
        scenario,
        options: CheckOptions(tracesDirectory: conformancePackageRoot + "/traces", seedsMaximum: 30))
    for check in checks {
        let label = "\(check.scenario) \(check.protocolName)"
        #expect(check.seedTracesAccepted == check.seedsRun, "\(label): \(check.seedDivergences.map(\.report))")
        #expect(check.coverage.transitionsTotal > 0, "\(label)")
        #expect(check.coverage.transitionsCovered == check.coverage.transitionsTotal, "\(label)")
        #expect(check.coverage.mismatchCount == 0, "\(label): \(check.coverage.mismatches.map(\.report))")
        #expect(check.coverage.graphLimit == nil, "\(label)")
        #expect(check.passed, "\(label): \(check.failureLines)")
    }
}

@Test("scenarios with few complete paths are replayed in full; the rest are covered transition by transition")
func fullReplayBelowTheLimit() throws {
    let (small, smallProtocol) = try bundledProtocol("stale-set-after-invalidation", "pr-4821")
    let full = PathReplay.run(small, smallProtocol)
    #expect(full.replayedInFull)
    #expect(full.completePaths == full.pathsReplayed)
    #expect(full.transitionsCovered == full.transitionsTotal)

    let (large, largeProtocol) = try bundledProtocol("non-atomic-release", "get-then-delete")
    let covered = PathReplay.run(large, largeProtocol)
    #expect(!covered.replayedInFull)
    #expect(covered.completePaths == nil)
    #expect(covered.transitionsCovered == covered.transitionsTotal)
    // Every failing property's counterexample is replayed: here three properties fail.
    #expect(covered.counterexamples == 3)
}

@Test("a replay whose script does not answer the simulator's choices is reported as a drift")
func driftIsReported() throws {
    let (scenario, named) = try bundledProtocol("lease-expiry-slow-origin", "pr-4821")
    var simulation = Simulation(
        scenario: scenario, variant: named.variant, chooser: ScriptedChooser(script: ChoiceScript()))
    _ = simulation.run()
    #expect(!simulation.chooser.drifts.isEmpty)
    #expect(simulation.chooser.drifts.contains { $0.hasPrefix("no answer for the network delay of w1") })
}
