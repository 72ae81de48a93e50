import Trace

/// How a trace fits the model: event by event, each one an enabled action's event (silent actions between
/// events are taken as needed).
public enum TraceFit: Hashable, Sendable {
    /// Every event fits; for a complete trace, the model also agrees that the run ends after the last one.
    case fits
    /// The event at `index` is not one the model allows there; `allowed` lists the events it would have
    /// allowed (deduplicated, in the model's action order).
    case diverges(index: Int, allowed: [TraceEvent])
    /// Every event fits, but the model cannot end the run there: it still has these events to make.
    case endsEarly(pending: [TraceEvent])
}

extension LeaseModel {
    /// Replays `events` on the model from its initial states. The model is nondeterministic (several actions may
    /// make the same event, and silent actions come between events), so the replay follows every state the
    /// events so far can lead to, deduplicated by fingerprint. With `complete`, the trace must also be a whole
    /// run: after its last event, some state the model can reach silently has no actions left.
    ///
    /// A single state is followed in place (``TraceReplay``); several, through ``successors(of:making:)``.
    public func fit(_ events: [TraceEvent], complete: Bool) -> TraceFit {
        var replay = TraceReplay(model: self)
        for index in events.indices {
            if let before = replay.take(events, at: index) {
                return .diverges(index: index, allowed: allowedEvents(after: before))
            }
        }
        guard complete, !replay.mayEnd() else { return .fits }
        let ends = silentClosure(of: replay.currentStates)
        var pending: [TraceEvent] = []
        for state in ends {
            for successor in successors(of: state) {
                if let made = successor.action.event, !pending.contains(made) { pending.append(made) }
            }
        }
        return .endsEarly(pending: pending)
    }

    /// The states `event` leads to from `states`, silent actions before it taken as needed, deduplicated.
    ///
    /// The silent closure and the event's successors in one walk: each state's successors are computed once,
    /// and their trace events are built only when the enabled items are due at the event's instant (an action
    /// makes its event at the instant it is taken, so no other can match).
    func successors(of states: [ModelState], making event: TraceEvent) -> [ModelState] {
        var next = DistinctStates()
        var expanded = DistinctStates()
        var work = StateStack(states)
        while let state = work.popLast() {
            guard expanded.insert(state) else { continue }
            let (time, items) = enabledItems(in: state)
            let eventDue = time == event.timeMicroseconds
            for item in items {
                expand(
                    state, item, at: time, prefix: ChoicePoints(), recordsEvents: eventDue, recordsChoices: false
                ) { _, _, _, step in
                    if !step.madeEvent {
                        work.append(step.takeState())
                    } else if eventDue && step.event == event {
                        _ = next.insert(step.takeState())
                    }
                }
            }
        }
        return next.states
    }

    /// The events the model allows after `states` (silent actions taken as needed), deduplicated, in the model's
    /// action order: worked out only for a divergence report, off the replay's path.
    private func allowedEvents(after states: [ModelState]) -> [TraceEvent] {
        var allowed: [TraceEvent] = []
        for state in silentClosure(of: states) {
            for successor in successors(of: state) {
                if let made = successor.action.event, !allowed.contains(made) { allowed.append(made) }
            }
        }
        return allowed
    }

    /// The states, and every state reachable from them by silent actions only.
    func silentClosure(of states: [ModelState]) -> [ModelState] {
        var result = DistinctStates()
        var work = StateStack(states)
        while let state = work.popLast() {
            guard result.insert(state) else { continue }
            forEachTransition(from: state, recordsEvents: false, recordsChoices: false) { _, _, _, step in
                if !step.madeEvent { work.append(step.takeState()) }
            }
        }
        return result.states
    }
}

/// States kept once each, in the order first inserted, told apart by fingerprint.
///
/// A replay mostly follows one state at a time, so the first state is held apart (no array to allocate) and
/// the fingerprints (each an encoding of the whole state) are worked out only once a second state arrives.
struct DistinctStates {
    private var first: ModelState?
    private var others: [ModelState] = []
    private var fingerprints = Set<UInt64>()

    /// The states, in the order first inserted.
    var states: [ModelState] {
        guard let first else { return [] }
        return [first] + others
    }

    /// Inserts a state; returns whether it was new.
    mutating func insert(_ state: ModelState) -> Bool {
        guard let first else {
            first = state
            return true
        }
        if fingerprints.isEmpty { fingerprints.insert(first.fingerprint) }
        guard fingerprints.insert(state.fingerprint).inserted else { return false }
        others.append(state)
        return true
    }
}

/// A stack of states to expand: the given states from the last, under whatever is pushed on top.
///
/// Why not `var work = states`: popping from a copy of the caller's array copied its buffer on every call.
struct StateStack {
    private let base: [ModelState]
    private var remaining: Int
    private var pushed: [ModelState] = []

    init(_ states: [ModelState]) {
        base = states
        remaining = states.count
    }

    /// Adds a state on top.
    mutating func append(_ state: ModelState) {
        pushed.append(state)
    }

    /// Takes the top state.
    mutating func popLast() -> ModelState? {
        if let state = pushed.popLast() { return state }
        guard remaining > 0 else { return nil }
        remaining -= 1
        return base[remaining]
    }
}
