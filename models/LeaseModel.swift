import Scenario
import Trace

/// The #4821 lease protocol and its environment (workers, network, Redis, origin, writers, faults) as a
/// nondeterministic transition system: initial states, enabled actions in a fixed order, the next state.
///
/// It restates the protocol and the simulator's modelling decisions independently of the implementation (it
/// imports only Trace and Scenario), with every choice of the simulator's chooser as a choice between actions:
/// the order of same-instant items, each delay (from the domain's options), each `maybe` fault. Its semantics
/// match the simulator's event for event, so a model path replays on the simulator and a simulator trace replays
/// on the model. One action makes at most one trace event (``ModelAction/event``).
///
/// How items become actions: the simulator handles one queued item at a time without interruption, and an
/// item may make several events (a `return` then the next queued call's `call`; a `write` then its `DEL`; an
/// `exec` then `reply-lost`; `load-end` then a `pause`). The model makes one action per event: the rest of the
/// item waits in ``ModelState/continuation``, which is then the only enabled action. An item that makes no event
/// is a silent action: a reply whose worker only sends its next command, a call that joins its busy worker's
/// queue, a continuation whose `maybe` pause does not strike.
///
/// Decisions worth knowing (see also the simulator's doc comment, which this follows):
/// - a `call` event starts a call; a call due while its worker is busy waits and starts when the previous call
///   returns, in the same item as that `return`; two calls of one worker due at one instant start in either order;
/// - an `expire` happens at `(when + 1)` ms before anything else at that instant; same-instant expiries of
///   different keys happen in one fixed order, the simulator's: cache keys before lease keys, each in `keys:` order;
/// - when nothing but expiries is left, lease-key expiries still happen and cache-key ones are dropped, except
///   those due before the last ghost (``ModelState/ghostHorizonMicroseconds``);
/// - delays take the `explore` values: each network value for each request, reply and restart notice; each
///   origin value inside the origin's range for each load without a fixed override; each `pause` value inside
///   the pause fault's own range (its ends when none is), as the simulator draws from that range (see
///   ``DelayOptions/pauses(_:_:)``);
/// - a worker is paused only before a send or with the origin's answer held, so whatever else reaches it while
///   paused is stale: the simulator's inbox reduces to the one held input (``HeldInput``).
///
/// A final class with constant fields only: every step of a search holds the model, and as a struct each of those
/// copies retained a dozen arrays (the explorer spent a tenth of its time there).
public final class LeaseModel: Sendable {
    /// The scenario.
    public let scenario: Scenario
    /// The protocol variant.
    public let variant: ProtocolVariant
    /// Which values delays take.
    public let domain: ModelDomain

    /// `bounded-lease-hold`'s bound for this variant (Scenario+Bounds.swift).
    public let leaseHoldBoundMicroseconds: Int64
    /// `bounded-latency`'s bound for this variant.
    public let callLatencyBoundMicroseconds: Int64

    // MARK: - Lookups worked out once

    /// The key names, by index, and their lease keys.
    let keyNames: [String]
    let leaseKeyNames: [String]
    /// The scenario's calls with their key as an index.
    let calls: [CallSpec]
    /// The scenario's writes with their key as an index.
    let writes: [WriteSpec]
    /// Each worker's faults (indices into `faults:`, in file order); index 0 unused.
    let faultsOfWorker: [[Int]]
    /// Each scenario fault's kind, and whether it is a `maybe` one, by index into `faults:`.
    ///
    /// Held apart from `scenario` because the steps read them at every send and reply: read through the
    /// scenario (a struct of many arrays, held by this class) each read retained and released its arrays.
    let faultKinds: [FaultKind]
    /// Whether any fault pauses a worker: without one no worker ever pauses.
    let hasPauseFaults: Bool
    let faultIsMaybe: [Bool]
    /// The origin's overrides, apart from `scenario` for the same reason.
    let originOverrides: [OriginOverride]
    /// The scenario call index of each worker's call number: `callIndexOf[worker][callNumber]`.
    let callIndexOf: [[Int]]
    /// Whether each key's last write (in version order) invalidates; nil when the key is never written.
    let lastWriteInvalidates: [Bool?]
    let delays: DelayOptions
    let cacheTTLMilliseconds: Int64
    let leaseTTLMilliseconds: Int64
    /// The values `v0` to `v<n>`, `n` the highest version the scenario names: the versions the model can hold.
    let traceValues: [CacheValue]

