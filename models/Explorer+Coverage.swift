import Trace

/// The explorer's whole graph: every distinct state reached and every transition out of it, for the conformance
/// checker to cover with replayed paths (DESIGN.md "Traces", model to implementation).
///
/// States are numbered in breadth-first order of discovery; ``parents`` keeps the breadth-first tree, so the
/// shortest path to any state is known. A transition is a state's number and the index of its action there.
public struct ModelGraph: Sendable {
    /// One transition: the action and the number of the state it leads to.
    public struct Edge: Sendable {
        /// The action.
        public var action: ModelAction
        /// The state it leads to.
        public var target: Int
    }

    /// Where a state was first reached from: the state and the index of the edge there; nil for an initial state.
    public struct Parent: Hashable, Sendable {
        /// The parent state's number.
        public var state: Int
        /// The index of the edge in the parent's ``ModelGraph/edges``.
        public var edge: Int

        public init(state: Int, edge: Int) {
            self.state = state
            self.edge = edge
        }
    }

    /// Each initial state's number, by index in ``LeaseModel/initialStates`` (equal initial states share one).
    public var initialStates: [Int]
    /// Each state's transitions, in the model's action order, by state number.
    public var edges: [[Edge]]
    /// Each state's breadth-first parent, by state number.
    public var parents: [Parent?]
    /// For an initial state, its index in ``LeaseModel/initialStates``, by state number; -1 for any other.
    public var initialIndexOfState: [Int]
    /// Why the graph is partial (a limit was reached), or nil when it holds every reachable state.
    public var limitReached: String?

    /// The number of transitions.
    public var transitionCount: Int {
        edges.reduce(0) { $0 + $1.count }
    }

    /// The shortest path's transitions from an initial state to `state`, in order, and the initial state's index.
    public func shortestPath(to state: Int) -> (initialIndex: Int, transitions: [Parent]) {
        var transitions: [Parent] = []
        var current = state
        while let parent = parents[current] {
            transitions.append(parent)
            current = parent.state
        }
        return (initialIndexOfState[current], transitions.reversed())
    }
}

extension Explorer {
    /// Explores every reachable state (within the limits) and keeps the whole graph: what ``run()`` visits, with
    /// each transition's action and target. The states themselves are not kept, only their fingerprints (and
    /// numbers), as in ``run()``; the memory is the transitions' actions.
    public func graph() -> ModelGraph {
        var numbers: [UInt64: Int] = [:]
        var graph = ModelGraph(initialStates: [], edges: [], parents: [], initialIndexOfState: [], limitReached: nil)
        var frontier: [(number: Int, state: ModelState)] = []
        for (index, state) in model.initialStates.enumerated() {
            let fingerprint = state.fingerprint
            if let number = numbers[fingerprint] {
                graph.initialStates.append(number)
                continue
            }
            let number = graph.edges.count
            numbers[fingerprint] = number
            graph.edges.append([])
            graph.parents.append(nil)
            graph.initialIndexOfState.append(index)
            graph.initialStates.append(number)
            frontier.append((number, state))
        }
        var depth = 0
        search: while !frontier.isEmpty {
            if depth >= limits.maximumDepth {
                graph.limitReached = "stopped at depth \(depth) (ExplorerLimits.maximumDepth)"
                break
            }
            var nextFrontier: [(number: Int, state: ModelState)] = []
            for (number, state) in frontier {
                var edges: [ModelGraph.Edge] = []
                for successor in model.successors(of: state) {
                    let fingerprint = successor.state.fingerprint
                    let target: Int
                    if let known = numbers[fingerprint] {
                        target = known
                    } else {
                        guard graph.edges.count < limits.maximumDistinctStates else {
                            graph.limitReached = "stopped at \(limits.maximumDistinctStates) distinct states "
                                + "(ExplorerLimits.maximumDistinctStates)"
                            break search
                        }
                        target = graph.edges.count
                        numbers[fingerprint] = target
                        graph.edges.append([])
                        graph.parents.append(ModelGraph.Parent(state: number, edge: edges.count))
                        graph.initialIndexOfState.append(-1)
                        nextFrontier.append((target, successor.state))
                    }
                    edges.append(ModelGraph.Edge(action: successor.action, target: target))
                }
                graph.edges[number] = edges
            }
            frontier = nextFrontier
            depth += 1
        }
        return graph
    }
}
