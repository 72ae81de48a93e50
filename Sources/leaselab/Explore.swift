import ArgumentParser
import Foundation
import LeaseModel
import Scenario
import Trace

/// `leaselab explore`: the formal model's exhaustive search of a scenario, property by property.
///
/// One scenario prints each protocol's verdicts, the shortest counterexample of each failing property (and a
/// shortest witness of each `sometimes` property reached), the figures and the search's own figures. `--matrix`
/// prints one verdict table for many scenarios. Either way the exit status is 1 when a verdict disagrees with the
/// scenario's `expect:`, so CI can run it.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore every interleaving and timing of a scenario on the formal model.",
        discussion: """
            Breadth-first search over every order of same-instant events, every delay of the scenario's explore \
            lists and every maybe fault. Verdicts: holds (on every path), FAILS (with a shortest counterexample), \
            reached / - for the sometimes properties, ? when a search limit stopped it first. Exits 1 when a \
            verdict disagrees with the scenario's expect: entries.
            """)

    @Argument(help: "A scenario file; with --matrix, any number (default: every scenarios/*.yaml).")
    var paths: [String] = []

    @Option(name: .customLong("preset"), help: "A protocol of the scenario to explore (repeatable). Default: all.")
    var protocols: [String] = []

    @Flag(help: "Print a verdict table of every (scenario, protocol) instead of one scenario's details.")
    var matrix = false

    @Flag(help: "With --matrix, print the table as Markdown.")
    var markdown = false

    @Option(help: "Stop a search after this many distinct states.")
    var maxStates = ExplorerLimits.standard.maximumDistinctStates

    @Option(help: "Stop a search at this depth (actions on the shortest path).")
    var maxDepth = ExplorerLimits.standard.maximumDepth

    func validate() throws {
        if !matrix && paths.count != 1 {
            throw ValidationError("give one scenario file, or --matrix with any number")
        }
        if markdown && !matrix {
            throw ValidationError("--markdown goes with --matrix")
        }
        guard maxStates >= 1 else { throw ValidationError("--max-states must be at least 1") }
        guard maxDepth >= 1 else { throw ValidationError("--max-depth must be at least 1") }
    }

    func run() throws {
        let limits = ExplorerLimits(maximumDistinctStates: maxStates, maximumDepth: maxDepth)
        let files = try ScenarioFiles.resolve(paths)
        let scenarios = try ScenarioFiles.load(files)
        var disagreements: [String] = []
        var rows: [[String]] = []
        for (path, scenario) in zip(files, scenarios) {
            for named in try chosenProtocols(of: scenario, path: path) {
                let start = ContinuousClock.now
                let report = Explorer(scenario: scenario, protocol: named, limits: limits).run()
                let seconds = (ContinuousClock.now - start).seconds
                let disagreeing = scenario.expectation(for: named.name).map(report.disagreements(with:)) ?? []
                disagreements += disagreeing.map { "\(scenario.name) \(named.name): \($0)" }
                if matrix {
                    rows.append(Self.matrixRow(report, expectation: scenario.expectation(for: named.name)))
                } else {
                    print(Self.details(report, path: path, seconds: seconds, disagreements: disagreeing))
                }
            }
        }
        if matrix {
            let header = ["scenario", "protocol"] + PropertyName.allCases.map(\.rawValue)
                + SometimesProperty.allCases.map(\.rawValue) + ["states"]
            print(markdown ? Self.markdownTable(header: header, rows: rows) : TextTable(header: header, rows: rows).rendered)
            print("")
            print("holds: on every path; FAILS: a counterexample exists; reached / -: a sometimes property reached or")
            print("not; ?: a search limit stopped it first; !: disagrees with the scenario's expect:.")
        }
        if disagreements.isEmpty {
            print("verdicts agree with every expect: entry")
        } else {
            print("\(disagreements.count) verdict(s) disagree with the scenarios' expect: entries")
            for line in disagreements { print("  " + line) }
            throw ExitCode(1)
        }
    }

    /// The protocols to explore: all, or those named by `--preset` (in a matrix, a scenario that does not run
    /// a named protocol is left out of that column rather than refused).
    private func chosenProtocols(of scenario: Scenario, path: String) throws -> [NamedVariant] {
        guard !protocols.isEmpty else { return scenario.protocols }
        if matrix { return scenario.protocols.filter { protocols.contains($0.name) } }
        return try protocols.map { name in
            guard let named = scenario.namedVariant(name) else {
                let names = scenario.protocols.map(\.name).joined(separator: ", ")
                throw usageProblem("\(path): no protocol '\(name)'; the scenario runs \(names)")
            }
            return named
        }
    }

    // MARK: - Output

    /// `seconds`: the search's wall time, measured here: the model keeps no clock.
    static func details(_ report: ExplorationReport, path: String, seconds: Double, disagreements: [String]) -> String {
        var lines = ["== \(report.scenarioName) (\(path)) under \(report.protocolName)"]
        for result in report.always {
            lines.append("  \(result.property.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \(result.verdict.word)")
        }
        for result in report.sometimes {
            let word = result.verdict.word == "-" ? "not reached" : result.verdict.word
            lines.append("  sometimes \(result.property.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \(word)")
        }
        for result in report.always {
            guard case .fails(let counterexample) = result.verdict else { continue }
            lines.append("")
            lines.append("  counterexample: \(result.property.rawValue) (\(counterexample.events.count) events)")
            lines += counterexample.events.map { "    " + TraceText.line($0) }
        }
        lines.append("")
        lines.append("  figures:")
        for loads in report.figures.originLoads {
            lines.append("    origin loads of \(loads.key): at most \(loads.mostInOneRun) in one run, \(loads.mostAtOnce) at once")
        }
        lines.append("    longest stale version served after a write: \(milliseconds(report.figures.longestStaleServedMicroseconds))")
        lines.append("    longest lease hold: \(milliseconds(report.figures.longestLeaseHoldMicroseconds))")
        lines.append("  bounds: lease hold \(milliseconds(report.leaseHoldBoundMicroseconds)), "
            + "call latency \(milliseconds(report.callLatencyBoundMicroseconds))")
        let statistics = report.statistics
        lines.append("  search: \(statistics.distinctStates) distinct states of \(statistics.statesGenerated) generated, "
            + "\(statistics.transitions) transitions, depth \(statistics.maximumDepth), "
            + "\(statistics.terminalStates) ended runs, largest state \(statistics.largestStateWords) words, "
            + String(format: "%.2fs, %.0f states/s, %.1f visited bytes/state", seconds,
                     seconds > 0 ? Double(statistics.distinctStates) / seconds : 0, statistics.visitedBytesPerState))
        if let limit = report.limitReached { lines.append("  LIMIT: \(limit)") }
        for line in disagreements { lines.append("  DISAGREES with expect: \(line)") }
        return lines.joined(separator: "\n")
    }

    static func milliseconds(_ microseconds: Int64?) -> String {
        guard let microseconds else { return "none" }
        let fraction = String(microseconds % 1_000)
        return "\(microseconds / 1_000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)ms"
    }

    static func matrixRow(_ report: ExplorationReport, expectation: Expectation?) -> [String] {
        let cells = report.always.map { result -> String in
            let disagrees =
                (expectation?.fail.contains(result.property) == true && result.verdict.word != "FAILS")
                || (expectation?.hold.contains(result.property) == true && result.verdict.word != "holds")
            return result.verdict.word + (disagrees ? "!" : "")
        }
        let reached = report.sometimes.map { result -> String in
            let disagrees = expectation?.reach.contains(result.property) == true && result.verdict.word != "reached"
            return result.verdict.word + (disagrees ? "!" : "")
        }
        return [report.scenarioName, report.protocolName] + cells + reached
            + [String(report.statistics.distinctStates) + (report.limitReached == nil ? "" : "+")]
    }

    static func markdownTable(header: [String], rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        return ([line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(separator: "\n")
    }
}
