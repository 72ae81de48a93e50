import Scenario
import Trace

/// What an action did that the properties and figures look at, beyond the states before and after it.
struct StepEffect {
    /// A worker's write stored `version` over `previous` (nil: the key held nothing).
    var stored: (key: Int, previous: Int?, version: Int)?
    /// A fenced write was refused (the script returned 0).
    var fencedWriteRefused = false
    /// A worker's release command (the script, or a `DEL` of the lease key) deleted the lease of `owner`.
    var leaseDeleted: (key: Int, owner: ModelToken, releaser: ModelToken)?
    /// A call returned.
    var returned: (worker: Int, key: Int, outcome: ModelOutcome)?
    /// A lease expired.
    var leaseExpired: (key: Int, owner: ModelToken)?
}

/// One action carried out on a copy of a state: the item's handling up to its one event, then whatever silent
/// work follows; work that could make a second event is left in the state's continuation.
///
/// The handlers restate the simulator's, item by item; each pushes the work its input causes (the steps the call
/// asks for) onto ``works``, and ``drain()`` carries works out in order until one could make a second event.
struct ModelStep<State: StateStorage> {
    let model: LeaseModel
    var state: State
    var cursor: ChoiceCursor
    /// Whether the step builds its event's trace form (``event``). The explorer needs only to know that an event
    /// was made: building commands and replies (a bulk reply's bytes are an array) was a fifth of its time.
    private(set) var recordsEvent: Bool
    /// Whether the action has made its event: at most one.
    private(set) var madeEvent = false
    /// The event made so far, when ``recordsEvent``.
    private(set) var event: TraceEvent?
    var effect = StepEffect()
    /// The work left of the item, in order.
    var works = PendingWorks()

    init(model: LeaseModel, state: State, cursor: ChoiceCursor, recordsEvent: Bool = true) {
        self.model = model
        self.state = state
        self.cursor = cursor
        self.recordsEvent = recordsEvent
    }

    /// The state reached, moved out of the step, which is left holding an empty placeholder state: handed over
    /// without a copy (each copy of a state retains each of its arrays; a `consuming` getter of the stored state
    /// copied it and then destroyed the step), and usable on a step held `inout`
    /// (``LeaseModel/forEachTransition(from:recordsEvents:recordsChoices:_:)``).
    mutating func takeState() -> State {
        var taken = State.placeholder
        swap(&taken, &state)
        return taken
    }

    /// Makes the step ready to take the next item from the state it reached, as a new step would from a copy of
    /// that state: a trace replay walking a chain of states (``LeaseModel/followChain(_:making:)``) keeps
    /// one step, so the state is changed in place and never copied between items.
    mutating func startOver(recordsEvent: Bool) {
        reset(indices: ChoicePoints(), recordsChoices: false, recordsEvent: recordsEvent)
    }

    /// Makes the step ready to run an item from `state` with the choice indices `indices`, as a new step made
    /// from a copy of `state` with `ChoiceCursor(indices:recordsChoices:)` would be, reusing this step's storage
    /// (``LeaseModel/forEachTransition(from:recordsEvents:recordsChoices:on:_:)``
    /// runs every transition of a state on one step).
    mutating func restart(from state: State, indices: ChoicePoints, recordsChoices: Bool, recordsEvent: Bool) {
        self.state.assign(from: state)
        reset(indices: indices, recordsChoices: recordsChoices, recordsEvent: recordsEvent)
    }

    /// Everything but the state as a new step has it. (What the last item left is in the state's continuation.)
    private mutating func reset(indices: ChoicePoints, recordsChoices: Bool, recordsEvent: Bool) {
        // Only what a run changed is reset: each assignment of a list or an event released the old value.
        if !works.isEmpty { works = PendingWorks() }
        cursor.restart(indices: indices, recordsChoices: recordsChoices)
        // Only a step that records events and made one holds one (comparing the optional event with nil copied it).
        if madeEvent && self.recordsEvent { event = nil }
        self.recordsEvent = recordsEvent
        madeEvent = false
        effect = StepEffect()
    }

    /// Handles `item` at `time`.
    mutating func run(_ item: ModelItem, at time: Int64) {
        precondition(
            time >= state.nowMicroseconds, "ModelStep: \(item) at \(time)us, before \(state.nowMicroseconds)us")
        state.nowMicroseconds = time
        switch item {
        case .continuation:
            works = state.takeContinuation()
        case .expire(let key, let lease):
            expire(key: key, lease: lease)
        case .callStart(let call):
            callComesDue(call)
        case .sourceWrite(let write):
            sourceWrite(write)
        case .restart(let fault):
            restart(fault: fault)
        case .request(let worker):
            requestArrives(worker)
        case .reply(let worker):
            replyArrives(worker)
        case .commandTimeout(let worker):
            commandTimeout(worker)
        case .originAnswer(let worker, let call):
            originAnswers(worker: worker, call: call)
        case .originTimer(let worker):
            originTimer(worker)
        case .resume(let worker):
            resume(worker)
        }
        drain()
        state.setContinuation(works)
        normalizeGhostHorizon()
        #if DEBUG
        model.checkInvariants(state.readable)
        #endif
    }

