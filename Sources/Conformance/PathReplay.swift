import LeaseModel
import Scenario
import Simulator
import Trace

/// Model to implementation (DESIGN.md "Traces"): model paths replayed on the simulator through its chooser.
///
/// Each path's decisions become a ``ChoiceScript``; the simulator answers its chooser from it by identity
/// (``ScriptedChooser``) and must make the path's trace, event for event, without asking anything the script
/// does not answer (a drift). Which paths:
/// - when the scenario has at most ``fullReplayLimit`` complete paths, all of them;
/// - otherwise, for each transition no path so far has covered (states in breadth-first order, actions in the
///   model's order): the shortest path to its source, the transition, then the first action at every state to
///   the run's end; every transition is then on at least one replayed path;
/// - every counterexample (the shortest violation of each failing property), run on to the end by first actions.
/// Paths are deduplicated; coverage counts every transition of every replayed path that matched.
public enum PathReplay {
    /// The most complete paths a scenario may have for all of them to be replayed.
    public static let fullReplayLimit = 2_000
    /// The most mismatches a report spells out (all are counted).
    public static let mismatchesShown = 3

    /// Explores one of a scenario's protocols and replays paths covering its graph and counterexamples.
    public static func run(
        _ scenario: Scenario, _ named: NamedVariant, mutation: SimulationMutation = .none,
        observe: ((ModelPath) -> Void)? = nil
    ) -> PathCoverage {
        let explorer = Explorer(scenario: scenario, protocol: named)
        let counterexamples = explorer.run().always.compactMap { result -> ModelPath? in
            if case .fails(let path) = result.verdict { return path }
            return nil
        }
        return run(
            model: explorer.model, graph: explorer.graph(), counterexamples: counterexamples, mutation: mutation,
            observe: observe)
    }

    /// Replays paths covering `graph` (and the counterexamples) on the simulator.
    ///
    /// `observe`, when given, sees every path as it is replayed (the conformance benchmark collects them).
    public static func run(
        model: LeaseModel, graph: ModelGraph, counterexamples: [ModelPath], mutation: SimulationMutation = .none,
        observe: ((ModelPath) -> Void)? = nil
    ) -> PathCoverage {
        var offsets: [Int] = []
        offsets.reserveCapacity(graph.edges.count)
        var total = 0
        for edges in graph.edges {
            offsets.append(total)
            total += edges.count
        }
        var coverage = PathCoverage(transitionsTotal: total, graphLimit: graph.limitReached)
        var covered = [Bool](repeating: false, count: total)
        var replayed = Set<[Int32]>()

        func replay(_ initialIndex: Int, _ transitions: [ModelGraph.Parent], counterexample: Bool) {
            let key = [Int32(initialIndex)] + transitions.map { Int32(offsets[$0.state] + $0.edge) }
            guard replayed.insert(key).inserted else { return }
            let path = ModelPath(
                initialStateIndex: initialIndex,
                actions: transitions.map { graph.edges[$0.state][$0.edge].action })
            coverage.pathsReplayed += 1
            observe?(path)
            if counterexample { coverage.counterexamplesReplayed += 1 }
            if let problem = mismatch(of: path, model: model, mutation: mutation) {
                coverage.mismatchCount += 1
                if coverage.mismatches.count < mismatchesShown { coverage.mismatches.append(problem) }
                return
            }
            for transition in transitions { covered[offsets[transition.state] + transition.edge] = true }
        }

        /// The first action at every state from `state` to the end.
        func completion(from state: Int) -> [ModelGraph.Parent] {
            var transitions: [ModelGraph.Parent] = []
            var current = state
            while !graph.edges[current].isEmpty, transitions.count < graph.edges.count {
                transitions.append(ModelGraph.Parent(state: current, edge: 0))
                current = graph.edges[current][0].target
            }
            return transitions
        }

        let completePaths = completePathCount(graph, cap: fullReplayLimit + 1)
        coverage.completePaths = completePaths <= fullReplayLimit ? completePaths : nil
        if completePaths <= fullReplayLimit {
            coverage.replayedInFull = true
            var starts = Set<Int>()
            for (initialIndex, state) in graph.initialStates.enumerated() where starts.insert(state).inserted {
                forEachCompletePath(graph, from: state) { replay(initialIndex, $0, counterexample: false) }
            }
        } else {
            for state in graph.edges.indices {
                for edge in graph.edges[state].indices where !covered[offsets[state] + edge] {
                    let (initialIndex, prefix) = graph.shortestPath(to: state)
                    let transition = ModelGraph.Parent(state: state, edge: edge)
                    replay(
                        initialIndex, prefix + [transition] + completion(from: graph.edges[state][edge].target),
                        counterexample: false)
                }
            }
        }
        coverage.counterexamples = counterexamples.count
        for path in counterexamples {
            var state = graph.initialStates[path.initialStateIndex]
            var transitions: [ModelGraph.Parent] = []
            for action in path.actions {
                guard let edge = graph.edges[state].firstIndex(where: { $0.action == action }) else {
                    preconditionFailure("PathReplay: a counterexample leaves the explorer's graph at \(action)")
                }
                transitions.append(ModelGraph.Parent(state: state, edge: edge))
                state = graph.edges[state][edge].target
            }
            replay(path.initialStateIndex, transitions + completion(from: state), counterexample: true)
        }
        coverage.transitionsCovered = covered.filter { $0 }.count
        return coverage
    }

