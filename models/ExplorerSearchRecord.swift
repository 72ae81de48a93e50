import Trace

/// Where a path ends: the last state's number and, for a transition, the index of its action.
struct ExplorerPathEnd {
    var state: UInt32
    var action: Int?
}

/// The bookkeeping of one breadth-first search: the visited set, each distinct state's parent link, the first
/// violation of each property and the first reach of each `sometimes`, the figures and the statistics.
///
/// One value the search's loop and its transition closure share: held in local variables, each captured by the
/// local function that records a successor, they were boxed on the heap and every access to them was checked for
/// exclusivity at run time (a third of the search).
struct SearchRecord<State: StateStorage> {
    var seen = FingerprintSet()
    /// Per distinct state, by number: its parent's number (UInt32.max for an initial state) and the index of the
    /// action from the parent (for an initial state: its index among the initial states).
    var parents: [UInt32] = []
    var actionIndices: [UInt32] = []
    var firstViolation = [ExplorerPathEnd?](repeating: nil, count: PropertyName.allCases.count)
    var firstReached = [ExplorerPathEnd?](repeating: nil, count: SometimesProperty.allCases.count)
    var figures: ModelFigures
    var statistics = ExplorationStatistics(
        statesGenerated: 0, distinctStates: 0, transitions: 0, maximumDepth: 0, terminalStates: 0,
        largestFrontier: 0, visitedBytes: 0, largestStateWords: 0)
    var limitReached: String?
    /// Whether a limit stopped the search, read at every transition (a read of the optional string copied it).
    var stopped = false
    let maximumDistinctStates: Int

    /// The last successor judged and not yet looked up in the visited set (``hold(_:fingerprint:words:at:)``).
    private var pending = State.placeholder
    private var pendingFingerprint: UInt64 = 0
    private var pendingWords = 0
    private var pendingEnd = ExplorerPathEnd(state: 0, action: nil)
    private var hasPending = false

    init(model: LeaseModel, maximumDistinctStates: Int) {
        figures = ModelFigures(keys: model.keyNames)
        self.maximumDistinctStates = maximumDistinctStates
    }

    /// Notes what a transition (or a state) shows at `end`, where nothing was seen before.
    mutating func note(_ observation: Observation, at end: ExplorerPathEnd) {
        guard observation != Observation() else { return }
        for index in firstViolation.indices where firstViolation[index] == nil {
            if observation.violated & (1 << UInt16(index)) != 0 { firstViolation[index] = end }
        }
        for index in firstReached.indices where firstReached[index] == nil {
            if observation.reached & (1 << UInt8(index)) != 0 { firstReached[index] = end }
        }
    }

    /// Keeps a successor, reached at `end`, until ``settle(into:model:)``: its visited-set slot is asked for now,
    /// and looked up once the next transition has been made, by when the slot is in cache (a lookup right after the
    /// transition waited for memory, a tenth of the search). Successors are settled in the order they were held,
    /// so states are numbered, noted and counted as if settled at once.
    ///
    /// The successor is swapped out of `state` (the step's), which is left holding the last one held: the step
    /// starts its next transition by copying its parent's words over it anyway, so no copy is made here.
    mutating func hold(_ state: inout State, fingerprint: UInt64, words: Int, at end: ExplorerPathEnd) {
        precondition(!hasPending, "Explorer: a successor held before the last one was settled")
        seen.prefetch(fingerprint)
        swap(&pending, &state)
        pendingFingerprint = fingerprint
        pendingWords = words
        pendingEnd = end
        hasPending = true
    }

    /// Looks the held successor up, if any, and records it if it is new: its number and parent link, its own
    /// properties and figures (on its first visit only: see ``LeaseModel/observeTransition(from:to:effect:)``),
    /// and its place in `next`; or stops the search at the state limit.
    mutating func settle<Frontier: ExplorerFrontier>(into next: inout Frontier, model: LeaseModel)
    where Frontier.State == State {
        guard hasPending else { return }
        hasPending = false
        guard seen.insert(pendingFingerprint) else { return }
        note(model.observe(state: pending), at: pendingEnd)
        figures.record(state: pending)
        statistics.largestStateWords = max(statistics.largestStateWords, pendingWords)
        guard parents.count < maximumDistinctStates else {
            limitReached = "stopped at \(maximumDistinctStates) distinct states (ExplorerLimits.maximumDistinctStates)"
            stopped = true
            return
        }
        parents.append(pendingEnd.state)
        actionIndices.append(UInt32(pendingEnd.action ?? 0))
        next.append(number: UInt32(parents.count - 1), pending)
    }
}
