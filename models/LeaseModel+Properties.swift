import Trace

/// What one transition (or initial state) shows: the `always` properties it violates and the `sometimes` ones it
/// reaches, as bit sets in ``PropertyName/allCases`` and ``SometimesProperty/allCases`` order.
struct Observation: Equatable {
    var violated: UInt16 = 0
    var reached: UInt8 = 0

    mutating func violate(_ property: PropertyName) {
        violated |= 1 << UInt16(PropertyName.allCases.firstIndex(of: property)!)
    }

    mutating func reach(_ property: SometimesProperty) {
        reached |= 1 << UInt8(SometimesProperty.allCases.firstIndex(of: property)!)
    }
}

// The properties of DESIGN.md "Properties", defined here once. Each is judged on a transition: the state before,
// what the action did, and the state after, so a counterexample ends at the event that shows the violation.
extension LeaseModel {
    /// The state properties of one state: an initial state, or one the explorer reached for the first time.
    func observe<State: StateStorage>(state: State) -> Observation {
        var observation = Observation()
        observeState(state, into: &observation)
        return observation
    }

    /// What the transition `from` → `after` shows, with what its action did: its own properties and `after`'s.
    func observe<State: StateStorage>(from state: State, to after: State, effect: StepEffect) -> Observation {
        var observation = observeTransition(from: state, to: after, effect: effect)
        observeState(after, into: &observation)
        return observation
    }

    /// What the transition `from` → `after` shows besides `after`'s state properties (``observe(state:)``).
    ///
    /// The explorer judges those only on a state's first visit: they depend on the state alone, and breadth first
    /// its first visit is the shortest path to it, so a later visit could not make any counterexample shorter.
    /// (They were judged at every transition, nearly half of which reach a state already seen.)
    func observeTransition<State: StateStorage>(from state: State, to after: State, effect: StepEffect)
        -> Observation
    {
        var observation = Observation()
        // no-stale-overwrite: no store replaces a cached version with an older one.
        if let stored = effect.stored, let previous = stored.previous, previous > stored.version {
            observation.violate(.noStaleOverwrite)
        }
        // owner-only-release: no release deletes a lease whose token is not the releaser's.
        if let deleted = effect.leaseDeleted, deleted.owner != deleted.releaser {
            observation.violate(.ownerOnlyRelease)
        }
        // bounded-lease-hold: a token sits in its lease key, from its acquire's exec until it leaves (the
        // release's exec, an expiry, another's DEL, a restart), no longer than the bound. Judged at every event:
        // the first one past the bound while the token was still there shows the breach.
        for key in 0..<state.keyCount {
            if let lease = state.leaseEntry(ofKey: key),
                after.nowMicroseconds - lease.acquiredAtMicroseconds > leaseHoldBoundMicroseconds
            {
                observation.violate(.boundedLeaseHold)
            }
        }
        // bounded-latency: every call returns within the bound of its `call` event.
        for position in 0..<state.workerCount {
            if let call = state.call(ofWorker: position + 1),
                after.nowMicroseconds - call.startedAtMicroseconds > callLatencyBoundMicroseconds
            {
                observation.violate(.boundedLatency)
            }
        }
        if let returned = effect.returned, case .stale(_, .contended) = returned.outcome {
            observation.reach(.contendedCall)
        }
        if let expired = effect.leaseExpired, isReloading(expired.owner, in: state) {
            observation.reach(.leaseExpiredMidReload)
        }
        if effect.fencedWriteRefused {
            observation.reach(.fencedWriteRefused)
        }
        return observation
    }

    /// The properties of one state.
    private func observeState<State: StateStorage>(_ state: State, into observation: inout Observation) {
        // single-loader: at most one load per key at the origin, whoever still waits for it.
        search: for position in 0..<state.loadCount {
            let key = state.load(at: position).key
            for later in (position + 1)..<state.loadCount where state.load(at: later).key == key {
                observation.violate(.singleLoader)
                break search
            }
        }
        // no-orphaned-lease: a call that has returned holds no lease.
        if hasOrphanedLease(state) {
            observation.violate(.noOrphanedLease)
            observation.reach(.orphanedLease)
        }
        // fresh-after-quiescence: once the run has settled, each key whose last write invalidated holds the
        // source's newest version or nothing.
        if isSettled(state) {
            for (key, invalidates) in lastWriteInvalidates.enumerated() where invalidates == true {
                if let cached = state.cacheEntry(ofKey: key), cached.version != state.sourceVersion(ofKey: key) {
                    observation.violate(.freshAfterQuiescence)
                }
            }
        }
    }

    /// Whether some lease key holds the token of a call that has returned.
    func hasOrphanedLease<State: StateStorage>(_ state: State) -> Bool {
        for key in 0..<state.keyCount {
            if let lease = state.leaseEntry(ofKey: key),
                state.callStatus(callIndexOf[lease.token.worker][lease.token.call]) == .returned
            {
                return true
            }
        }
        return false
    }

    /// Whether the call holding `token` is reloading in `state`: waiting for the origin, or holding the loaded
    /// value before its write goes out.
    func isReloading<State: StateStorage>(_ token: ModelToken, in state: State) -> Bool {
        guard let call = state.call(ofWorker: token.worker), call.callNumber == token.call else { return false }
        switch call.phase {
        case .loading: return true
        case .writing: return state.outstanding(ofWorker: token.worker) == nil
        case .reading, .evicting, .acquiring, .releasing, .releaseDeleting, .finished: return false
        }
    }
}
