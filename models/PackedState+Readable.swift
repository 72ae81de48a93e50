// A packed state and the readable state it stands for, each way: for the explorer's initial states, the debug
// build's invariant checks, and the agreement test.
extension PackedState {
    /// The packed form of a readable state of the layout's model.
    init(_ state: ModelState, layout: PackedLayout) {
        self.init(layout: layout)
        nowMicroseconds = state.nowMicroseconds
        ghostHorizonMicroseconds = state.ghostHorizonMicroseconds
        for key in 0..<state.keyCount {
            setCacheEntry(state.cacheEntry(ofKey: key), ofKey: key)
            setLeaseEntry(state.leaseEntry(ofKey: key), ofKey: key)
            setSourceVersion(state.sourceVersion(ofKey: key), ofKey: key)
            setLoadsStarted(state.loadsStarted(ofKey: key), ofKey: key)
        }
        for index in state.calls.indices { setCallStatus(state.calls[index], of: index) }
        for index in state.writesDone.indices where state.writesDone[index] { setWriteDone(index) }
        for index in state.faults.indices { setFaultDecision(state.faults[index], of: index) }
        for load in state.loads { insertLoad(load) }
        for position in 0..<state.workerCount {
            let number = position + 1
            let worker = state[worker: number]
            setCall(worker.call, ofWorker: number)
            for index in worker.waiting { appendWaitingCall(index, ofWorker: number) }
            setOutstanding(worker.outstanding, ofWorker: number)
            setPause(worker.pause, ofWorker: number)
        }
        if !state.continuation.isEmpty { setContinuation(PendingWorks(state.continuation)) }
    }

    /// The readable state this one stands for.
    var readable: ModelState {
        var redis = ModelRedis(keyCount: keyCount)
        for key in 0..<keyCount {
            redis.cache[key] = cacheEntry(ofKey: key)
            redis.leases[key] = leaseEntry(ofKey: key)
        }
        var continuation = self
        return ModelState(
            nowMicroseconds: nowMicroseconds, redis: redis,
            sourceVersions: PackedList((0..<keyCount).map { sourceVersion(ofKey: $0) }),
            workers: (0..<workerCount).map { position in
                ModelWorker(
                    call: call(ofWorker: position + 1), waiting: waitingCalls(ofWorker: position + 1),
                    outstanding: outstanding(ofWorker: position + 1), pause: pause(ofWorker: position + 1))
            },
            calls: PackedList((0..<callCount).map { callStatus($0) }),
            writesDone: PackedList((0..<writeCount).map { isWriteDone($0) }),
            faults: PackedList((0..<faultCount).map { faultDecision($0) }),
            loads: (0..<loadCount).map { load(at: $0) },
            ghostHorizonMicroseconds: ghostHorizonMicroseconds,
            continuation: continuation.takeContinuation().elements,
            loadsStarted: PackedList((0..<keyCount).map { loadsStarted(ofKey: $0) }))
    }
}
