import Conformance
import Scenario
import Simulator
import Testing
import Trace

// The two snags of replaying model paths on the simulator, each pinned by a scenario that hits it.

@Test("same-instant expiries of different keys go in one fixed order on both sides: model paths replay")
func sameInstantExpiries() throws {
    // Both acquires' replies are lost, at the same instant: two orphaned leases expire at one instant.
    let scenario = try ScenarioLoader.load(
        text: """
            name: same-instant-expiries
            about: Two orphaned leases of different keys expire at one instant.
            protocols: [pr-4821]
            keys:
              user:2: {cached: 1, source: 2}
              user:1: {cached: 1, source: 2}
            workers: 2
            calls:
              - {at: 0ms, worker: w1, key: user:1}
              - {at: 0ms, worker: w2, key: user:2}
            network:
              latency: 1ms
            origin:
              latency: 20ms
            faults:
              - {worker: w1, call: 1, lose-reply: acquire}
              - {worker: w2, call: 1, lose-reply: acquire}
            seeds: 5
            """, path: "same-instant-expiries.yaml")
    let named = try #require(scenario.protocols.first)
    var simulation = Simulation(scenario: scenario, variant: named.variant, chooser: SeededChooser(seed: 0))
    let expiries = simulation.run().events.filter { if case .expire = $0.kind { true } else { false } }
    // Cache keys before lease keys, each in `keys:` order: user:2's lease first.
    #expect(expiries.map(\.kind) == [.expire(key: "lease:user:2"), .expire(key: "lease:user:1")])
    #expect(expiries.first?.timeMicroseconds == expiries.last?.timeMicroseconds)
    let coverage = PathReplay.run(scenario, named)
    #expect(coverage.passed, "\(coverage.mismatches.map(\.report))")
    #expect(TraceValidation.check(scenario, named, seed: 0).divergence == nil)
}

@Test("stale items are not put to the chooser: a replay is not asked to order what the model never takes")
func staleItemsAreNotChosen() throws {
    // A 500 ms network makes each reply arrive with its command timeout: whichever goes first, the other is
    // stale, and two workers' stale timeouts then fall at one instant.
    let scenario = try ScenarioLoader.load(
        text: """
            name: stale-items
            about: Replies and command timeouts at one instant.
            protocols: [pr-4821]
            keys:
              user:1: {cached: 1, source: 2}
              user:2: {cached: 1, source: 2}
            workers: 2
            calls:
              - {at: 0ms, worker: w1, key: user:1}
              - {at: 0ms, worker: w2, key: user:2}
            network:
              latency: 500ms
            origin:
              latency: 20ms
            seeds: 20
            """, path: "stale-items.yaml")
    let named = try #require(scenario.protocols.first)
    let coverage = PathReplay.run(scenario, named)
    #expect(coverage.passed, "\(coverage.mismatches.map(\.report))")
    #expect(coverage.transitionsTotal > 10)
    for seed in 0..<UInt64(scenario.seedCount) {
        let divergence = TraceValidation.check(scenario, named, seed: seed).divergence
        #expect(divergence == nil, "seed \(seed): \(divergence?.report ?? "")")
    }
}

@Test("two calls of one worker due at one instant start in either order, on both sides")
func sameInstantCallsOfOneWorker() throws {
    let scenario = try ScenarioLoader.load(
        text: """
            name: same-instant-calls
            about: One worker has two calls due at once, on two keys.
            protocols: [pr-4821]
            keys:
              user:1: {cached: 1, source: 2}
              user:2: {cached: 1, source: 2}
            workers: 1
            calls:
              - {at: 0ms, worker: w1, key: user:1}
              - {at: 0ms, worker: w1, key: user:2}
            network:
              latency: 1ms
            origin:
              latency: 20ms
            seeds: 40
            """, path: "same-instant-calls.yaml")
    let named = try #require(scenario.protocols.first)
    let coverage = PathReplay.run(scenario, named)
    #expect(coverage.passed, "\(coverage.mismatches.map(\.report))")
    var firstKeys = Set<String>()
    for seed in 0..<UInt64(scenario.seedCount) {
        let (result, divergence) = TraceValidation.check(scenario, named, seed: seed)
        #expect(divergence == nil, "\(divergence?.report ?? "")")
        if case .call(let key, _) = result.events.first?.kind { firstKeys.insert(key) }
    }
    #expect(firstKeys == ["user:1", "user:2"], "seeded runs start either call first")
}