    /// Records the action's event, at the current instant. `kind` builds its content from the model, and only
    /// when the step records events; it must capture no part of the step (the step is being mutated).
    mutating func emit(_ actor: Actor, _ kind: (LeaseModel) -> EventKind) {
        if madeEvent {
            preconditionFailure(
                "ModelStep: a second event \(kind(model)) in one action, after \(String(describing: event))")
        }
        madeEvent = true
        if recordsEvent {
            event = TraceEvent(timeMicroseconds: state.nowMicroseconds, actor: actor, kind: kind(model))
        }
    }

    // MARK: - Works

    /// Carries out works until none is left or the next could make an event when one is already made.
    private mutating func drain() {
        while let work = works.first {
            if madeEvent && mayEmit(work) { return }
            works.removeFirst()
            perform(work)
        }
    }

    /// Whether carrying out `work` could make an event. False must mean never: a second event is a bug.
    private func mayEmit(_ work: Work) -> Bool {
        switch work {
        case .step(let worker, .send(let command)):
            return pauseMayStrike(worker, at: command.pausePoint(release: model.variant.release))
        case .step(_, .startLoad), .step(_, .finish), .invalidate, .reportReplyLost:
            return true
        case .originAnswer(let worker, _, _):
            return pauseMayStrike(worker, at: .afterLoad)
        case .startNextCall(let worker):
            return state.hasWaitingCalls(ofWorker: worker)
        }
    }

    private mutating func perform(_ work: Work) {
        switch work {
        case .step(let worker, let step):
            perform(step, worker: worker)
        case .originAnswer(let worker, let version, let fails):
            handOriginAnswer(worker, version: version, fails: fails)
        case .startNextCall(let worker):
            if state.hasWaitingCalls(ofWorker: worker) {
                let next = state.removeFirstWaitingCall(ofWorker: worker)
                startCall(next)
            }
        case .invalidate(let index):
            let write = model.writes[index]
            let reply = execute(.deleteCache(key: write.key))
            emit(write.writer) { .exec(.delete(key: $0.keyNames[write.key]), $0.traceReply(reply)) }
        case .reportReplyLost(let worker):
            guard let outstanding = state.outstanding(ofWorker: worker) else {
                preconditionFailure("ModelStep: reply-lost for w\(worker), which waits on nothing")
            }
            emit(.worker(worker)) { .replyLost($0.traceCommand(outstanding.command)) }
        }
    }

    // MARK: - Shared helpers

    /// Executes a command in Redis now.
    mutating func execute(_ command: ModelCommand) -> ModelReply {
        state.executeRedis(
            command, leaseTTLMilliseconds: model.leaseTTLMilliseconds, cacheTTLMilliseconds: model.cacheTTLMilliseconds)
    }

    /// Notes a queued item of the simulator that will do nothing when it comes (see
    /// ``ModelState/ghostHorizonMicroseconds``).
    mutating func ghost(at instant: Int64) {
        if instant > state.nowMicroseconds {
            state.ghostHorizonMicroseconds = max(state.ghostHorizonMicroseconds, instant)
        }
    }

    /// Forgets the ghost horizon when no cache-key expiry can fall at or before it: it then cannot matter, and
    /// keeping it would split states the simulator treats alike.
    private mutating func normalizeGhostHorizon() {
        let horizon = state.ghostHorizonMicroseconds
        guard horizon != 0 else { return }
        // A key set from now on expires no sooner than this.
        var soonestExpiry = ModelRedis.expiryInstant(
            deadlineMilliseconds: ModelRedis.deadline(
                ttlMilliseconds: model.cacheTTLMilliseconds, nowMicroseconds: state.nowMicroseconds))
        for key in 0..<state.keyCount {
            if let entry = state.cacheEntry(ofKey: key) {
                soonestExpiry = min(
                    soonestExpiry, ModelRedis.expiryInstant(deadlineMilliseconds: entry.deadlineMilliseconds))
            }
        }
        if horizon <= state.nowMicroseconds || horizon < soonestExpiry {
            state.ghostHorizonMicroseconds = 0
        }
    }
}
