import RedisClient
import RedisRun
import Scenario
import Testing

extension RealRedisRuns {
    /// Every bundled scenario that can run in real time runs against a private redis-server, and the model accepts
    /// its trace; a scenario that cannot says so (`real-redis: skip`) and is refused with that reason.
    ///
    /// Serialized with every other real run (``RealRedisRuns``).
    @Suite struct BundledScenarioRunTests {
        /// The time scale each scenario runs at: 0.1 for the long ones (their margins are 400 ms of scenario time or
        /// more: 40 ms real, twice the tolerance); short ones run slower, where their margins are a few scenario ms.
        static func testScale(of scenario: String) -> Double {
            switch scenario {
            // Three calls within 1 ms of each other, 1-3 ms network: 1 ms of scenario time must outweigh the 20 ms
            // tolerance of real time, so 20.
            case "stampede-pre-review": return 20
            case "happy-path", "stale-set-after-invalidation": return 0.5
            default: return 0.1
            }
        }

        static let cases: [(scenario: String, protocolName: String)] = {
            guard let names = try? bundledScenarioNames() else { return [] }
            return names.flatMap { name -> [(scenario: String, protocolName: String)] in
                guard let scenario = try? bundledScenario(name) else { return [(name, "unloadable")] }
                return scenario.protocols.map { (name, $0.name) }
            }
        }()

        @Test func everyBundledScenarioIsCovered() throws {
            #expect(Set(Self.cases.map(\.scenario)) == Set(try bundledScenarioNames()))
            #expect(Self.cases.count >= 19)
        }

        @Test(arguments: cases)
        func runsForRealAndTheModelAcceptsTheTrace(_ scenarioName: String, _ protocolName: String) async throws {
            let scenario = try bundledScenario(scenarioName)
            let server = try RedisServerProcess()
            defer { server.stop() }
            let run = try configuration(scenario, protocolName, server: server, scale: Self.testScale(of: scenarioName))
            if let reason = scenario.realRedisSkipReason {
                // Not reproducible for real: refused with the scenario's own reason, which the report shows.
                await #expect {
                    _ = try await RealRun.run(run)
                } throws: { error in
                    guard let error = error as? RedisRunError else { return false }
                    return error.isNotReproducible && error.description.contains(reason)
                        && error.description.contains("not reproduced in a real run")
                }
                print("\(scenarioName) \(protocolName): skipped: \(reason)")
                return
            }
            let report = try await runRetryingTimingFailures(run)
            #expect(report.passed, "\(scenarioName) \(protocolName):\n\(report.text)")
            #expect(report.modelAccepted)
            #expect(report.replyMismatches.isEmpty)
            #expect(report.repliesCompared > 0)
            #expect(!report.events.isEmpty)
            // What the scenario expects of this protocol holds on the real run too, where the scenario leaves the
            // run one path. Not in the stampede: which of three workers started within 1 ms reads before another's
            // DEL is up to the threads, and `expect:` speaks of every path, while a real run follows one.
            if scenarioName != "stampede-pre-review", let expectation = report.expectation,
                let properties = report.properties
            {
                for property in expectation.fail {
                    #expect(properties.violated.contains(property), "\(scenarioName) \(protocolName): \(property) held")
                }
                for property in expectation.hold {
                    #expect(!properties.violated.contains(property), "\(scenarioName) \(protocolName): \(property) failed")
                }
                for property in expectation.reach {
                    #expect(properties.reached.contains(property), "\(scenarioName) \(protocolName): \(property) not reached")
                }
            }
        }
    }
}
