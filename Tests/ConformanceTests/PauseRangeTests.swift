import Conformance
import LeaseModel
import Scenario
import Simulator
import Testing
import Trace

/// A pause given as a range: the model explores the `explore: pause:` lengths inside it, the simulator draws from
/// it, and the two still agree both ways.
@Suite struct PauseRangeTests {
    /// lease-expiry-pause with the pause a range: 1 s is short of the 5 s lease, 6 s outlasts it.
    static func scenario(explore pauses: String) throws -> Scenario {
        try ScenarioLoader.load(
            text: """
                name: ranged-pause
                protocols: [pr-4821]
                keys:
                  user:1: {cached: 1, source: 1}
                workers: 2
                calls:
                  - {at: 0ms, worker: w1, key: user:1}
                  - {at: 5500ms, worker: w2, key: user:1}
                writes:
                  - {at: 1s, key: user:1}
                network:
                  latency: 1ms
                origin:
                  latency: 50ms
                faults:
                  - {worker: w1, call: 1, pause: {min: 1s, max: 6s}, at: after-load}
                explore:
                  pause: \(pauses)
                seeds: 40
                """, path: "ranged-pause.yaml")
    }

    static func verdict(_ scenario: Scenario, _ property: PropertyName) -> AlwaysVerdict? {
        Explorer(scenario: scenario, protocol: scenario.protocols[0]).run().always.first { $0.property == property }?
            .verdict
    }

    @Test func theModelTriesEachExploredLengthInsideTheRange() throws {
        let short = try Self.scenario(explore: "[1s]")
        #expect(Self.verdict(short, .noStaleOverwrite) == .holds, "a 1 s pause ends well inside the 5 s lease")
        let both = try Self.scenario(explore: "[1s, 6s]")
        guard case .fails(let path) = Self.verdict(both, .noStaleOverwrite) else {
            Issue.record("a 6 s pause outlasts the lease: w1's late SET must overwrite w2's value")
            return
        }
        let resume = try #require(path.events.first { if case .resume = $0.kind { return true } else { return false } })
        let pause = try #require(path.events.first { if case .pause = $0.kind { return true } else { return false } })
        #expect(resume.timeMicroseconds - pause.timeMicroseconds == 6_000_000)
    }

    @Test func bothDirectionsHoldWithARangedPause() throws {
        let scenario = try Self.scenario(explore: "[1s, 3s, 6s]")
        let named = scenario.protocols[0]
        let coverage = PathReplay.run(scenario, named)
        #expect(coverage.passed, "\(coverage.mismatches.map(\.report))")
        var lengths = Set<Int64>()
        for seed in 0..<UInt64(scenario.seedCount) {
            let (result, divergence) = TraceValidation.check(scenario, named, seed: seed)
            #expect(divergence == nil, "\(divergence?.report ?? "")")
            let pause = result.events.first { if case .pause = $0.kind { return true } else { return false } }
            let resume = result.events.first { if case .resume = $0.kind { return true } else { return false } }
            if let pause, let resume { lengths.insert(resume.timeMicroseconds - pause.timeMicroseconds) }
        }
        #expect(lengths.count > 1, "seeded runs draw pause lengths across the range")
        #expect(lengths.allSatisfy { (1_000_000...6_000_000).contains($0) })
    }
}
