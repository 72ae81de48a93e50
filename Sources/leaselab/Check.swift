import ArgumentParser
import Conformance
import Foundation
import Scenario
import Trace

/// `leaselab check`: the main job. For every scenario and protocol: the model's verdicts, the seeded simulator
/// runs each replayed on the model, model paths replayed on the simulator until every transition is covered, and
/// the golden trace, with one summary table, details for each failure, and an exit status of 0 only when all
/// matched.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every bundled scenario: model verdicts, conformance both ways, seeds and golden traces.",
        discussion: """
            With no paths, checks every scenarios/*.yaml. For each scenario and protocol it explores the model and \
            matches each property's verdict to the scenario's expect:, runs the simulator \
            over the scenario's seeds (every run must end with every call returned, and every trace must replay on \
            the model: "traces fit"), replays model paths on the simulator until every transition of the model's \
            graph lies on a path whose trace the simulator reproduces ("transitions", "paths"; "all" when every \
            complete path was replayed), and compares the seed-0 trace \
            with traces/<scenario>.<protocol>.trace; a changed trace fails with a unified diff. \
            --update-traces rewrites the golden traces on purpose.
            """)

    /// The report formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Scenario files or directories (default: scenarios/).")
    var paths: [String] = []

    @Flag(help: "Rewrite the golden traces instead of comparing them.")
    var updateTraces = false

    @Option(help: "The directory of golden traces.")
    var traces = "traces"

    @Option(help: "Run at most this many seeds per protocol (default: each scenario's seeds:).")
    var seedsMaximum: Int?

    @Option(help: "The report format: text or json.")
    var format: Format = .text

    func validate() throws {
        if let seedsMaximum, seedsMaximum < 1 {
            throw ValidationError("--seeds-maximum must be at least 1")
        }
    }

    func run() throws {
        let scenarios = try ScenarioFiles.load(ScenarioFiles.resolve(paths))

        let options = CheckOptions(tracesDirectory: traces, updateTraces: updateTraces, seedsMaximum: seedsMaximum)
        let start = ContinuousClock.now
        var checks: [ProtocolCheck] = []
        for (index, scenario) in scenarios.enumerated() {
            if format == .text {
                printError("[\(index + 1)/\(scenarios.count)] \(scenario.name)")
            }
            checks += try ScenarioCheck.run(scenario, options: options)
        }
        let seconds = (ContinuousClock.now - start).seconds
        let knobProblems = KnobCheck.problems()
        switch format {
        case .text: printText(checks, knobProblems: knobProblems, seconds: seconds)
        case .json: printJSON(checks, knobProblems: knobProblems, seconds: seconds)
        }
        if checks.contains(where: { !$0.passed }) || !knobProblems.isEmpty {
            throw ExitCode.checkFailed
        }
    }

    private func printText(_ checks: [ProtocolCheck], knobProblems: [String], seconds: Double) {
        let rows = checks.map { check -> [String] in
            let golden: String
            switch check.golden {
            case .same: golden = "same"
            case .missing: golden = "missing"
            case .different: golden = "CHANGED"
            case .updated: golden = "updated"
            }
            return [
                check.scenario, check.protocolName,
                "\(check.held.count)/\(PropertyName.allCases.count)",
                check.failed.isEmpty ? "-" : check.failed.map(\.property.rawValue).joined(separator: " "),
                check.expectationDisagreements.isEmpty && check.explorationLimit == nil ? "as expected" : "DISAGREES",
                String(check.distinctStates), String(check.seedsRun),
                check.seedProblems.isEmpty ? "ok" : "\(check.seedProblems.count) problems",
                "\(check.seedTracesAccepted)/\(check.seedsRun)",
                "\(check.coverage.transitionsCovered)/\(check.coverage.transitionsTotal)",
                String(check.coverage.pathsReplayed) + (check.coverage.replayedInFull ? " all" : ""), golden,
                check.passed ? "pass" : "FAIL",
            ]
        }
        print(
            TextTable(
                header: [
                    "scenario", "protocol", "holds", "fails", "expect", "states", "seeds", "runs", "traces fit",
                    "transitions", "paths", "golden trace", "result",
                ], rows: rows
            ).rendered)
        for check in checks where !check.passed {
            print("\n\(check.scenario) \(check.protocolName):")
            for line in check.failureLines {
                print("  " + line.replacingOccurrences(of: "\n", with: "\n  "))
            }
        }
        if !knobProblems.isEmpty {
            print("\nknobs the model does not know:")
            for line in knobProblems { print("  " + line) }
        }
        // A knob the model does not know fails the run as one more failed check.
        let failed = checks.filter { !$0.passed }.count + knobProblems.count
        // The last line alone, in the form CI reads a run's result from.
        print("\nchecked \(checks.count) scenario protocols in \(String(format: "%.1f", seconds)) s")
        print("\(checks.count + knobProblems.count - failed) passed, \(failed) failed")
    }

    private func printJSON(_ checks: [ProtocolCheck], knobProblems: [String], seconds: Double) {
        let quoted = JSONText.quoted
        let entries = checks.map { check -> String in
            let golden: String
            switch check.golden {
            case .same: golden = "same"
            case .missing: golden = "missing"
            case .different: golden = "changed"
            case .updated: golden = "updated"
            }
            let failures = check.failureLines.map(quoted).joined(separator: ",")
            let held = check.held.map { quoted($0.rawValue) }.joined(separator: ",")
            let failed = check.failed.map { quoted($0.property.rawValue) }.joined(separator: ",")
            return
                "{\"scenario\":\(quoted(check.scenario)),\"protocol\":\(quoted(check.protocolName)),\"holds\":[\(held)],\"fails\":[\(failed)],\"states\":\(check.distinctStates),\"seeds\":\(check.seedsRun),\"tracesAccepted\":\(check.seedTracesAccepted),\"transitionsCovered\":\(check.coverage.transitionsCovered),\"transitionsTotal\":\(check.coverage.transitionsTotal),\"pathsReplayed\":\(check.coverage.pathsReplayed),\"pathsReplayedInFull\":\(check.coverage.replayedInFull),\"pathMismatches\":\(check.coverage.mismatchCount),\"golden\":\"\(golden)\",\"passed\":\(check.passed),\"failures\":[\(failures)]}"
        }
        let failed = checks.filter { !$0.passed }.count + knobProblems.count
        let knobs = knobProblems.map(quoted).joined(separator: ",")
        print(
            "{\"passed\":\(checks.count + knobProblems.count - failed),\"failed\":\(failed),\"seconds\":\(String(format: "%.3f", seconds)),\"unmodelledKnobs\":[\(knobs)],\"checks\":[\(entries.joined(separator: ","))]}"
        )
    }
}