    /// Replays one model path on the simulator; what differed, or nil when the traces match and no choice
    /// drifted.
    public static func mismatch(
        of path: ModelPath, model: LeaseModel, mutation: SimulationMutation = .none
    ) -> PathMismatch? {
        let script = model.choiceScript(for: path)
        var simulation = Simulation(
            scenario: model.scenario, variant: model.variant, chooser: ScriptedChooser(script: script),
            mutation: mutation)
        let result = simulation.run()
        let mismatch = PathMismatch(
            actionCount: path.actions.count, modelEvents: path.events, implementationEvents: result.events,
            drifts: simulation.chooser.drifts, limitReached: result.limitReached)
        return mismatch.firstDifference == nil && mismatch.drifts.isEmpty && mismatch.limitReached == nil
            ? nil : mismatch
    }

    /// Two traces side by side from their first difference (with two events of common context before it).
    public static func sideBySide(model: [TraceEvent], implementation: [TraceEvent], rows: Int = 12) -> String {
        let common = zip(model, implementation).prefix { $0 == $1 }.count
        let start = max(0, common - 2)
        let end = min(max(model.count, implementation.count), common + rows)
        let left = (start..<end).map { $0 < model.count ? TraceText.line(model[$0]) : "(end)" }
        let right = (start..<end).map { $0 < implementation.count ? TraceText.line(implementation[$0]) : "(end)" }
        let width = max(left.map(\.count).max() ?? 0, "model".count)
        func padded(_ text: String) -> String { text + String(repeating: " ", count: width - text.count) }
        var lines = ["first difference at event \(common + 1):", "  " + padded("model") + " | implementation"]
        for (index, (model, implementation)) in zip(left, right).enumerated() {
            let marker = start + index >= common && model != implementation ? "!" : " "
            lines.append(marker + " " + padded(model) + " | " + implementation)
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Complete paths

    /// The number of paths from the initial states to a state with no actions, counted up to `cap`.
    static func completePathCount(_ graph: ModelGraph, cap: Int) -> Int {
        var counts = [Int](repeating: -1, count: graph.edges.count)
        var onStack = [Bool](repeating: false, count: graph.edges.count)
        for root in Set(graph.initialStates) where counts[root] < 0 {
            var stack: [(state: Int, next: Int, sum: Int)] = [(root, 0, 0)]
            onStack[root] = true
            while let top = stack.last {
                let edges = graph.edges[top.state]
                if edges.isEmpty {
                    counts[top.state] = 1
                } else if top.next < edges.count {
                    let target = edges[top.next].target
                    stack[stack.count - 1].next += 1
                    if counts[target] >= 0 {
                        stack[stack.count - 1].sum = min(cap, top.sum + counts[target])
                    } else if onStack[target] {
                        stack[stack.count - 1].sum = cap  // a cycle: never replay in full
                    } else {
                        onStack[target] = true
                        stack.append((target, 0, 0))
                    }
                    continue
                } else {
                    counts[top.state] = top.sum
                }
                onStack[top.state] = false
                stack.removeLast()
                if !stack.isEmpty {
                    stack[stack.count - 1].sum = min(cap, stack[stack.count - 1].sum + counts[top.state])
                }
            }
        }
        return Set(graph.initialStates).reduce(0) { min(cap, $0 + max(0, counts[$1])) }
    }

    /// Calls `body` with each complete path from `root`, depth first.
    static func forEachCompletePath(_ graph: ModelGraph, from root: Int, _ body: ([ModelGraph.Parent]) -> Void) {
        var path: [ModelGraph.Parent] = []
        var stack: [(state: Int, next: Int)] = [(root, 0)]
        while let top = stack.last {
            let edges = graph.edges[top.state]
            if edges.isEmpty {
                body(path)
            } else if top.next < edges.count {
                stack[stack.count - 1].next += 1
                path.append(ModelGraph.Parent(state: top.state, edge: top.next))
                stack.append((edges[top.next].target, 0))
                continue
            }
            stack.removeLast()
            if !path.isEmpty, !stack.isEmpty { path.removeLast() }
        }
    }
}

/// How far replayed model paths cover the explorer's graph.
public struct PathCoverage: Hashable, Sendable {
    /// Transitions on at least one replayed path that matched.
    public var transitionsCovered = 0
    /// Transitions in the graph.
    public var transitionsTotal: Int
    /// Paths replayed (deduplicated), counterexamples included.
    public var pathsReplayed = 0
    /// The counterexamples given, each replayed (run on to the end of its run).
    public var counterexamples = 0
    /// Counterexample paths among the replayed ones (not already replayed as another path).
    public var counterexamplesReplayed = 0
    /// The number of complete paths when at most ``PathReplay/fullReplayLimit``; nil when more.
    public var completePaths: Int?
    /// Whether every complete path was replayed.
    public var replayedInFull = false
    /// Replayed paths whose trace differed or whose replay drifted.
    public var mismatchCount = 0
    /// The first few of them.
    public var mismatches: [PathMismatch] = []
    /// Why the graph is partial, if it is.
    public var graphLimit: String?

    init(transitionsTotal: Int, graphLimit: String?) {
        self.transitionsTotal = transitionsTotal
        self.graphLimit = graphLimit
    }

    /// Whether every transition is covered by a matching path and no path mismatched.
    public var passed: Bool {
        mismatchCount == 0 && transitionsCovered == transitionsTotal && graphLimit == nil
    }
}

/// A model path the simulator did not follow: its trace differs, or it asked a choice the path does not answer.
public struct PathMismatch: Hashable, Sendable {
    /// The path's actions, silent ones included.
    public var actionCount: Int
    /// The path's trace.
    public var modelEvents: [TraceEvent]
    /// The simulator's trace.
    public var implementationEvents: [TraceEvent]
    /// The choices the simulator asked that the path does not answer (``ScriptedChooser/drifts``).
    public var drifts: [String]
    /// The simulator limit the replay reached, if any.
    public var limitReached: String?

    /// The index of the first event where the traces differ; nil when they are equal.
    public var firstDifference: Int? {
        let common = zip(modelEvents, implementationEvents).prefix { $0 == $1 }.count
        return common == modelEvents.count && common == implementationEvents.count ? nil : common
    }

    /// The model's event at the first difference (nil: the model's trace ended there).
    public var modelEvent: TraceEvent? {
        firstDifference.flatMap { $0 < modelEvents.count ? modelEvents[$0] : nil }
    }

    /// The simulator's event at the first difference (nil: its trace ended there).
    public var implementationEvent: TraceEvent? {
        firstDifference.flatMap { $0 < implementationEvents.count ? implementationEvents[$0] : nil }
    }

    /// The report: the drifts, then both traces side by side from the first difference.
    public var report: String {
        var lines = ["model path of \(actionCount) actions (\(modelEvents.count) events) replayed on the simulator:"]
        if let limitReached { lines.append("the replay \(limitReached)") }
        if !drifts.isEmpty {
            lines.append("the replay drifted from the path: " + drifts.prefix(3).joined(separator: "; "))
        }
        if firstDifference != nil {
            lines.append(PathReplay.sideBySide(model: modelEvents, implementation: implementationEvents))
        }
        return lines.joined(separator: "\n")
    }
}