    /// A scenario call, as the model uses it.
    struct CallSpec: Hashable, Sendable {
        var atMicroseconds: Int64
        var worker: Int
        var callNumber: Int
        var key: Int
    }

    /// A scenario write, as the model uses it.
    struct WriteSpec: Hashable, Sendable {
        var atMicroseconds: Int64
        var key: Int
        var version: Int
        var invalidate: Bool
        var writer: Actor
    }

    /// A model of `scenario` under `variant`. The scenario must be one the loader accepts (its invariants hold).
    public init(scenario: Scenario, variant: ProtocolVariant, domain: ModelDomain = .explore) {
        precondition(variant.problems.isEmpty, "LeaseModel: incoherent variant \(variant): \(variant.problems)")
        self.scenario = scenario
        self.variant = variant
        self.domain = domain
        leaseHoldBoundMicroseconds = scenario.leaseHoldBoundMicroseconds(for: variant)
        callLatencyBoundMicroseconds = scenario.callLatencyBoundMicroseconds(for: variant)
        keyNames = scenario.keys.map(\.key)
        leaseKeyNames = keyNames.map(Command.leaseKey(of:))
        func keyIndex(_ name: String) -> Int {
            guard let index = scenario.keys.firstIndex(where: { $0.key == name }) else {
                preconditionFailure("LeaseModel: scenario \(scenario.name) names unknown key \(name)")
            }
            return index
        }
        calls = scenario.calls.map {
            CallSpec(
                atMicroseconds: $0.atMicroseconds, worker: $0.worker, callNumber: $0.callNumber,
                key: keyIndex($0.key))
        }
        writes = scenario.writes.map {
            WriteSpec(
                atMicroseconds: $0.atMicroseconds, key: keyIndex($0.key), version: $0.version,
                invalidate: $0.invalidate, writer: .writer($0.writer))
        }
        var faultsOfWorker = Array(repeating: [Int](), count: scenario.workerCount + 1)
        for (index, fault) in scenario.faults.enumerated() {
            if let worker = fault.worker { faultsOfWorker[worker].append(index) }
        }
        self.faultsOfWorker = faultsOfWorker
        faultKinds = scenario.faults.map(\.kind)
        hasPauseFaults = faultKinds.contains { if case .pause = $0 { return true } else { return false } }
        faultIsMaybe = scenario.faults.map(\.maybe)
        originOverrides = scenario.origin.overrides
        var callIndexOf = Array(repeating: [-1], count: scenario.workerCount + 1)
        for (index, call) in scenario.calls.enumerated() {
            precondition(callIndexOf[call.worker].count == call.callNumber, "LeaseModel: call numbers out of order")
            callIndexOf[call.worker].append(index)
        }
        self.callIndexOf = callIndexOf
        var lastWriteInvalidates = [Bool?](repeating: nil, count: scenario.keys.count)
        var lastVersion = [Int](repeating: Int.min, count: scenario.keys.count)
        for write in writes where write.version > lastVersion[write.key] {
            lastVersion[write.key] = write.version
            lastWriteInvalidates[write.key] = write.invalidate
        }
        self.lastWriteInvalidates = lastWriteInvalidates
        delays = DelayOptions(scenario: scenario, domain: domain)
        cacheTTLMilliseconds = Int64(variant.cacheTTLSeconds) * 1_000
        leaseTTLMilliseconds = Int64(variant.leaseTTLMilliseconds)
        let highestVersion = (scenario.keys.flatMap { [$0.sourceVersion, $0.cachedVersion ?? 0] }
            + scenario.writes.map(\.version)).max() ?? 0
        traceValues = (0...max(0, highestVersion)).map(CacheValue.init(version:))
        initialStates = Self.makeInitialStates(
            scenario: scenario, callCount: calls.count, writeCount: writes.count,
            cacheTTLMilliseconds: cacheTTLMilliseconds)
        #if DEBUG
        for state in initialStates { checkInvariants(state) }
        #endif
    }

