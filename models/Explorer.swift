import Scenario
import Trace

/// The limits of one exploration (STYLE.md 10): a search that reaches one stops and says so.
public struct ExplorerLimits: Hashable, Sendable {
    /// The most distinct states visited.
    public var maximumDistinctStates: Int
    /// The longest path explored, in actions.
    public var maximumDepth: Int

    public init(maximumDistinctStates: Int, maximumDepth: Int) {
        self.maximumDistinctStates = maximumDistinctStates
        self.maximumDepth = maximumDepth
    }

    /// Two million states (about 60 MB of visited set and links), paths of up to 100,000 actions.
    public static let standard = ExplorerLimits(maximumDistinctStates: 2_000_000, maximumDepth: 100_000)
}

/// Breadth-first search of every interleaving and timing choice of a ``LeaseModel``.
///
/// States are deduplicated by their 64-bit ``ModelState/fingerprint``; the visited set keeps fingerprints only,
/// and each distinct state keeps its parent's number and the index of the action that reached it, so a path to
/// any state is recovered by replaying those indices from the initial state (actions come in a fixed order).
/// Breadth first, so the first violation found of each property is a shortest counterexample, in actions.
public struct Explorer: Sendable {
    /// The model searched.
    public let model: LeaseModel
    /// The protocol's name, for the report.
    public let protocolName: String
    /// The limits.
    public let limits: ExplorerLimits

    public init(model: LeaseModel, protocolName: String, limits: ExplorerLimits = .standard) {
        self.model = model
        self.protocolName = protocolName
        self.limits = limits
    }

    /// An explorer for one of a scenario's protocols.
    public init(scenario: Scenario, protocol named: NamedVariant, limits: ExplorerLimits = .standard) {
        self.init(
            model: LeaseModel(scenario: scenario, variant: named.variant), protocolName: named.name, limits: limits)
    }

    /// Where a path ends: the last state's number and, for a transition, the index of its action.
    private struct PathEnd {
        var state: UInt32
        var action: Int?
    }

    /// Searches every reachable state (within the limits) and reports: on packed states when the scenario's fit
    /// (``PackedLayout``), the readable ones otherwise. Both run the same step, and find the same states in the
    /// same order (`PackedStateTests`).
    public func run() -> ExplorationReport {
        run(packed: true)
    }

    /// ``run()``, on packed states only if `packed` (and the scenario's fit): the agreement test runs both.
    func run(packed: Bool) -> ExplorationReport {
        if packed, let layout = PackedLayout(model: model) {
            return search(PackedFrontier(layout: layout), model.initialStates.map { PackedState($0, layout: layout) })
        }
        return search(ReadableFrontier(), model.initialStates)
    }

