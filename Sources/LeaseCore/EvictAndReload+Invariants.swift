import Trace

extension EvictAndReload {
    /// Checks the call's own invariants after a step (STYLE 9); a failure is a bug in this module, reported with
    /// the state and the actions it produced.
    func checkInvariants(after actions: Actions) {
        func fail(_ why: String) -> Never {
            preconditionFailure("EvictAndReload invariant: \(why); key \(key), token \(token), actions \(actions)")
        }
        if actions.second != nil && actions.first == nil {
            fail("a second action without a first")
        }
        // Exactly one kind of next input is pending unless the call is over.
        if let outcome = outcome {
            if actions.isEmpty { return }  // a late input after the end: a no-op
            let last = actions.second ?? actions.first
            guard case .finish(let finished)? = last, finished == outcome else {
                fail("finished with \(outcome) but acted \(actions)")
            }
            if actions.count == 2 && actions.first != .stopLoad {
                fail("finished with two actions that are not a timeout's")
            }
            if variant.lock == .none, releaseResult != nil {
                fail("a release result without a lease")
            }
            if case .fresh(_, leaseLost: true) = outcome, variant.write != .fenced {
                fail("lease-lost outcome from a plain write")
            }
            return
        }
        if isLoading {
            if (timerDeadlineMicroseconds == nil) != (variant.originTimeoutMicroseconds == nil) {
                fail("timer armed \(String(describing: timerDeadlineMicroseconds)) against the variant's timeout")
            }
        }
        for action in actions.array {
            switch action {
            case .send(let command):
                if !isAwaitingReply { fail("sent \(command) but expects no reply") }
                switch command {
                case .acquire, .release, .fencedWrite:
                    if variant.lock == .none { fail("lease command \(command) without a lease") }
                case .get, .set, .delete:
                    break
                }
            case .startLoad, .armTimer:
                if !isLoading { fail("started a load but is not loading") }
            case .stopLoad:
                if !abandonedLoad { fail("stopped a load it did not abandon") }
            case .finish:
                fail("finished but has no outcome")
            }
        }
    }
}