    // MARK: - The transition system

    /// The initial states: Redis holds the initial cached values (stored at time 0 with the cache TTL), nothing
    /// has happened yet. One state per combination of the `maybe` restarts, which the simulator decides at set-up:
    /// happening first. Worked out once, in `init`: every trace replay starts from them.
    public let initialStates: [ModelState]

    /// Works out ``initialStates``, once the other lookups are set.
    private static func makeInitialStates(
        scenario: Scenario, callCount: Int, writeCount: Int, cacheTTLMilliseconds: Int64
    ) -> [ModelState] {
        var base = ModelState(
            nowMicroseconds: 0,
            redis: ModelRedis(keyCount: scenario.keys.count),
            sourceVersions: PackedList(scenario.keys.map(\.sourceVersion)),
            workers: Array(repeating: ModelWorker(), count: scenario.workerCount),
            calls: PackedList(repeating: .due, count: callCount),
            writesDone: PackedList(repeating: false, count: writeCount),
            faults: PackedList(repeating: .undecided, count: scenario.faults.count),
            loads: [],
            ghostHorizonMicroseconds: 0,
            continuation: [],
            loadsStarted: PackedList(repeating: 0, count: scenario.keys.count))
        for (index, key) in scenario.keys.enumerated() {
            if let cached = key.cachedVersion {
                base.redis.cache[index] = ModelRedis.CacheEntry(
                    version: cached,
                    deadlineMilliseconds: ModelRedis.deadline(
                        ttlMilliseconds: cacheTTLMilliseconds, nowMicroseconds: 0))
            }
        }
        var states = [base]
        for (index, fault) in scenario.faults.enumerated() {
            guard case .restartRedis = fault.kind else { continue }
            if fault.maybe {
                states = states.flatMap { state -> [ModelState] in
                    var happens = state
                    happens.faults[index] = .restartPending
                    var skipped = state
                    skipped.faults[index] = .skipped
                    return [happens, skipped]
                }
            } else {
                for position in states.indices { states[position].faults[index] = .restartPending }
            }
        }
        return states
    }

    /// The actions enabled in `state`, in a fixed order: items in ``ModelItem`` order (time first: only the
    /// earliest instant's items are enabled), and each item's choice combinations in lexicographic order.
    public func actions(in state: ModelState) -> [ModelAction] {
        successors(of: state).map(\.action)
    }

    /// The state after `action`, which must be enabled in `state`.
    public func next(_ state: ModelState, after action: ModelAction) -> ModelState {
        let (time, items) = enabledItems(in: state)
        precondition(
            items.contains(action.item) && time == action.timeMicroseconds,
            "LeaseModel: \(action) is not enabled at \(state.nowMicroseconds)us (enabled: \(items) at \(time)us)")
        var step = ModelStep(model: self, state: state, cursor: ChoiceCursor(recorded: action.choices))
        step.run(action.item, at: time)
        precondition(step.cursor.isExhausted, "LeaseModel: \(action) made fewer choices on replay")
        precondition(
            step.event == action.event, "LeaseModel: \(action) made \(String(describing: step.event)) on replay")
        return step.state
    }

    /// One transition out of a state.
    struct Successor {
        /// The action.
        var action: ModelAction
        /// The state it leads to.
        var state: ModelState
        /// What it did that the properties look at.
        var effect: StepEffect
    }

    /// Every transition out of `state`, in ``actions(in:)``'s order.
    func successors(of state: ModelState) -> [Successor] {
        var result: [Successor] = []
        forEachTransition(from: state, recordsEvents: true, recordsChoices: true) { item, time, parent, step in
            result.append(Successor(
                action: ModelAction(
                    item: item, identity: eventIdentity(of: item, in: parent), timeMicroseconds: time,
                    choices: step.cursor.choices, event: step.event),
                state: step.takeState(), effect: step.effect))
        }
        return result
    }

