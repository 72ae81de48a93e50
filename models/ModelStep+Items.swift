import Scenario
import Trace

// The handling of each item, restating the simulator's `handle`, `execute`, `process` and `resume`.
extension ModelStep {
    mutating func expire(key: Int, lease: Bool) {
        if lease {
            guard let entry = state.leaseEntry(ofKey: key) else {
                preconditionFailure("ModelStep: no lease of key \(key)")
            }
            effect.leaseExpired = (key, entry.token)
            state.setLeaseEntry(nil, ofKey: key)
            emit(.server) { .expire(key: $0.leaseKeyNames[key]) }
        } else {
            precondition(state.cacheEntry(ofKey: key) != nil, "ModelStep: no cached value of key \(key) to expire")
            state.setCacheEntry(nil, ofKey: key)
            emit(.server) { .expire(key: $0.keyNames[key]) }
        }
    }

    /// A call comes due: it starts if its worker is idle, else it waits in the worker's queue (silently).
    mutating func callComesDue(_ index: Int) {
        precondition(state.callStatus(index) == .due, "ModelStep: call \(index) is \(state.callStatus(index)), not due")
        let worker = model.calls[index].worker
        if state.call(ofWorker: worker) == nil {
            precondition(!state.hasWaitingCalls(ofWorker: worker), "ModelStep: idle w\(worker) has waiting calls")
            startCall(index)
        } else {
            state.setCallStatus(.waiting, of: index)
            state.appendWaitingCall(index, ofWorker: worker)
        }
    }

    /// Starts a call: the `call` event, then the read.
    mutating func startCall(_ index: Int) {
        let spec = model.calls[index]
        precondition(state.call(ofWorker: spec.worker) == nil, "ModelStep: w\(spec.worker) is busy")
        precondition(state.outstanding(ofWorker: spec.worker) == nil && state.pause(ofWorker: spec.worker) == nil)
        state.setCallStatus(.running, of: index)
        var call = ActiveCall(
            callIndex: index, callNumber: spec.callNumber, key: spec.key, phase: .reading,
            startedAtMicroseconds: state.nowMicroseconds, commandsSent: 0, pausesUsed: PausePointSet())
        let step = call.start()
        state.setCall(call, ofWorker: spec.worker)
        emit(.worker(spec.worker)) { .call(key: $0.keyNames[spec.key], call: spec.callNumber) }
        works.insertFirst(.step(worker: spec.worker, step))
    }

    /// The source changes; an invalidating writer then deletes the cached key (the next work).
    mutating func sourceWrite(_ index: Int) {
        precondition(!state.isWriteDone(index), "ModelStep: write \(index) happens twice")
        let write = model.writes[index]
        state.setWriteDone(index)
        state.setSourceVersion(write.version, ofKey: write.key)
        emit(write.writer) { .write(key: $0.keyNames[write.key], version: write.version) }
        if write.invalidate {
            works.append(.invalidate(write: index))
        }
    }

    /// Redis restarts empty; every connection breaks. A worker waiting on a command learns of it one network
    /// delay later; whatever was in flight on the old connection, and its armed timeout, become ghosts.
    mutating func restart(fault index: Int) {
        precondition(
            state.faultDecision(index) == .restartPending,
            "ModelStep: restart \(index) is \(state.faultDecision(index))")
        emit(.server) { _ in .restart }
        state.setFaultDecision(.restartDone, of: index)
        state.restartRedis()
        for number in 1...state.workerCount {
            guard var outstanding = state.outstanding(ofWorker: number), let call = state.call(ofWorker: number) else {
                continue
            }
            if let arrival = outstanding.message.arrival { ghost(at: arrival.latestMicroseconds) }
            if outstanding.timeoutArmed { ghost(at: outstanding.deadlineMicroseconds) }
            let delayChoice = DelayChoice.restartNotice(
                worker: number, call: call.callNumber, command: outstanding.number)
            let delay = cursor.delay(delayChoice, among: model.delays.network(delayChoice))
            outstanding.message = .restartNotice(arrival: state.nowMicroseconds + delay)
            state.setOutstanding(outstanding, ofWorker: number)
        }
    }

    /// A worker's request reaches the server: the `exec`, then the reply's fate (lost, a broken connection, or
    /// on its way back).
    mutating func requestArrives(_ worker: Int) {
        guard var outstanding = state.outstanding(ofWorker: worker), case .request = outstanding.message,
            let call = state.call(ofWorker: worker)
        else { preconditionFailure("ModelStep: w\(worker) has no request in flight") }
        let command = outstanding.command
        let previousCache = state.cacheEntry(ofKey: command.key)
        let previousLease = state.leaseEntry(ofKey: command.key)
        let reply = execute(command)
        noteEffect(
            of: command, reply: reply, previousCache: previousCache, previousLease: previousLease, worker: worker)
        emit(.worker(worker)) { .exec($0.traceCommand(command), $0.traceReply(reply)) }

        let step = command.faultStep
        if let step, workerFault(worker, call: call.callNumber, matching: { kind in
            if case .loseReply(_, _, let target) = kind { return target == step }
            return false
        }) != nil {
            outstanding.message = .lost
            state.setOutstanding(outstanding, ofWorker: worker)
            works.append(.reportReplyLost(worker: worker))
            return
        }
        let delayChoice = DelayChoice.network(
            worker: worker, call: call.callNumber, command: outstanding.number, direction: .reply)
        let delay = cursor.delay(delayChoice, among: model.delays.network(delayChoice))
        let arrival = state.nowMicroseconds + delay
        if let step, workerFault(worker, call: call.callNumber, matching: { kind in
            if case .dropConnection(_, _, let target) = kind { return target == step }
            return false
        }) != nil {
            outstanding.message = .connectionLost(arrival: arrival)
        } else {
            outstanding.message = .reply(reply, arrival: arrival)
        }
        state.setOutstanding(outstanding, ofWorker: worker)
    }

