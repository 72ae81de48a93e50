import LeaseModel
import Scenario
import Simulator
import Trace

/// Everything `leaselab check` found for one scenario under one protocol.
public struct ProtocolCheck: Sendable {
    /// The scenario's name.
    public var scenario: String
    /// The protocol's name in the scenario.
    public var protocolName: String
    /// How many seeded simulator runs were made.
    public var seedsRun: Int
    /// What went wrong in seeded runs, one line each (`seed 7: ...`).
    public var seedProblems: [String]
    /// The golden trace's state.
    public var golden: GoldenStatus
    /// The properties the model showed to hold on every path.
    public var held: [PropertyName]
    /// The properties the model showed to fail, each with its shortest counterexample.
    public var failed: [(property: PropertyName, counterexample: [TraceEvent])]
    /// Where the verdicts disagree with the scenario's `expect:`, one line each.
    public var expectationDisagreements: [String]
    /// Why the model's search stopped early, if it did.
    public var explorationLimit: String?
    /// The model's distinct states.
    public var distinctStates: Int
    /// Implementation to model: how many seeded traces the model accepted (of ``seedsRun``).
    public var seedTracesAccepted: Int
    /// The first few seeded traces the model did not accept.
    public var seedDivergences: [TraceDivergence]
    /// Model to implementation: replayed paths and the transitions they cover.
    public var coverage: PathCoverage

    /// The most divergences of seeded traces spelled out (all are counted).
    public static let divergencesShown = 3

    /// The state of a golden trace after a check.
    public enum GoldenStatus: Hashable, Sendable {
        /// The file holds the seed-0 trace.
        case same
        /// There is no golden file.
        case missing(path: String)
        /// The file differs; the unified diff from the file to the trace.
        case different(path: String, diff: String)
        /// The file was (re)written by `--update-traces`.
        case updated(path: String)
    }

    /// Whether everything matched.
    public var passed: Bool {
        guard seedProblems.isEmpty, expectationDisagreements.isEmpty, explorationLimit == nil,
            seedTracesAccepted == seedsRun, coverage.passed
        else { return false }
        switch golden {
        case .same, .updated: return true
        case .missing, .different: return false
        }
    }

    /// The failures, one line each (the golden diff follows its line).
    public var failureLines: [String] {
        var lines = expectationDisagreements.map { "model: " + $0 }
        if let explorationLimit {
            lines.append("model: the search stopped early: \(explorationLimit)")
        }
        lines += seedProblems
        if seedTracesAccepted < seedsRun {
            let shown =
                seedDivergences.count < seedsRun - seedTracesAccepted ? " (the first \(seedDivergences.count))" : ""
            lines.append(
                "implementation to model: the model accepts \(seedTracesAccepted) of \(seedsRun) seeded traces"
                    + shown + ":")
            lines += seedDivergences.map(\.report)
        }
        if let limit = coverage.graphLimit {
            lines.append("model to implementation: the graph is partial: \(limit)")
        }
        if coverage.mismatchCount > 0 {
            lines.append(
                "model to implementation: \(coverage.mismatchCount) of \(coverage.pathsReplayed) replayed paths differ "
                    + "(the first \(coverage.mismatches.count)):")
            lines += coverage.mismatches.map(\.report)
        }
        if coverage.transitionsCovered < coverage.transitionsTotal {
            lines.append(
                "model to implementation: \(coverage.transitionsTotal - coverage.transitionsCovered) of "
                    + "\(coverage.transitionsTotal) transitions are on no matching replayed path")
        }
        switch golden {
        case .same, .updated:
            break
        case .missing(let path):
            lines.append("no golden trace at \(path); write it with: leaselab check --update-traces")
        case .different(let path, let diff):
            lines.append(
                "the seed-0 trace differs from \(path); if the change is meant, rewrite it with: leaselab check --update-traces\n"
                    + diff)
        }
        return lines
    }
}

