import Trace

extension LeaseModel {
    /// A model path's decisions for the simulator's ``ChoiceScript``: every delay and `maybe` fault it took (the
    /// restarts' from its initial state), and the order in which it took items, by identity. A simulator run
    /// answering its chooser from this script follows the path and makes the same trace.
    public func choiceScript(for path: ModelPath) -> ChoiceScript {
        var script = ChoiceScript()
        let initial = initialStates[path.initialStateIndex]
        for (index, fault) in scenario.faults.enumerated() {
            guard case .restartRedis = fault.kind, fault.maybe else { continue }
            script.faults[FaultChoice(index: index)] = initial.faults[index] == .restartPending
        }
        for action in path.actions {
            for choice in action.choices {
                switch choice {
                case .delay(let delay, let window):
                    script.delays[delay] = window.pointMicroseconds
                case .fault(let fault, let happens):
                    script.faults[fault] = happens
                }
            }
            if let identity = action.identity {
                script.order.append(identity)
            }
        }
        return script
    }

    /// Replays a path's actions from its initial state, checking each is enabled; returns the final state.
    public func replay(_ path: ModelPath) -> ModelState {
        path.actions.reduce(initialStates[path.initialStateIndex]) { state, action in next(state, after: action) }
    }
}
