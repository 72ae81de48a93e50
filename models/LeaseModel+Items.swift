import Trace

extension LeaseModel {
    /// The items that may be handled next, all due at one instant, in a fixed order.
    ///
    /// A continuation excludes everything else. Otherwise the earliest instant wins; an expiry due at that instant
    /// goes before any other item (same-instant expiries in one fixed order: cache keys, then lease keys, each in
    /// `keys:` order, as the simulator takes them); other items due at the
    /// earliest instant may go in any order. Fixed order among them: calls, writes, restarts (scenario order),
    /// then each worker's request or reply, command timeout, origin timer and resume, then origin answers by
    /// worker and call. When the run is quiescent only expiries are left: lease keys always, cache keys only up
    /// to the ghost horizon. No items at all: the run is over.
    func enabledItems(in state: ModelState) -> (time: Int64, items: [ModelItem]) {
        if !state.continuation.isEmpty {
            return (state.nowMicroseconds, [.continuation])
        }
        var pending = Earliest()
        for (index, status) in state.calls.enumerated() where status == .due {
            pending.offer(.callStart(call: index), at: calls[index].atMicroseconds)
        }
        for (index, done) in state.writesDone.enumerated() where !done {
            pending.offer(.sourceWrite(write: index), at: writes[index].atMicroseconds)
        }
        for (index, decision) in state.faults.enumerated() where decision == .restartPending {
            if case .restartRedis(let at) = scenario.faults[index].kind {
                pending.offer(.restart(fault: index), at: at)
            }
        }
        for number in 1...state.workers.count {
            let worker = state[worker: number]
            if let outstanding = worker.outstanding {
                switch outstanding.message {
                case .request(let arrival):
                    pending.offer(.request(worker: number), at: arrival.pointMicroseconds)
                case .reply(_, let arrival), .connectionLost(let arrival), .restartNotice(let arrival):
                    pending.offer(.reply(worker: number), at: arrival.pointMicroseconds)
                case .lost:
                    break
                }
                if outstanding.timeoutArmed {
                    pending.offer(.commandTimeout(worker: number), at: outstanding.deadlineMicroseconds)
                }
            }
            if worker.pause == nil, let call = worker.call, case .loading(_, let timer?) = call.phase {
                pending.offer(.originTimer(worker: number), at: timer)
            }
            if let pause = worker.pause {
                pending.offer(.resume(worker: number), at: pause.resume.pointMicroseconds)
            }
        }
        for load in state.loads {
            pending.offer(.originAnswer(worker: load.worker, call: load.call), at: load.arrival.pointMicroseconds)
        }

        let quiescent = pending.items.isEmpty
        #if DEBUG
        precondition(
            !quiescent || state.isQuiescent,
            "LeaseModel: nothing pending but the run is not over (a model bug): \(state)")
        #endif
        // Same-instant expiries go in one fixed order, as in the simulator (its queue ranks them so): cache keys
        // before lease keys, each in `keys:` order. Only the first is enabled; the rest follow it at that instant.
        var expiry: (time: Int64, item: ModelItem)?
        func offerExpiry(_ item: ModelItem, at instant: Int64) {
            if expiry == nil || instant < expiry!.time { expiry = (instant, item) }
        }
        for key in state.redis.cache.indices {
            if let entry = state.redis.cache[key] {
                let instant = ModelRedis.expiryInstant(deadlineMilliseconds: entry.deadlineMilliseconds)
                if !quiescent || instant <= state.ghostHorizonMicroseconds {
                    offerExpiry(.expire(key: key, lease: false), at: instant)
                }
            }
        }
        for key in state.redis.leases.indices {
            if let lease = state.redis.leases[key] {
                offerExpiry(
                    .expire(key: key, lease: true),
                    at: ModelRedis.expiryInstant(deadlineMilliseconds: lease.deadlineMilliseconds))
            }
        }
        if let expiry, expiry.time <= pending.time {
            return (expiry.time, [expiry.item])
        }
        return (pending.time, pending.items)
    }

    /// Whether the run has settled for good: quiescent, and no cache-key expiry can still be reported. What
    /// `fresh-after-quiescence` judges.
    func isSettled(_ state: ModelState) -> Bool {
        guard state.isQuiescent else { return false }
        return !state.redis.cache.contains { entry in
            guard let entry else { return false }
            return ModelRedis.expiryInstant(deadlineMilliseconds: entry.deadlineMilliseconds)
                <= state.ghostHorizonMicroseconds
        }
    }
}

/// The items due at the earliest instant offered so far, in the order offered.
private struct Earliest {
    var time = Int64.max
    var items: [ModelItem] = []

    mutating func offer(_ item: ModelItem, at instant: Int64) {
        if instant < time {
            time = instant
            items.removeAll(keepingCapacity: true)  // one buffer for the whole scan, not one per earlier instant
            items.append(item)
        } else if instant == time {
            items.append(item)
        }
    }
}