/// How `leaselab check` runs.
public struct CheckOptions: Sendable {
    /// The directory of golden traces.
    public var tracesDirectory: String
    /// Rewrite golden traces instead of comparing them.
    public var updateTraces: Bool
    /// Run at most this many seeds per protocol (nil: the scenario's `seeds:`).
    public var seedsMaximum: Int?

    /// A deliberate departure of the simulator from the protocol: for the checker's own tests only (a check must
    /// fail with any but ``SimulationMutation/none``).
    public var mutation: SimulationMutation

    public init(
        tracesDirectory: String, updateTraces: Bool = false, seedsMaximum: Int? = nil,
        mutation: SimulationMutation = .none
    ) {
        self.tracesDirectory = tracesDirectory
        self.updateTraces = updateTraces
        self.seedsMaximum = seedsMaximum
        self.mutation = mutation
    }
}

/// The checks of one scenario.
public enum ScenarioCheck {
    /// Checks every protocol of the scenario: the model's verdicts against `expect:`, seeded simulator runs (each
    /// trace replayed on the model), model paths replayed on the simulator (every transition covered), and the
    /// golden trace.
    public static func run(_ scenario: Scenario, options: CheckOptions) throws -> [ProtocolCheck] {
        try scenario.protocols.map { named in
            try check(scenario, named, options: options)
        }
    }

    static func check(_ scenario: Scenario, _ named: NamedVariant, options: CheckOptions) throws -> ProtocolCheck {
        let seeds = min(scenario.seedCount, options.seedsMaximum ?? Int.max)
        var problems: [String] = []
        var golden = ProtocolCheck.GoldenStatus.same
        var accepted = 0
        var divergences: [TraceDivergence] = []
        for seed in 0..<UInt64(seeds) {
            let (result, divergence) = TraceValidation.check(scenario, named, seed: seed, mutation: options.mutation)
            if let divergence {
                if divergences.count < ProtocolCheck.divergencesShown { divergences.append(divergence) }
            } else {
                accepted += 1
            }
            if let limit = result.limitReached {
                problems.append("seed \(seed): \(limit)")
            }
            if result.calls.count != scenario.calls.count {
                problems.append(
                    "seed \(seed): \(scenario.calls.count - result.calls.count) of \(scenario.calls.count) calls never returned")
            }
            if seed == GoldenTrace.seed {
                let text = GoldenTrace.text(scenario: scenario, protocolName: named.name, events: result.events)
                let path = GoldenTrace.path(
                    directory: options.tracesDirectory, scenario: scenario.name, protocolName: named.name)
                if options.updateTraces {
                    golden = try GoldenTrace.write(text, path: path) ? .updated(path: path) : .same
                } else {
                    switch GoldenTrace.compare(text, path: path) {
                    case .same: golden = .same
                    case .missing(let path): golden = .missing(path: path)
                    case .different(let path, let diff): golden = .different(path: path, diff: diff)
                    }
                }
            }
        }
        let explorer = Explorer(scenario: scenario, protocol: named)
        let report = explorer.run()
        var held: [PropertyName] = []
        var failed: [(property: PropertyName, counterexample: [TraceEvent])] = []
        for result in report.always {
            switch result.verdict {
            case .holds: held.append(result.property)
            case .fails(let path): failed.append((result.property, path.events))
            case .undecided: break
            }
        }
        let disagreements = scenario.expectation(for: named.name).map { report.disagreements(with: $0) } ?? []
        let counterexamples = report.always.compactMap { result -> ModelPath? in
            if case .fails(let path) = result.verdict { return path }
            return nil
        }
        let coverage = PathReplay.run(
            model: explorer.model, graph: explorer.graph(), counterexamples: counterexamples,
            mutation: options.mutation)
        return ProtocolCheck(
            scenario: scenario.name, protocolName: named.name, seedsRun: seeds, seedProblems: problems,
            golden: golden, held: held, failed: failed, expectationDisagreements: disagreements,
            explorationLimit: report.limitReached, distinctStates: report.statistics.distinctStates,
            seedTracesAccepted: accepted, seedDivergences: divergences, coverage: coverage)
    }
}