    /// Every transition out of `state`, in ``actions(in:)``'s order, each handed to `body` with its item and
    /// instant, `state` itself (the state it started from), and the step that made it, in place: its state and
    /// effect, whether it made an event, and the event and the choices when asked. A body that keeps the
    /// successor takes it with ``ModelStep/takeState()``.
    ///
    /// The explorer's way in, and the trace replay's: the explorer needs each successor's state and effect and
    /// the transition's index, the replay the events, and neither the whole action, whose trace event and choices
    /// were a fifth of the explorer's time to build.
    func forEachTransition<State: StateStorage>(
        from state: State, recordsEvents: Bool, recordsChoices: Bool,
        _ body: (ModelItem, Int64, borrowing State, inout ModelStep<State>) -> Void
    ) {
        // One step for every transition: each starts from a copy of `state` in the step's own storage.
        var step = ModelStep(
            model: self, state: State.placeholder, cursor: ChoiceCursor(indices: ChoicePoints()),
            recordsEvent: recordsEvents)
        forEachTransition(from: state, recordsEvents: recordsEvents, recordsChoices: recordsChoices, on: &step, body)
    }

    /// ``forEachTransition(from:recordsEvents:recordsChoices:_:)`` on a given step (of this model): the explorer
    /// keeps one for its whole search, so that no transition allocates.
    func forEachTransition<State: StateStorage>(
        from state: State, recordsEvents: Bool, recordsChoices: Bool, on step: inout ModelStep<State>,
        _ body: (ModelItem, Int64, borrowing State, inout ModelStep<State>) -> Void
    ) {
        precondition(step.model === self, "LeaseModel: a step of another model")
        let (time, items) = enabledItems(in: state)
        for item in items {
            expand(
                state, item, at: time, prefix: ChoicePoints(), recordsEvents: recordsEvents,
                recordsChoices: recordsChoices, on: &step, body)
        }
    }

    /// Runs one item with the choice indices `prefix` (then first options), then every other option of each
    /// new choice point, depth first: all of the item's choice combinations, in lexicographic order.
    func expand<State: StateStorage>(
        _ state: State, _ item: ModelItem, at time: Int64, prefix: ChoicePoints, recordsEvents: Bool,
        recordsChoices: Bool, _ body: (ModelItem, Int64, borrowing State, inout ModelStep<State>) -> Void
    ) {
        var step = ModelStep(
            model: self, state: State.placeholder, cursor: ChoiceCursor(indices: ChoicePoints()),
            recordsEvent: recordsEvents)
        expand(
            state, item, at: time, prefix: prefix, recordsEvents: recordsEvents, recordsChoices: recordsChoices,
            on: &step, body)
    }

    /// ``expand(_:_:at:prefix:recordsEvents:recordsChoices:_:)`` on a given step, restarted from `state` for each
    /// combination.
    private func expand<State: StateStorage>(
        _ state: State, _ item: ModelItem, at time: Int64, prefix: ChoicePoints, recordsEvents: Bool,
        recordsChoices: Bool, on step: inout ModelStep<State>,
        _ body: (ModelItem, Int64, borrowing State, inout ModelStep<State>) -> Void
    ) {
        step.restart(from: state, indices: prefix, recordsChoices: recordsChoices, recordsEvent: recordsEvents)
        step.run(item, at: time)
        let points = step.cursor.points
        // The step in place (a body that keeps its state takes it with `takeState()`), and the state it started
        // from as an argument: a body that captured that state instead copied it at every transition, twice,
        // 20 reference-count operations each.
        body(item, time, state, &step)
        for position in (prefix.count..<points.count).reversed() where points.optionCount(at: position) > 1 {
            for option in 1..<points.optionCount(at: position) {
                expand(
                    state, item, at: time, prefix: points.prefix(position + 1, then: option),
                    recordsEvents: recordsEvents, recordsChoices: recordsChoices, on: &step, body)
            }
        }
    }