    /// The breadth-first search, on whichever storage `frontier` holds.
    private func search<Frontier: ExplorerFrontier>(_ empty: Frontier, _ initialStates: [Frontier.State])
        -> ExplorationReport
    {
        var seen = FingerprintSet()
        // Per distinct state, by number: its parent's number (UInt32.max for an initial state) and the index of
        // the action from the parent (for an initial state: its index among the initial states).
        var parents: [UInt32] = []
        var actionIndices: [UInt32] = []
        var firstViolation = [PathEnd?](repeating: nil, count: PropertyName.allCases.count)
        var firstReached = [PathEnd?](repeating: nil, count: SometimesProperty.allCases.count)
        var figures = ModelFigures(keys: model.keyNames)
        var statistics = ExplorationStatistics(
            statesGenerated: 0, distinctStates: 0, transitions: 0, maximumDepth: 0, terminalStates: 0,
            largestFrontier: 0, visitedBytes: 0, largestStateWords: 0)
        var limitReached: String?
        // Whether a limit stopped the search, read at every transition (a read of the optional string copied it).
        var stopped = false

        func note(_ observation: Observation, at end: PathEnd) {
            guard observation != Observation() else { return }
            for index in firstViolation.indices where firstViolation[index] == nil {
                if observation.violated & (1 << UInt16(index)) != 0 { firstViolation[index] = end }
            }
            for index in firstReached.indices where firstReached[index] == nil {
                if observation.reached & (1 << UInt8(index)) != 0 { firstReached[index] = end }
            }
        }

        var frontier = empty
        for (index, state) in initialStates.enumerated() {
            statistics.statesGenerated += 1
            let (fingerprint, words) = Frontier.fingerprintAndSize(of: state)
            guard seen.insert(fingerprint) else { continue }
            let number = UInt32(parents.count)
            parents.append(UInt32.max)
            actionIndices.append(UInt32(index))
            note(model.observe(state: state), at: PathEnd(state: number, action: nil))
            figures.record(state: state)
            frontier.append(number: number, state)
            statistics.largestStateWords = max(statistics.largestStateWords, words)
        }

        // The model and the state limit as locals: read through `self` inside the transition closure, the whole
        // explorer (the model, and the protocol's name) was copied and released at every transition.
        let model = self.model
        let maximumDistinctStates = limits.maximumDistinctStates
        var step = ModelStep(
            model: model, state: Frontier.State.placeholder, cursor: ChoiceCursor(indices: ChoicePoints()),
            recordsEvent: false)
        // The state being expanded, written over by each take from the frontier.
        var parent = Frontier.State.placeholder
        var depth = 0
        search: while frontier.count > 0 {
            statistics.largestFrontier = max(statistics.largestFrontier, frontier.count)
            statistics.maximumDepth = depth
            if depth >= limits.maximumDepth {
                limitReached = "stopped at depth \(depth) (ExplorerLimits.maximumDepth)"
                break
            }
            var nextFrontier = frontier.nextLevel()
            for _ in 0..<frontier.count {
                let number = frontier.takeNext(into: &parent)
                var index = 0
                model.forEachTransition(from: parent, recordsEvents: false, recordsChoices: false, on: &step) {
                    _, _, expanded, step in
                    defer { index += 1 }
                    guard !stopped else { return }
                    statistics.transitions += 1
                    statistics.statesGenerated += 1
                    // The fingerprint first, and its slot asked for, so that judging the transition overlaps the
                    // visited set's cache miss.
                    let (fingerprint, words) = Frontier.fingerprintAndSize(of: step.state)
                    seen.prefetch(fingerprint)
                    let end = PathEnd(state: number, action: index)
                    note(model.observeTransition(from: expanded, to: step.state, effect: step.effect), at: end)
                    figures.record(from: expanded, to: step.state, effect: step.effect, model: model)
                    guard seen.insert(fingerprint) else { return }
                    // A state's own properties and figures, on its first visit only (see `observeTransition`).
                    note(model.observe(state: step.state), at: end)
                    figures.record(state: step.state)
                    statistics.largestStateWords = max(statistics.largestStateWords, words)
                    guard parents.count < maximumDistinctStates else {
                        limitReached = "stopped at \(maximumDistinctStates) distinct states "
                            + "(ExplorerLimits.maximumDistinctStates)"
                        stopped = true
                        return
                    }
                    parents.append(number)
                    actionIndices.append(UInt32(index))
                    nextFrontier.append(number: UInt32(parents.count - 1), taking: &step)
                }
                if index == 0 { statistics.terminalStates += 1 }
                if stopped { break search }
            }
            frontier = nextFrontier
            depth += 1
        }

        statistics.distinctStates = parents.count
        statistics.visitedBytes = seen.bytes + parents.count * 4 + actionIndices.count * 4

        func path(to end: PathEnd) -> ModelPath {
            var indices: [Int] = end.action.map { [$0] } ?? []
            var number = end.state
            while parents[Int(number)] != UInt32.max {
                indices.append(Int(actionIndices[Int(number)]))
                number = parents[Int(number)]
            }
            let initialIndex = Int(actionIndices[Int(number)])
            var state = model.initialStates[initialIndex]
            var actions: [ModelAction] = []
            for index in indices.reversed() {
                let successor = model.successors(of: state)[index]
                actions.append(successor.action)
                state = successor.state
            }
            return ModelPath(initialStateIndex: initialIndex, actions: actions)
        }

        let complete = limitReached == nil
        let always = PropertyName.allCases.enumerated().map { index, property in
            ExplorationReport.AlwaysResult(
                property: property,
                verdict: firstViolation[index].map { .fails(path(to: $0)) } ?? (complete ? .holds : .undecided))
        }
        let sometimes = SometimesProperty.allCases.enumerated().map { index, property in
            ExplorationReport.SometimesResult(
                property: property,
                verdict: firstReached[index].map { .reached(path(to: $0)) } ?? (complete ? .notReached : .undecided))
        }
        return ExplorationReport(
            scenarioName: model.scenario.name, protocolName: protocolName, always: always, sometimes: sometimes,
            figures: figures, statistics: statistics, limitReached: limitReached,
            leaseHoldBoundMicroseconds: model.leaseHoldBoundMicroseconds,
            callLatencyBoundMicroseconds: model.callLatencyBoundMicroseconds)
    }
}
