import ArgumentParser
import Conformance
import Foundation
import Scenario

/// `leaselab bench conformance`: trace events replayed on the model per second and model paths replayed on the
/// implementation per second, over the bundled scenarios, and the wall time of a whole `leaselab check` of them.
/// Targets: 1 million events/s and 10,000 paths/s on one core; `leaselab check` within 10 s.
struct BenchConformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Events replayed on the model/s, model paths replayed on the implementation/s, and check's time.")

    @Option(help: "The scenario directory.")
    var scenarios = "scenarios"

    @Option(help: "Seeded traces per scenario protocol (capped by each scenario's seeds:).")
    var seeds = 50

    @Option(help: "Rounds; the best of each rate is kept.")
    var rounds = 3

    @Option(help: "Passes over the traces per round (one pass lasts milliseconds, too short to time steadily).")
    var traceRepeats = 10

    @Option(help: "The golden traces, for the timed leaselab check.")
    var traces = "traces"

    func validate() throws {
        guard (1...10_000).contains(seeds) else { throw ValidationError("--seeds must be 1 to 10000") }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be 1 to 20") }
        guard (1...1_000).contains(traceRepeats) else { throw ValidationError("--trace-repeats must be 1 to 1000") }
    }

    func run() throws {
        #if DEBUG
        print("warning: a debug build; benchmark figures mean little. Use: scripts/leaselab bench conformance")
        #endif
        let loaded = try ScenarioFiles.load(ScenarioFiles.resolve([scenarios]))
        print(
            "leaselab bench conformance: \(loaded.count) scenarios in \(scenarios)/, \(seeds) seeds each, traces "
                + "replayed \(traceRepeats) times a round, best of \(rounds)")
        let workload = ConformanceBenchmark.workload(loaded, seedsPerProtocol: seeds)
        var best: ConformanceBenchmark.Figures?
        var bestPaths: ConformanceBenchmark.Figures?
        for _ in 0..<rounds {
            let figures = ConformanceBenchmark.measure(workload, traceRepeats: traceRepeats)
            if best == nil || figures.eventsPerSecond > best!.eventsPerSecond { best = figures }
            if bestPaths == nil || figures.pathsPerSecond > bestPaths!.pathsPerSecond { bestPaths = figures }
        }
        guard let best, let bestPaths else { return }

        let checkStart = ContinuousClock.now
        var checksFailed = 0
        for scenario in loaded {
            checksFailed += try ScenarioCheck.run(scenario, options: CheckOptions(tracesDirectory: traces))
                .filter { !$0.passed }.count
        }
        let checkSeconds = (ContinuousClock.now - checkStart).seconds

        print(
            TextTable(
                header: ["measure", "count", "seconds", "rate", "target", "problems"],
                rows: [
                    [
                        "trace events replayed on the model", String(best.events),
                        String(format: "%.3f", best.eventSeconds), "\(Int(best.eventsPerSecond)) events/s",
                        ">= 1000000 events/s", "\(best.tracesRejected) traces rejected",
                    ],
                    [
                        "model paths replayed on the simulator", String(bestPaths.paths),
                        String(format: "%.3f", bestPaths.pathSeconds), "\(Int(bestPaths.pathsPerSecond)) paths/s",
                        ">= 10000 paths/s", "\(bestPaths.pathsMismatched) paths mismatched",
                    ],
                    [
                        "leaselab check, every bundled scenario", String(loaded.count), String(format: "%.2f", checkSeconds),
                        "-", "<= 10 s", "\(checksFailed) checks failed",
                    ],
                ]
            ).rendered)
    }
}
