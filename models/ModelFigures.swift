/// The figures an exploration reports besides verdicts: the most each quantity reached on any explored path.
public struct ModelFigures: Hashable, Sendable {
    /// Per key (in `keys:` order): the most origin loads started in one run, and the most running at once.
    public var originLoads: [KeyLoads]
    /// The longest a call was served a version older than the source's, counted from the write that superseded
    /// it to the call's `return`; nil when no call ever was.
    public var longestStaleServedMicroseconds: Int64?
    /// The longest a token sat in a lease key, from its acquire's exec to its release, expiry or loss; nil when
    /// no lease ever ended.
    public var longestLeaseHoldMicroseconds: Int64?

    /// Origin loads of one key.
    public struct KeyLoads: Hashable, Sendable {
        /// The key.
        public var key: String
        /// The most loads of the key started in one run.
        public var mostInOneRun: Int
        /// The most loads of the key running at the origin at once.
        public var mostAtOnce: Int

        public init(key: String, mostInOneRun: Int, mostAtOnce: Int) {
            self.key = key
            self.mostInOneRun = mostInOneRun
            self.mostAtOnce = mostAtOnce
        }
    }

    init(keys: [String]) {
        originLoads = keys.map { KeyLoads(key: $0, mostInOneRun: 0, mostAtOnce: 0) }
    }

    /// Takes in one state: its loads. The explorer calls this once per distinct state (the most of anything over
    /// states is the same however often each is visited), ``record(from:to:effect:model:)`` once per transition.
    mutating func record<State: StateStorage>(state: State) {
        for key in originLoads.indices {
            originLoads[key].mostInOneRun = max(originLoads[key].mostInOneRun, state.loadsStarted(ofKey: key))
            var atOnce = 0
            for position in 0..<state.loadCount where state.load(at: position).key == key { atOnce += 1 }
            originLoads[key].mostAtOnce = max(originLoads[key].mostAtOnce, atOnce)
        }
    }

    /// Takes in what one transition did: a stale value served, a lease ended.
    mutating func record<State: StateStorage>(
        from state: State, to after: State, effect: StepEffect, model: LeaseModel
    ) {
        if let returned = effect.returned, let served = returned.outcome.servedVersion,
            served < after.sourceVersion(ofKey: returned.key)
        {
            // The write that first made `served` stale: the earliest done write of the key with a newer version.
            var supersededAt: Int64?
            for (index, write) in model.writes.enumerated()
            where write.key == returned.key && write.version > served && after.isWriteDone(index) {
                supersededAt = min(supersededAt ?? write.atMicroseconds, write.atMicroseconds)
            }
            if let supersededAt {
                let staleFor = after.nowMicroseconds - supersededAt
                longestStaleServedMicroseconds = max(longestStaleServedMicroseconds ?? staleFor, staleFor)
            }
        }
        for key in 0..<state.keyCount {
            guard let lease = state.leaseEntry(ofKey: key) else { continue }
            if after.leaseEntry(ofKey: key) != lease {
                let held = after.nowMicroseconds - lease.acquiredAtMicroseconds
                longestLeaseHoldMicroseconds = max(longestLeaseHoldMicroseconds ?? held, held)
            }
        }
    }
}
