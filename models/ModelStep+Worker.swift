import Scenario
import Trace

// The worker's side: carrying out what the call asks (send, load, return), pauses, and fault decisions;
// restating the simulator's `perform`, `carryOut`, `pauseIfDue` and `workerFault`.
extension ModelStep {
    /// Moves a worker's call on by one input and queues the step it asks for, first.
    mutating func advanceCall(
        _ worker: Int, _ input: (inout ActiveCall, LeaseModel, Int64) -> CallStep
    ) {
        guard var call = state.call(ofWorker: worker) else {
            preconditionFailure("ModelStep: an input for w\(worker), which runs no call")
        }
        let before = call.phase
        let step = input(&call, model, state.nowMicroseconds)
        // An origin timer dropped without firing stays queued in the simulator until its instant.
        if case .loading(_, let timer?) = before, !call.phase.isLoading { ghost(at: timer) }
        state.setCall(call, ofWorker: worker)
        works.insertFirst(.step(worker: worker, step))
    }

    /// Carries out one step of a worker's call.
    mutating func perform(_ step: CallStep, worker: Int) {
        guard var call = state.call(ofWorker: worker) else {
            preconditionFailure("ModelStep: \(step) for w\(worker), which runs no call")
        }
        switch step {
        case .send(let command):
            if pauseIfDue(worker, at: command.pausePoint(release: model.variant.release), holding: .send(command)) {
                return
            }
            precondition(state.outstanding(ofWorker: worker) == nil, "ModelStep: w\(worker) sends while waiting")
            call.commandsSent += 1
            state.setCall(call, ofWorker: worker)
            let delayChoice = DelayChoice.network(
                worker: worker, call: call.callNumber, command: call.commandsSent, direction: .request)
            let delay = cursor.delay(delayChoice, among: model.delays.network(delayChoice))
            state.setOutstanding(
                OutstandingCommand(
                    command: command, number: call.commandsSent,
                    deadlineMicroseconds: state.nowMicroseconds + model.variant.commandTimeoutMicroseconds,
                    message: .request(arrival: state.nowMicroseconds + delay)),
                ofWorker: worker)

        case .startLoad:
            let version = state.sourceVersion(ofKey: call.key)
            emit(.worker(worker)) { .loadStart(key: $0.keyNames[call.key], version: version) }
            let override = model.originOverride(worker: worker, callNumber: call.callNumber)
            let latency: TimeWindow
            if let fixed = override?.latencyMicroseconds {
                latency = TimeWindow(microseconds: fixed)
            } else {
                let choice = DelayChoice.origin(worker: worker, call: call.callNumber)
                latency = cursor.delay(choice, among: model.delays.origin(choice))
            }
            let load = OriginLoad(
                worker: worker, call: call.callNumber, key: call.key, version: version,
                arrival: state.nowMicroseconds + latency, fails: override?.fails ?? false)
            state.insertLoad(load)
            state.setLoadsStarted(state.loadsStarted(ofKey: call.key) + 1, ofKey: call.key)

        case .finish(let outcome):
            precondition(
                state.outstanding(ofWorker: worker) == nil && state.pause(ofWorker: worker) == nil,
                "ModelStep: w\(worker) returns while waiting or paused")
            emit(.worker(worker)) { .return($0.traceOutcome(outcome)) }
            effect.returned = (worker, call.key, outcome)
            state.setCallStatus(.returned, of: call.callIndex)
            state.setCall(nil, ofWorker: worker)
            works.insertFirst(.startNextCall(worker: worker))
        }
    }

    /// The call handles the origin's answer, unless an `after-load` pause strikes first and holds it.
    mutating func handOriginAnswer(_ worker: Int, version: Int, fails: Bool) {
        if pauseIfDue(worker, at: .afterLoad, holding: .originAnswer(version: version, fails: fails)) { return }
        advanceCall(worker) { call, model, _ in
            call.originAnswered(version: fails ? nil : version, worker: worker, variant: model.variant)
        }
    }

    // MARK: - Pauses and faults

    /// Pauses the worker at `point` if a pause fault strikes there (deciding a `maybe` one now): the `pause`
    /// event. Returns whether it paused.
    mutating func pauseIfDue(_ worker: Int, at point: PausePoint?, holding held: HeldInput) -> Bool {
        guard let point, var call = state.call(ofWorker: worker), !call.pausesUsed.contains(point) else { return false }
        guard let index = workerFault(worker, call: call.callNumber, matching: { kind in
            if case .pause(_, _, _, let target) = kind { return target == point }
            return false
        }) else { return false }
        guard case .pause(_, _, let duration, _) = model.faultKinds[index] else {
            preconditionFailure("ModelStep: fault \(index) matched a pause but is \(model.faultKinds[index])")
        }
        call.pausesUsed.insert(point)
        state.setCall(call, ofWorker: worker)
        let choice = DelayChoice.pause(worker: worker, call: call.callNumber, point: point)
        let length = cursor.delay(choice, among: model.delays.pauses(fault: index, duration, choice))
        state.setPause(
            WorkerPause(point: point, resume: state.nowMicroseconds + length, held: held), ofWorker: worker)
        emit(.worker(worker)) { _ in .pause(point) }
        return true
    }

    /// Whether a pause could strike at `point` now: one not yet used in the call, with a pause fault there that
    /// is not decided against.
    func pauseMayStrike(_ worker: Int, at point: PausePoint?) -> Bool {
        guard let point, let call = state.call(ofWorker: worker), !call.pausesUsed.contains(point) else { return false }
        // A loop, not `contains` with a closure: the closure's capture of the step copied parts of the state.
        for index in model.faultsOfWorker[worker] {
            guard case .pause(_, let callNumber, _, let target) = model.faultKinds[index],
                callNumber == call.callNumber, target == point
            else { continue }
            if state.faultDecision(index) != .skipped { return true }
        }
        return false
    }

    /// The first fault of the worker's call that matches and happens, deciding `maybe` faults as they are met
    /// (in file order, as the simulator does: a `maybe` fault decided against lets the next one be tried).
    mutating func workerFault(_ worker: Int, call callNumber: Int, matching: (FaultKind) -> Bool) -> Int? {
        for index in model.faultsOfWorker[worker] {
            let kind = model.faultKinds[index]
            switch kind {
            case .pause(_, let target, _, _), .loseReply(_, let target, _), .dropConnection(_, let target, _):
                guard target == callNumber, matching(kind) else { continue }
                if decide(index) { return index }
            case .restartRedis:
                continue
            }
        }
        return nil
    }

    /// Whether a fault happens: always for a plain one; a `maybe` one is decided the first time it is reached.
    private mutating func decide(_ index: Int) -> Bool {
        guard model.faultIsMaybe[index] else { return true }
        switch state.faultDecision(index) {
        case .happens: return true
        case .skipped: return false
        case .undecided:
            let happens = cursor.happens(FaultChoice(index: index))
            state.setFaultDecision(happens ? .happens : .skipped, of: index)
            return happens
        case .restartPending, .restartDone:
            preconditionFailure("ModelStep: worker fault \(index) marked as a restart")
        }
    }
}
