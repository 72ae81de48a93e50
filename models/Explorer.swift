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
        // The model as a local: read through `self` inside the transition closure, the whole explorer (the model,
        // and the protocol's name) was copied and released at every transition.
        let model = self.model
        var record = SearchRecord<Frontier.State>(
            model: model, maximumDistinctStates: limits.maximumDistinctStates)

        var frontier = empty
        for (index, state) in initialStates.enumerated() {
            record.statistics.statesGenerated += 1
            let (fingerprint, words) = Frontier.fingerprintAndSize(of: state)
            guard record.seen.insert(fingerprint) else { continue }
            let number = UInt32(record.parents.count)
            record.parents.append(UInt32.max)
            record.actionIndices.append(UInt32(index))
            record.note(model.observe(state: state), at: ExplorerPathEnd(state: number, action: nil))
            record.figures.record(state: state)
            frontier.append(number: number, state)
            record.statistics.largestStateWords = max(record.statistics.largestStateWords, words)
        }

        var step = ModelStep(
            model: model, state: Frontier.State.placeholder, cursor: ChoiceCursor(indices: ChoicePoints()),
            recordsEvent: false)
        // The state being expanded, written over by each take from the frontier.
        var parent = Frontier.State.placeholder
        var depth = 0
        search: while frontier.count > 0 {
            record.statistics.largestFrontier = max(record.statistics.largestFrontier, frontier.count)
            record.statistics.maximumDepth = depth
            if depth >= limits.maximumDepth {
                record.limitReached = "stopped at depth \(depth) (ExplorerLimits.maximumDepth)"
                break
            }
            var nextFrontier = frontier.nextLevel()
            for _ in 0..<frontier.count {
                let number = frontier.takeNext(into: &parent)
                record.settle(into: &nextFrontier, model: model)
                if record.stopped { break search }
                var index = 0
                model.forEachTransition(from: parent, recordsEvents: false, recordsChoices: false, on: &step) {
                    _, _, expanded, step in
                    defer { index += 1 }
                    record.settle(into: &nextFrontier, model: model)
                    guard !record.stopped else { return }
                    record.statistics.transitions += 1
                    record.statistics.statesGenerated += 1
                    let (fingerprint, words) = Frontier.fingerprintAndSize(of: step.state)
                    let end = ExplorerPathEnd(state: number, action: index)
                    record.note(model.observeTransition(from: expanded, to: step.state, effect: step.effect), at: end)
                    record.figures.record(from: expanded, to: step.state, effect: step.effect, model: model)
                    record.hold(&step.state, fingerprint: fingerprint, words: words, at: end)
                }
                if index == 0 { record.statistics.terminalStates += 1 }
            }
            record.settle(into: &nextFrontier, model: model)
            if record.stopped { break search }
            frontier = nextFrontier
            depth += 1
        }

        var statistics = record.statistics
        let (parents, actionIndices) = (record.parents, record.actionIndices)
        statistics.distinctStates = parents.count
        statistics.visitedBytes = record.seen.bytes + parents.count * 4 + actionIndices.count * 4

        func path(to end: ExplorerPathEnd) -> ModelPath {
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

        let complete = record.limitReached == nil
        let always = PropertyName.allCases.enumerated().map { index, property in
            ExplorationReport.AlwaysResult(
                property: property,
                verdict: record.firstViolation[index].map { .fails(path(to: $0)) }
                    ?? (complete ? .holds : .undecided))
        }
        let sometimes = SometimesProperty.allCases.enumerated().map { index, property in
            ExplorationReport.SometimesResult(
                property: property,
                verdict: record.firstReached[index].map { .reached(path(to: $0)) }
                    ?? (complete ? .notReached : .undecided))
        }
        return ExplorationReport(
            scenarioName: model.scenario.name, protocolName: protocolName, always: always, sometimes: sometimes,
            figures: record.figures, statistics: statistics, limitReached: record.limitReached,
            leaseHoldBoundMicroseconds: model.leaseHoldBoundMicroseconds,
            callLatencyBoundMicroseconds: model.callLatencyBoundMicroseconds)
    }
}
