import Stress
import Testing

/// The flags' limits: each mistake is one line naming its flag.
@Suite struct StressParametersTests {
    @Test func theDefaultsMakeSense() {
        #expect(StressParameters(keyPrefix: "p:").problems == [])
    }

    @Test func eachMistakeNamesItsFlag() {
        let parameters = StressParameters(calls: 0, connections: 4, keys: 0, threads: 5, keyPrefix: "")
        let problems = parameters.problems
        #expect(problems.contains("--calls must be 1 to \(StressParameters.callsMaximum)"))
        #expect(problems.contains("--threads must be 1 to the number of connections (4)"))
        #expect(problems.contains("--keys must be 1 to \(StressParameters.keysMaximum)"))
        #expect(problems.contains { $0.contains("key prefix must not be empty") })
        #expect(StressParameters(connections: 4, threads: 4, keyPrefix: "p:").problems == [])
        #expect(StressParameters(connections: 4, threads: 0, keyPrefix: "p:").problems.count == 1)
    }
}
