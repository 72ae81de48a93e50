import Scenario
import Trace

/// What an exploration found: a verdict per property, the figures, and the search's own figures.
public struct ExplorationReport: Sendable {
    /// The scenario's name.
    public var scenarioName: String
    /// The protocol's name in the scenario (a preset's name, or a named variant's).
    public var protocolName: String
    /// Each `always` property's verdict, in ``PropertyName`` order.
    public var always: [AlwaysResult]
    /// Each `sometimes` property's verdict, in ``SometimesProperty`` order.
    public var sometimes: [SometimesResult]
    /// The figures.
    public var figures: ModelFigures
    /// How the search went.
    public var statistics: ExplorationStatistics
    /// Why the search stopped early, naming the limit; nil when it covered every reachable state.
    public var limitReached: String?
    /// The bound `bounded-lease-hold` judged against.
    public var leaseHoldBoundMicroseconds: Int64
    /// The bound `bounded-latency` judged against.
    public var callLatencyBoundMicroseconds: Int64

    /// One `always` property's verdict.
    public struct AlwaysResult: Sendable {
        public var property: PropertyName
        public var verdict: AlwaysVerdict
    }

    /// One `sometimes` property's verdict.
    public struct SometimesResult: Sendable {
        public var property: SometimesProperty
        public var verdict: SometimesVerdict
    }

    /// The verdict of an `always` property.
    public func verdict(_ property: PropertyName) -> AlwaysVerdict {
        guard let result = always.first(where: { $0.property == property }) else {
            preconditionFailure("ExplorationReport: no verdict for \(property)")
        }
        return result.verdict
    }

    /// The verdict of a `sometimes` property.
    public func verdict(_ property: SometimesProperty) -> SometimesVerdict {
        guard let result = sometimes.first(where: { $0.property == property }) else {
            preconditionFailure("ExplorationReport: no verdict for \(property)")
        }
        return result.verdict
    }

    /// Where the verdicts disagree with the scenario's `expect:` entry for this protocol, one line each; empty
    /// when they agree (a property the search could not decide disagrees: it was not shown).
    public func disagreements(with expectation: Expectation) -> [String] {
        var lines: [String] = []
        for property in expectation.fail {
            switch verdict(property) {
            case .fails: break
            case .holds: lines.append("\(property.rawValue) was expected to fail but holds on every path")
            case .undecided: lines.append("\(property.rawValue) was expected to fail; the search stopped first")
            }
        }
        for property in expectation.hold {
            switch verdict(property) {
            case .holds: break
            case .fails: lines.append("\(property.rawValue) was expected to hold but fails")
            case .undecided: lines.append("\(property.rawValue) was expected to hold; the search stopped first")
            }
        }
        for property in expectation.reach {
            switch sometimes.first(where: { $0.property == property })?.verdict {
            case .reached: break
            case .notReached, nil: lines.append("\(property.rawValue) was expected to be reached but no path reaches it")
            case .undecided: lines.append("\(property.rawValue) was expected to be reached; the search stopped first")
            }
        }
        return lines
    }
}

/// An `always` property's verdict.
public enum AlwaysVerdict: Hashable, Sendable {
    /// No reachable transition violates it.
    case holds
    /// The shortest path that violates it.
    case fails(ModelPath)
    /// The search stopped at a limit before finding a violation: not shown either way.
    case undecided

    /// One word for tables: `holds`, `FAILS`, `?`.
    public var word: String {
        switch self {
        case .holds: return "holds"
        case .fails: return "FAILS"
        case .undecided: return "?"
        }
    }
}

/// A `sometimes` property's verdict.
public enum SometimesVerdict: Hashable, Sendable {
    /// The shortest path that reaches it.
    case reached(ModelPath)
    /// No reachable transition reaches it.
    case notReached
    /// The search stopped at a limit before reaching it.
    case undecided

    /// One word for tables: `reached`, `-`, `?`.
    public var word: String {
        switch self {
        case .reached: return "reached"
        case .notReached: return "-"
        case .undecided: return "?"
        }
    }
}

/// A path of the model from an initial state: the actions taken, and the trace it makes. A counterexample, a
/// witness of a `sometimes` property, or any walk.
public struct ModelPath: Hashable, Sendable {
    /// Which of ``LeaseModel/initialStates`` the path starts from.
    public var initialStateIndex: Int
    /// The actions, silent ones included.
    public var actions: [ModelAction]

    public init(initialStateIndex: Int, actions: [ModelAction]) {
        self.initialStateIndex = initialStateIndex
        self.actions = actions
    }

    /// The trace: the events of the actions, in order.
    public var events: [TraceEvent] {
        actions.compactMap(\.event)
    }

    /// The trace in the canonical text form, one event per line.
    public var text: String {
        TraceText.format(events)
    }
}

/// How a search went.
public struct ExplorationStatistics: Hashable, Sendable {
    /// Initial states plus one per transition explored.
    public var statesGenerated: Int
    /// Distinct states (by fingerprint).
    public var distinctStates: Int
    /// Transitions explored.
    public var transitions: Int
    /// The longest shortest path to a state, in actions.
    public var maximumDepth: Int
    /// States with no enabled action: runs that ended.
    public var terminalStates: Int
    /// The most states waiting in one breadth-first level.
    public var largestFrontier: Int
    /// The bytes of the visited set's table and the parent links at the end (counted, not measured).
    public var visitedBytes: Int
    /// The most words a state's canonical encoding took.
    public var largestStateWords: Int
    // No wall-clock time here: the model is deterministic (STYLE 3). A caller that wants a rate times the
    // search itself (`leaselab explore`, `leaselab bench explorer`).

    /// Bytes of the visited set and parent links per distinct state.
    public var visitedBytesPerState: Double {
        distinctStates > 0 ? Double(visitedBytes) / Double(distinctStates) : 0
    }
}
