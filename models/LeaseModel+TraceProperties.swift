import Trace

/// What one trace showed of the properties: the `always` ones it violated and the `sometimes` ones it reached.
public struct TraceProperties: Hashable, Sendable {
    /// The `always` properties some transition of the trace violated, in ``PropertyName`` order.
    public var violated: [PropertyName]
    /// The `always` properties no transition of the trace violated, in ``PropertyName`` order.
    public var held: [PropertyName]
    /// The `sometimes` properties the trace reached.
    public var reached: [SometimesProperty]
}

extension LeaseModel {
    /// Judges the properties along a trace that fits the model (``fit(_:complete:)``): every transition the
    /// replay takes, silent ones included, is observed as the explorer observes it. Where the model is
    /// nondeterministic the replay follows every matching state, each with what its own path showed; a property
    /// counts as violated only if every surviving path violated it (for a trace that fits, these agree in
    /// practice: the events pin the path). Nil when the trace does not fit.
    ///
    /// Used for runs against a real Redis, whose trace is judged after the fact rather than explored.
    public func properties(along events: [TraceEvent]) -> TraceProperties? {
        struct Path {
            var state: ModelState
            var seen: Observation
        }
        func key(_ path: Path) -> [UInt64] {
            [path.state.fingerprint, UInt64(path.seen.violated), UInt64(path.seen.reached)]
        }
        func closure(_ paths: [Path]) -> [Path] {
            var seen = Set<[UInt64]>()
            var result: [Path] = []
            var work = paths
            while let path = work.popLast() {
                guard seen.insert(key(path)).inserted else { continue }
                result.append(path)
                for successor in successors(of: path.state) where successor.action.event == nil {
                    let seen = observe(from: path.state, to: successor.state, effect: successor.effect)
                    work.append(Path(state: successor.state, seen: path.seen.merged(seen)))
                }
            }
            return result
        }
        var paths = initialStates.map { Path(state: $0, seen: observe(state: $0)) }
        for event in events {
            var next: [Path] = []
            var seen = Set<[UInt64]>()
            for path in closure(paths) {
                for successor in successors(of: path.state) where successor.action.event == event {
                    let observed = observe(from: path.state, to: successor.state, effect: successor.effect)
                    let moved = Path(state: successor.state, seen: path.seen.merged(observed))
                    if seen.insert(key(moved)).inserted { next.append(moved) }
                }
            }
            guard !next.isEmpty else { return nil }
            paths = next
        }
        // The run ends in a state with nothing left to do: follow the silent steps there, as `fit` does.
        let ends = closure(paths)
        let finished = ends.filter { successors(of: $0.state).isEmpty }
        let judged = finished.isEmpty ? ends : finished
        var violatedEverywhere = UInt16.max
        var reachedEverywhere = UInt8.max
        for path in judged {
            violatedEverywhere &= path.seen.violated
            reachedEverywhere &= path.seen.reached
        }
        let violated = PropertyName.allCases.enumerated().filter { violatedEverywhere & (1 << UInt16($0.offset)) != 0 }
            .map(\.element)
        return TraceProperties(
            violated: violated,
            held: PropertyName.allCases.filter { !violated.contains($0) },
            reached: SometimesProperty.allCases.enumerated()
                .filter { reachedEverywhere & (1 << UInt8($0.offset)) != 0 }.map(\.element))
    }
}

extension Observation {
    /// Both observations' findings.
    func merged(_ other: Observation) -> Observation {
        Observation(violated: violated | other.violated, reached: reached | other.reached)
    }
}
