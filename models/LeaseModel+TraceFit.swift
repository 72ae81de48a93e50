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
    public func fit(_ events: [TraceEvent], complete: Bool) -> TraceFit {
        var states = initialStates
        for (index, event) in events.enumerated() {
            let next = successors(of: states, making: event)
            guard !next.isEmpty else {
                return .diverges(index: index, allowed: allowedEvents(after: states))
            }
            states = next
        }
        guard complete else { return .fits }
        let ends = silentClosure(of: states)
        if ends.contains(where: { successors(of: $0).isEmpty }) { return .fits }
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
    /// The silent closure and the event's successors in one walk: each state's successors are computed once.
    func successors(of states: [ModelState], making event: TraceEvent) -> [ModelState] {
        var next: [ModelState] = []
        var nextSeen = Set<UInt64>()
        var seen = Set<UInt64>()
        var work = states
        while let state = work.popLast() {
            guard seen.insert(state.fingerprint).inserted else { continue }
            for successor in successors(of: state) {
                guard let made = successor.action.event else {
                    work.append(successor.state)
                    continue
                }
                if made == event, nextSeen.insert(successor.state.fingerprint).inserted { next.append(successor.state) }
            }
        }
        return next
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
        var seen = Set<UInt64>()
        var result: [ModelState] = []
        var work = states
        while let state = work.popLast() {
            guard seen.insert(state.fingerprint).inserted else { continue }
            result.append(state)
            for successor in successors(of: state) where successor.action.event == nil {
                work.append(successor.state)
            }
        }
        return result
    }
}
