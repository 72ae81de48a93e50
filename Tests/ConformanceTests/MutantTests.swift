import Conformance
import Scenario
import Simulator
import Testing
import Trace

// The checker catches what it exists to catch: implementations that differ from the model in one small way each
// (``SimulationMutation``), each reported as a divergence at the right event, in each direction it can show in.
// A checker that accepts a mutant fails here.

/// Implementation to model: the seed-0 trace of the mutant does not fit; the divergence.
private func divergence(
    _ scenario: String, _ protocolName: String, _ mutation: SimulationMutation
) throws -> TraceDivergence {
    let (loaded, named) = try bundledProtocol(scenario, protocolName)
    #expect(TraceValidation.check(loaded, named, seed: 0).divergence == nil, "the unmutated run must fit")
    return try #require(
        TraceValidation.check(loaded, named, seed: 0, mutation: mutation).divergence,
        "\(mutation) was accepted by the model")
}

/// Model to implementation: replaying the model's paths on the mutant; the first mismatch.
private func mismatch(
    _ scenario: String, _ protocolName: String, _ mutation: SimulationMutation
) throws -> (PathCoverage, PathMismatch) {
    let (loaded, named) = try bundledProtocol(scenario, protocolName)
    let coverage = PathReplay.run(loaded, named, mutation: mutation)
    #expect(!coverage.passed, "\(mutation) replayed every model path")
    #expect(coverage.transitionsCovered < coverage.transitionsTotal)
    return (coverage, try #require(coverage.mismatches.first, "\(mutation) reproduced every model path"))
}

/// The whole check fails too.
private func checkFails(_ scenario: String, _ mutation: SimulationMutation) throws {
    let loaded = try ScenarioLoader.load(path: conformancePackageRoot + "/scenarios/\(scenario).yaml")
    let checks = try ScenarioCheck.run(
        loaded,
        options: CheckOptions(
            tracesDirectory: conformancePackageRoot + "/traces", seedsMaximum: 3, mutation: mutation))
    #expect(checks.contains { !$0.passed }, "leaselab check passed \(mutation) on \(scenario)")
}

private func isExec(_ event: TraceEvent?, _ matches: (Command) -> Bool) -> Bool {
    guard let event, case .exec(let command, _) = event.kind else { return false }
    return matches(command)
}

@Test("a release without the token check (DEL regardless) diverges at the DEL, both ways")
func releaseWithoutTokenCheck() throws {
    let found = try divergence("happy-path", "pr-4821", .releaseWithoutTokenCheck)
    #expect(found.index == 6)
    #expect(isExec(found.event) { $0 == .delete(key: "lease:user:1") })
    #expect(found.allowed.contains { isExec($0) { if case .release = $0 { true } else { false } } })
    #expect(found.report.contains("event 7 does not fit the model: "))
    #expect(found.report.contains("lease:user:1 = w1.1"), "the model state names the lease: \(found.report)")

    let (_, path) = try mismatch("happy-path", "pr-4821", .releaseWithoutTokenCheck)
    #expect(isExec(path.modelEvent) { if case .release = $0 { true } else { false } })
    #expect(isExec(path.implementationEvent) { $0 == .delete(key: "lease:user:1") })
    #expect(path.report.contains("EVAL release lease:user:1 w1.1 -> 1 | "))
    try checkFails("happy-path", .releaseWithoutTokenCheck)
}

@Test("a SET issued before the load ends diverges at the SET, both ways")
func writeBeforeLoadEnds() throws {
    let found = try divergence("happy-path", "pr-4821", .writeBeforeLoadEnds)
    #expect(found.index == 4)
    #expect(isExec(found.event) { if case .set = $0 { true } else { false } })
    #expect(found.allowed.contains { if case .loadEnd = $0.kind { true } else { false } })

    let (_, path) = try mismatch("happy-path", "pr-4821", .writeBeforeLoadEnds)
    #expect(path.modelEvent.map { if case .loadEnd = $0.kind { true } else { false } } == true)
    #expect(isExec(path.implementationEvent) { if case .set = $0 { true } else { false } })
    try checkFails("happy-path", .writeBeforeLoadEnds)
}

@Test("a lease TTL off by one millisecond diverges at the acquire, both ways")
func leaseTTLOffByOne() throws {
    let found = try divergence("happy-path", "pr-4821", .leaseTTLOffByOneMillisecond)
    #expect(found.index == 2)
    #expect(isExec(found.event) { if case .acquire(_, _, 5_001) = $0 { true } else { false } })
    #expect(found.allowed.contains { isExec($0) { if case .acquire(_, _, 5_000) = $0 { true } else { false } } })

    let (_, path) = try mismatch("happy-path", "pr-4821", .leaseTTLOffByOneMillisecond)
    #expect(isExec(path.modelEvent) { if case .acquire(_, _, 5_000) = $0 { true } else { false } })
    #expect(isExec(path.implementationEvent) { if case .acquire(_, _, 5_001) = $0 { true } else { false } })
    try checkFails("happy-path", .leaseTTLOffByOneMillisecond)
}

@Test("an outcome with the wrong reason diverges at its return, both ways")
func outcomeMislabelled() throws {
    // lost-acquire-reply's seed 0: w1 ends in `error command-timeout` (event 7), w2's first call is contended.
    let found = try divergence("lost-acquire-reply", "pr-4821", .outcomeMislabelled)
    #expect(found.index == 6)
    #expect(found.event?.kind == .return(.error(.connectionLost)))
    #expect(found.allowed.contains { $0.kind == .return(.error(.commandTimeout)) })

    let (coverage, path) = try mismatch("lost-acquire-reply", "pr-4821", .outcomeMislabelled)
    guard case .return(let modelOutcome)? = path.modelEvent?.kind,
        case .return(let implementationOutcome)? = path.implementationEvent?.kind
    else {
        Issue.record("the first difference is not at a return: \(path.report)")
        return
    }
    #expect(modelOutcome != implementationOutcome)
    #expect(path.modelEvent?.timeMicroseconds == path.implementationEvent?.timeMicroseconds)
    #expect(coverage.mismatchCount > 1)
    try checkFails("lost-acquire-reply", .outcomeMislabelled)
}

@Test("an event missing from the trace diverges where it belonged, both ways")
func eventMissing() throws {
    let found = try divergence("happy-path", "pr-4821", .loadEndMissing)
    #expect(found.index == 4)
    #expect(isExec(found.event) { if case .set = $0 { true } else { false } })
    let loadEnd = TraceEvent(timeMicroseconds: 24_000, actor: .worker(1), kind: .loadEnd(key: "user:1", version: 2))
    #expect(found.allowed == [loadEnd])
    #expect(found.before.last?.kind == .loadStart(key: "user:1", version: 2))

    let (_, path) = try mismatch("happy-path", "pr-4821", .loadEndMissing)
    #expect(path.modelEvent.map { if case .loadEnd = $0.kind { true } else { false } } == true)
    #expect(path.report.contains("first difference at event 5"))
    try checkFails("happy-path", .loadEndMissing)
}

@Test("every mutant fails the check of a scenario it can show in")
func everyMutantIsCaught() throws {
    for mutation in SimulationMutation.allCases where mutation != .none {
        try checkFails("lost-acquire-reply", mutation)
    }
}
