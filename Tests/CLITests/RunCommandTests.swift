import Foundation
import Scenario
import Simulator
import Testing
import Trace

// `leaselab run` in child processes: one seed, one trace, byte for byte, in every process.

@Test("the same scenario, protocol and seed give the byte-identical trace in two processes")
func sameSeedSameBytes() throws {
    for format in ["text", "jsonl", "mermaid"] {
        let arguments = ["run", "scenarios/stampede-pre-review.yaml", "--protocol", "pre-review", "--seed", "3", "--format", format]
        let first = try runLeaselab(arguments)
        let second = try runLeaselab(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(!first.standardOutput.isEmpty)
        #expect(first.standardOutput == second.standardOutput, "format \(format)")
    }
}

@Test("different seeds give different interleavings where the scenario leaves room")
func differentSeedsDiffer() throws {
    var outputs = Set<Data>()
    for seed in 0..<6 {
        let result = try runLeaselab(["run", "scenarios/stampede-pre-review.yaml", "--protocol", "pre-review", "--seed", "\(seed)"])
        #expect(result.status == 0)
        outputs.insert(result.standardOutput)
    }
    #expect(outputs.count > 3)
}

@Test("the printed trace is the simulator's, in text and JSON Lines alike")
func printedTraceRoundTrips() throws {
    let scenario = try ScenarioLoader.load(path: packageRoot + "/scenarios/lease-expiry-slow-origin.yaml")
    var simulation = Simulation(
        scenario: scenario, variant: try #require(scenario.namedVariant("pr-4821")).variant,
        chooser: SeededChooser(seed: 5))
    let expected = simulation.run().events
    let base = ["run", "scenarios/lease-expiry-slow-origin.yaml", "--protocol", "pr-4821", "--seed", "5"]
    let text = try runLeaselab(base + ["--format", "text"])
    #expect(try TraceText.parse(String(decoding: text.standardOutput, as: UTF8.self), source: "stdout") == expected)
    let lines = try runLeaselab(base + ["--format", "jsonl"])
    #expect(try TraceJSONLines.parse(String(decoding: lines.standardOutput, as: UTF8.self), source: "stdout") == expected)
}

@Test("a scenario with mistakes gives one line per mistake and a non-zero exit")
func badScenario() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leaselab-cli-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("bad.yaml").path
    try """
        name: bad
        keys:
          user:1: {cached: 1, source: 1}
        workers: 1
        calls:
          - {at: 5, worker: w2, key: user:1}
        """.write(toFile: path, atomically: true, encoding: .utf8)
    let result = try runLeaselab(["run", path])
    #expect(result.status != 0)
    let lines = result.standardError.split(separator: "\n")
    #expect(lines.count == 2, "\(result.standardError)")
    #expect(lines.allSatisfy { $0.hasPrefix(path + ":6:") })
    #expect(result.standardError.contains("has no unit"))
    #expect(result.standardError.contains("unknown worker 'w2'"))
}
