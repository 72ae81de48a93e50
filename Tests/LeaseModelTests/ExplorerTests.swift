import LeaseModel
import Testing
import Trace

@Test("two explorations give identical counts, verdicts, counterexamples and figures")
func explorationIsDeterministic() throws {
    for (name, protocolName) in [("stampede-pre-review", "pre-review"), ("non-atomic-release", "get-then-delete")] {
        let first = try explore(name, protocolName)
        let second = try explore(name, protocolName)
        #expect(first.statistics == second.statistics, "\(name) \(protocolName)")
        #expect(first.always.map(\.verdict) == second.always.map(\.verdict))
        #expect(first.sometimes.map(\.verdict) == second.sometimes.map(\.verdict))
        #expect(first.figures == second.figures)
    }
}

@Test("a search stopped by its state limit says so and decides nothing it did not show")
func stateLimit() throws {
    let report = try explore(
        "stampede-pre-review", "pr-4821", limits: ExplorerLimits(maximumDistinctStates: 500, maximumDepth: 1_000))
    let limit = try #require(report.limitReached)
    #expect(limit.contains("500 distinct states") && limit.contains("maximumDistinctStates"))
    #expect(report.statistics.distinctStates <= 500)
    #expect(report.always.allSatisfy { $0.verdict != .holds })
    #expect(report.sometimes.allSatisfy { $0.verdict != .notReached })
    #expect(report.verdict(.singleLoader) == .undecided)
}

@Test("a search stopped by its depth limit says so; what it found before stays found")
func depthLimit() throws {
    let shallow = try explore(
        "lost-acquire-reply", "pr-4821", limits: ExplorerLimits(maximumDistinctStates: 1_000, maximumDepth: 3))
    #expect(shallow.limitReached?.contains("maximumDepth") == true)
    #expect(shallow.statistics.maximumDepth == 3)
    #expect(shallow.verdict(.noOrphanedLease) == .undecided)
    let deeper = try explore(
        "lost-acquire-reply", "pr-4821", limits: ExplorerLimits(maximumDistinctStates: 1_000, maximumDepth: 12))
    #expect(deeper.limitReached != nil)
    guard case .fails(let path) = deeper.verdict(.noOrphanedLease) else {
        Issue.record("the orphaned lease is 9 actions deep and was not found by depth 12")
        return
    }
    #expect(path.events.count == 7)
}

@Test("the search's own figures: the visited set stays under 64 bytes per state on the largest bundled search")
func searchFigures() throws {
    let report = try cachedReport("stampede-pre-review", "pre-review")
    let statistics = report.statistics
    #expect(statistics.statesGenerated == statistics.transitions + 1)
    #expect(statistics.distinctStates == 13_809)
    #expect(statistics.maximumDepth == 24)
    #expect(statistics.terminalStates == 66)
    #expect(statistics.visitedBytesPerState <= 64)
    #expect(statistics.largestStateWords > 0)
    #expect(report.figures.originLoads == [ModelFigures.KeyLoads(key: key, mostInOneRun: 3, mostAtOnce: 3)])
}