    /// The identity the simulator's chooser gives `item` when it is taken in `state`.
    func eventIdentity(of item: ModelItem, in state: ModelState) -> EventIdentity? {
        func current(_ worker: Int) -> (call: Int, command: Int) {
            guard let call = state[worker: worker].call else {
                preconditionFailure("LeaseModel: \(item) for w\(worker), which runs no call")
            }
            return (call.callNumber, state[worker: worker].outstanding?.number ?? call.commandsSent)
        }
        switch item {
        case .expire, .continuation:
            return nil
        case .callStart(let index):
            return .callStart(worker: calls[index].worker, call: calls[index].callNumber)
        case .sourceWrite(let index):
            return .sourceWrite(index: index)
        case .restart(let fault):
            return .restart(fault: fault)
        case .request(let worker):
            let (call, command) = current(worker)
            return .request(worker: worker, call: call, command: command)
        case .reply(let worker):
            let (call, command) = current(worker)
            return .reply(worker: worker, call: call, command: command)
        case .commandTimeout(let worker):
            let (call, command) = current(worker)
            return .commandTimeout(worker: worker, call: call, command: command)
        case .originAnswer(let worker, let call):
            return .originAnswer(worker: worker, call: call)
        case .originTimer(let worker):
            return .originTimer(worker: worker, call: current(worker).call)
        case .resume(let worker):
            guard let pause = state[worker: worker].pause else {
                preconditionFailure("LeaseModel: w\(worker) resumes but is not paused")
            }
            return .resume(worker: worker, call: current(worker).call, point: pause.point)
        }
    }

    // MARK: - Trace forms

    /// The override of a worker's call's load, if the scenario has one (as `OriginSettings.override`).
    func originOverride(worker: Int, callNumber: Int) -> OriginOverride? {
        originOverrides.first { $0.worker == worker && $0.callNumber == callNumber }
    }

    /// A command as the trace shows it.
    func traceCommand(_ command: ModelCommand) -> Command {
        switch command {
        case .readCache(let key):
            return .get(key: keyNames[key])
        case .deleteCache(let key):
            return .delete(key: keyNames[key])
        case .acquire(let key, let token):
            return .acquire(key: keyNames[key], token: token.token, ttlMilliseconds: variant.leaseTTLMilliseconds)
        case .store(let key, let version):
            return .set(key: keyNames[key], value: traceValue(version), ttlSeconds: variant.cacheTTLSeconds)
        case .fencedStore(let key, let version, let token):
            return .fencedWrite(
                key: keyNames[key], value: traceValue(version), token: token.token,
                ttlSeconds: variant.cacheTTLSeconds)
        case .releaseScript(let key, let token):
            return .release(key: keyNames[key], token: token.token)
        case .readLease(let key):
            return .get(key: leaseKeyNames[key])
        case .deleteLease(let key):
            return .delete(key: leaseKeyNames[key])
        }
    }

    /// A version's value as the trace shows it, `v<version>`: from ``traceValues`` when there, so that building
    /// an event does not format and allocate it (a trace replay builds one at every event).
    func traceValue(_ version: Int) -> CacheValue {
        version >= 0 && version < traceValues.count ? traceValues[version] : CacheValue(version: version)
    }

    /// An outcome as the trace shows it.
    func traceOutcome(_ outcome: ModelOutcome) -> Outcome {
        switch outcome {
        case .fresh(let version, let leaseLost): return .fresh(traceValue(version), leaseLost: leaseLost)
        case .stale(let version, let reason): return .stale(traceValue(version), reason)
        case .miss: return .miss
        case .error(let reason): return .error(reason)
        }
    }

    /// A reply as the trace shows it.
    func traceReply(_ reply: ModelReply) -> Reply {
        switch reply {
        case .ok: return .ok
        case .null: return .null
        case .value(let version): return .bulk(traceValue(version).bytes)
        case .token(let token): return .bulk(token.token.bytes)
        case .integer(let value): return .integer(Int64(value))
        }
    }
}