    private mutating func noteEffect(
        of command: ModelCommand, reply: ModelReply, previousCache: ModelRedis.CacheEntry?,
        previousLease: ModelRedis.LeaseEntry?, worker: Int
    ) {
        switch (command, reply) {
        case (.store(let key, let version), .ok), (.fencedStore(let key, let version, _), .ok):
            effect.stored = (key, previousCache?.version, version)
        case (.fencedStore, _):
            effect.fencedWriteRefused = true
        case (.releaseScript(let key, let token), .integer(1)):
            if let previousLease { effect.leaseDeleted = (key, previousLease.token, token) }
        case (.deleteLease(let key), .integer(1)):
            if let previousLease, let call = state.call(ofWorker: worker) {
                effect.leaseDeleted = (key, previousLease.token, call.token(worker: worker))
            }
        case (.readCache, _), (.deleteCache, _), (.acquire, _), (.store, _), (.releaseScript, _), (.readLease, _),
            (.deleteLease, _):
            break
        }
    }

    /// A reply (handed to the call; silent unless the call's next step makes an event), or the notice of a
    /// broken connection (`connection-lost`, then the call's failure handling).
    mutating func replyArrives(_ worker: Int) {
        guard let outstanding = state.outstanding(ofWorker: worker) else {
            preconditionFailure("ModelStep: a reply for w\(worker), which waits on nothing")
        }
        precondition(state.pause(ofWorker: worker) == nil, "ModelStep: w\(worker) waits on a command while paused")
        switch outstanding.message {
        case .reply(let reply, _):
            state.setOutstanding(nil, ofWorker: worker)
            advanceCall(worker) { call, model, now in
                call.receive(reply, worker: worker, variant: model.variant, nowMicroseconds: now)
            }
        case .connectionLost, .restartNotice:
            emit(.worker(worker)) { .connectionLost($0.traceCommand(outstanding.command)) }
            state.setOutstanding(nil, ofWorker: worker)
            advanceCall(worker) { call, model, _ in call.fail(.connectionLost, worker: worker, variant: model.variant) }
        case .request, .lost:
            preconditionFailure("ModelStep: no reply travels to w\(worker)")
        }
    }

    /// The command timeout fires: the worker stops waiting; what was still in flight becomes a ghost.
    mutating func commandTimeout(_ worker: Int) {
        guard let outstanding = state.outstanding(ofWorker: worker), outstanding.timeoutArmed else {
            preconditionFailure("ModelStep: w\(worker) has no armed command timeout")
        }
        emit(.worker(worker)) { .commandTimeout($0.traceCommand(outstanding.command)) }
        if let arrival = outstanding.message.arrival { ghost(at: arrival.latestMicroseconds) }
        state.setOutstanding(nil, ofWorker: worker)
        advanceCall(worker) { call, model, _ in call.fail(.commandTimeout, worker: worker, variant: model.variant) }
    }

    /// The origin answers: `load-end` or `load-fail`, whether or not the caller still waits; a caller that does
    /// handles the answer next (the next work).
    mutating func originAnswers(worker: Int, call callNumber: Int) {
        guard let load = state.removeLoad(worker: worker, call: callNumber) else {
            preconditionFailure("ModelStep: no load of w\(worker).\(callNumber) at the origin")
        }
        emit(.worker(worker)) { model in
            load.fails
                ? .loadFail(key: model.keyNames[load.key], reason: "origin-error")
                : .loadEnd(key: model.keyNames[load.key], version: load.version)
        }
        guard let call = state.call(ofWorker: worker), call.callNumber == callNumber, call.phase.isLoading else {
            return  // the caller gave up (origin timeout) or moved on: the answer is dropped
        }
        precondition(state.pause(ofWorker: worker) == nil, "ModelStep: w\(worker) paused while its load is awaited")
        works.append(.originAnswer(worker: worker, version: load.version, fails: load.fails))
    }

    /// The origin timeout fires while the call still waits: `origin-timeout`, then the release (the load goes on).
    mutating func originTimer(_ worker: Int) {
        guard let call = state.call(ofWorker: worker), case .loading(_, _?) = call.phase else {
            preconditionFailure("ModelStep: w\(worker) has no origin timer armed")
        }
        emit(.worker(worker)) { .originTimeout(key: $0.keyNames[call.key]) }
        advanceCall(worker) { call, model, _ in call.originTimedOut(worker: worker, variant: model.variant) }
    }

    /// A pause ends: `resume`, then the held input.
    mutating func resume(_ worker: Int) {
        guard let pause = state.pause(ofWorker: worker) else {
            preconditionFailure("ModelStep: w\(worker) resumes but is not paused")
        }
        emit(.worker(worker)) { _ in .resume(pause.point) }
        state.setPause(nil, ofWorker: worker)
        switch pause.held {
        case .send(let command):
            works.insertFirst(.step(worker: worker, .send(command)))
        case .originAnswer(let version, let fails):
            works.insertFirst(.originAnswer(worker: worker, version: version, fails: fails))
        }
    }
}
