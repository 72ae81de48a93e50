import LeaseCore
import Scenario
import Trace

/// One deterministic discrete-event run of a scenario under one protocol variant.
///
/// The production LeaseCore (the same module LeaseCache drives) runs against a simulated Redis, network, origin,
/// writers and faults, in virtual time (integer microseconds). Every nondeterministic choice (same-instant order,
/// each delay, each `maybe` fault) goes through the ``Chooser``, so one seed gives one trace, byte for byte.
///
/// Modelling decisions, shared with the model:
/// - a worker runs its calls one at a time; a call due while it is busy waits for the previous call to return;
/// - a worker's own processing takes no time: every action of one input happens at the instant of the input;
/// - the server executes a command the instant it arrives (its `exec` event is the linearization point);
/// - after a timeout or a broken connection the worker's next command goes out on a fresh connection at once;
///   late messages of the old connection are dropped;
/// - a writer's source write and its invalidating `DEL` happen at the write's instant, in that order;
/// - a restart empties Redis and breaks every connection: requests and replies in flight are lost, and a worker
///   with an outstanding command learns of the break one network delay later (`connection-lost`);
/// - the initial cached values are stored at time 0 with the variant's cache TTL;
/// - the run ends when nothing but expiries is left; of those, lease expiries (which end orphaned leases) are
///   still run, cache-key expiries are not (they only say the cache TTL ran out, minutes later);
/// - expiries due at the same instant go in one fixed order, never the chooser's: cache keys before lease keys,
///   each in the scenario's `keys:` order (the model takes the same order, so its paths replay here);
/// - a stale item (one that will do nothing: a reply or timeout of a connection that broke or a command that
///   already ended, a dead origin timer, anything reaching a paused worker) is taken before the other items due
///   at its instant without asking the chooser: the model has no such item, so a replay of a model path must
///   not be asked to order it, and it makes nothing wherever it goes.
public struct Simulation<C: Chooser> {
    /// The scenario.
    public let scenario: Scenario
    /// The variant run.
    public let variant: ProtocolVariant
    /// Whether events are recorded (off for benchmarks: outcomes and counts are still kept).
    public let recording: Bool
    /// A deliberate departure from the protocol, for the conformance checker's tests only; ``SimulationMutation/none``
    /// in every real run.
    public let mutation: SimulationMutation

    /// The chooser, with whatever it learned during the run (a recording, a replay's drifts).
    public private(set) var chooser: C
    private var now: Int64 = 0
    private var queue = EventQueue()
    private var sequence: UInt64 = 0
    /// The scheduled items, by slot; the heap orders slot numbers, so it moves small values.
    private var items: [Item?] = []
    private var freeSlots: [Int32] = []
    /// How many queued items are not expiries: none left (and every call returned) means the run is over.
    private var queuedOtherThanExpiries = 0
    /// The most entries the queue held at once, for the benchmark's report.
    private var peakQueueLength = 0
    /// How many queued items were processed: the discrete events of the simulation (trace events are the
    /// observable subset and consequences of these).
    private var itemsProcessed = 0
    /// The next scenario call and write not yet in the queue: they are fed in by time, so the queue holds what is
    /// in flight, not the whole scenario.
    private var nextCallIndex = 0
    private var nextWriteIndex = 0
    /// The deadline (ms) of the one expiry item queued per key; see ``scheduleExpiry``.
    private var expiryQueued: [String: Int64] = [:]
    /// Each key's place in the fixed order of same-instant expiries: cache keys (in `keys:` order), then lease keys.
    private let expiryRanks: [String: UInt16]
    /// Each worker's faults: their index in the scenario's `faults:` and what they do.
    private let faultsOfWorker: [[WorkerFault]]
    private var redis = SimulatedRedis()
    private var sourceVersions: [String: Int] = [:]
    private var workers: [WorkerState]
    private let calls: [CallSpec]
    private let writeTimes: [Int64]
    private let networkLatency: LatencyRange
    private let originLatency: LatencyRange
    private var events: [TraceEvent] = []
    private var eventCount = 0
    /// Each scenario call's result, by the call's index in the scenario (time order).
    private var results: [CallResult?]
    private var returnedCalls = 0
    private var faultDecisions: [Bool?]
    private var sameInstant: [Scheduled] = []
    private var versionValues: [CacheValue] = []
    private var limitReached: String?

    /// Prepares a run; ``run()`` carries it out.
    public init(
        scenario: Scenario, variant: ProtocolVariant, chooser: C, recording: Bool = true,
        mutation: SimulationMutation = .none
    ) {
        precondition(variant.problems.isEmpty, "Simulation: incoherent variant \(variant): \(variant.problems)")
        self.scenario = scenario
        self.variant = variant
        self.chooser = chooser
        self.recording = recording
        self.mutation = mutation
        var expiryRanks: [String: UInt16] = [:]
        for (index, key) in scenario.keys.enumerated() {
            expiryRanks[key.key] = UInt16(clamping: index)
            expiryRanks[Command.leaseKey(of: key.key)] = UInt16(clamping: scenario.keys.count + index)
        }
        self.expiryRanks = expiryRanks
        self.workers = Array(repeating: WorkerState(), count: scenario.workerCount + 1)  // index 0 unused
        self.calls = scenario.calls.map {
            CallSpec(atMicroseconds: $0.atMicroseconds, worker: $0.worker, callNumber: $0.callNumber, key: $0.key)
        }
        self.writeTimes = scenario.writes.map(\.atMicroseconds)
        self.networkLatency = scenario.network.latency
        self.originLatency = scenario.origin.latency
        self.results = Array(repeating: nil, count: scenario.calls.count)
        self.faultDecisions = Array(repeating: nil, count: scenario.faults.count)
        var faultsOfWorker = Array(repeating: [WorkerFault](), count: scenario.workerCount + 1)
        for (index, fault) in scenario.faults.enumerated() {
            if let worker = fault.worker, faultsOfWorker.indices.contains(worker) {
                faultsOfWorker[worker].append(WorkerFault(index: index, kind: fault.kind))
            }
        }
        self.faultsOfWorker = faultsOfWorker
    }

    /// Runs to the end and returns what happened.
    ///
    /// Specialized for the module's own choosers: callers in other modules see only the generic entry point, and
    /// unspecialized, every field of the simulation sits at an offset read from the chooser's metadata and every
    /// copy goes through value witnesses. The generic entry point dispatches to these at run time.
    @_specialize(where C == SeededChooser)
    @_specialize(where C == ScriptedChooser)
    @_specialize(where C == RecordingChooser<SeededChooser>)
    public mutating func run(limits: SimulationLimits = .standard) -> SimulationResult {
        setUp()
        while let next = popNext() {
            if eventCount >= limits.eventsMaximum {
                limitReached = "stopped after \(limits.eventsMaximum) events (SimulationLimits.eventsMaximum)"
                break
            }
            if next.timeMicroseconds > limits.virtualTimeMaximumMicroseconds {
                limitReached =
                    "stopped at virtual time \(limits.virtualTimeMaximumMicroseconds)us (SimulationLimits.virtualTimeMaximumMicroseconds)"
                break
            }
            precondition(next.timeMicroseconds >= now, "Simulation: time went back from \(now) to \(next)")
            now = next.timeMicroseconds
            itemsProcessed += 1
            handle(next.item)
            if isQuiescent() {
                drainLeaseExpiries()
                break
            }
        }
        return SimulationResult(
            events: events, eventCount: eventCount, calls: results.compactMap { $0 },
            endMicroseconds: now, peakQueueLength: peakQueueLength, itemsProcessed: itemsProcessed,
            limitReached: limitReached)
    }

    // MARK: - Set-up

    private mutating func setUp() {
        for key in scenario.keys {
            sourceVersions[key.key] = key.sourceVersion
            if let cached = key.cachedVersion {
                let deadline = SimulatedRedis.deadline(
                    ttlMilliseconds: Int64(variant.cacheTTLSeconds) * 1_000, nowMicroseconds: 0)
                redis.store(key.key, value: value(ofVersion: cached).bytes, deadlineMilliseconds: deadline)
                scheduleExpiry(key.key, deadlineMilliseconds: deadline)
            }
        }
        for (index, fault) in scenario.faults.enumerated() {
            if case .restartRedis(let at) = fault.kind, decide(faultIndex: index) {
                schedule(.restart(faultIndex: index), at: at)
            }
        }
    }

    // MARK: - The queue

    private mutating func schedule(_ item: Item, at time: Int64, priority: UInt8 = 1, expiryRank: UInt16 = 0) {
        sequence &+= 1
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            items[Int(free)] = item
        } else {
            slot = Int32(items.count)
            items.append(item)
        }
        queue.insert(
            Scheduled(
                timeMicroseconds: time, sequence: sequence, slot: slot, priority: priority, expiryRank: expiryRank))
        peakQueueLength = max(peakQueueLength, queue.count)
        if priority != 0 { queuedOtherThanExpiries += 1 }
    }

    /// Makes sure an expiry item is queued no later than the key's new deadline.
    ///
    /// One item per key at most stays live: a later deadline waits for the queued item, which re-queues itself at
    /// the key's current deadline when it fires (``expireDue``); an earlier one replaces it. So the queue does not
    /// fill with the dead 300 s expiries of every SET.
    private mutating func scheduleExpiry(_ key: String, deadlineMilliseconds: Int64) {
        if let queued = expiryQueued[key], queued <= deadlineMilliseconds { return }
        expiryQueued[key] = deadlineMilliseconds
        schedule(
            .expire(key: key, deadlineMilliseconds: deadlineMilliseconds), at: (deadlineMilliseconds + 1) * 1_000,
            priority: 0, expiryRank: expiryRanks[key] ?? UInt16.max)
    }

    /// An expiry item fires: expires the key if its deadline is this one, or re-queues at its current deadline.
    private mutating func expireDue(_ key: String, deadlineMilliseconds: Int64) {
        guard expiryQueued[key] == deadlineMilliseconds else { return }  // replaced by an earlier one
        expiryQueued[key] = nil
        if redis.expire(key, deadlineMilliseconds: deadlineMilliseconds) {
            record(.server, .expire(key: key))
        } else if let later = redis.deadline(of: key) {
            scheduleExpiry(key, deadlineMilliseconds: later)
        }
    }

    /// Takes an item out of its slot.
    private mutating func take(_ scheduled: Scheduled) -> Item {
        let slot = Int(scheduled.slot)
        guard let item = items[slot] else { preconditionFailure("Simulation: slot \(slot) is empty") }
        items[slot] = nil
        freeSlots.append(scheduled.slot)
        if scheduled.priority != 0 { queuedOtherThanExpiries -= 1 }
        return item
    }

    /// Feeds the scenario's calls and writes due by the earliest queued instant into the queue, so everything due
    /// at that instant is there to be chosen among.
    private mutating func feedTimeline() {
        let callTime = nextCallIndex < calls.count ? calls[nextCallIndex].atMicroseconds : Int64.max
        let writeTime = nextWriteIndex < writeTimes.count ? writeTimes[nextWriteIndex] : Int64.max
        let queued = queue.min?.timeMicroseconds ?? Int64.max
        guard callTime <= queued || writeTime <= queued else { return }
        let due = min(queued, callTime, writeTime)
        while nextCallIndex < calls.count, calls[nextCallIndex].atMicroseconds <= due {
            schedule(.callStart(callIndex: nextCallIndex), at: calls[nextCallIndex].atMicroseconds)
            nextCallIndex += 1
        }
        while nextWriteIndex < writeTimes.count, writeTimes[nextWriteIndex] <= due {
            schedule(.sourceWrite(index: nextWriteIndex), at: writeTimes[nextWriteIndex])
            nextWriteIndex += 1
        }
    }

    /// The next item: the earliest; among items due at the same instant (expiries aside), the chooser's pick.
    private mutating func popNext() -> (timeMicroseconds: Int64, item: Item)? {
        feedTimeline()
        guard let first = queue.popMin() else { return nil }
        guard first.priority != 0, let second = queue.min, second.timeMicroseconds == first.timeMicroseconds
        else { return (first.timeMicroseconds, take(first)) }
        sameInstant.removeAll(keepingCapacity: true)
        sameInstant.append(first)
        while let next = queue.min, next.timeMicroseconds == first.timeMicroseconds {
            sameInstant.append(queue.removeMin())
        }
        // A stale item goes first, unasked: it makes nothing, and the model (which has no such item) could not
        // answer for it. Plain loops, not closures: a closure over `self` here copied the whole simulation.
        var picked = -1
        for index in sameInstant.indices where isStale(items[Int(sameInstant[index].slot)]!) {
            picked = index
            break
        }
        if picked < 0 {
            var candidates: [EventIdentity] = []
            candidates.reserveCapacity(sameInstant.count)
            for entry in sameInstant {
                candidates.append(items[Int(entry.slot)]!.identity(calls: calls))
            }
            picked = chooser.first(among: candidates)
            precondition(sameInstant.indices.contains(picked), "Chooser picked \(picked) of \(sameInstant.count)")
        }
        for index in sameInstant.indices where index != picked {
            queue.insert(sameInstant[index])
        }
        return (first.timeMicroseconds, take(sameInstant[picked]))
    }

    /// Whether handling `item` now would do nothing at all: no event, no state change but dropping it (or
    /// parking it in a paused worker's inbox, where the model's ``process`` guards find it stale at resume too:
    /// a worker pauses only before a send or with the origin's answer held, so it waits on no reply or timer).
    private func isStale(_ item: Item) -> Bool {
        switch item {
        case .request(let worker, let epoch, _, _):
            return workers[worker].epoch != epoch
        case .reply(let worker, let epoch, let call, let number, _),
            .connectionLost(let worker, let epoch, let call, let number),
            .commandTimeout(let worker, let epoch, let call, let number):
            // Field by field: a copy of the whole worker state would retain and release each of its references.
            guard workers[worker].paused == nil, workers[worker].machine != nil else { return true }
            return !(workers[worker].epoch == epoch && workers[worker].callNumber == call
                && workers[worker].outstanding?.number == number)
        case .originTimer(let worker, let call, let deadline):
            guard workers[worker].paused == nil, workers[worker].machine != nil else { return true }
            return !(workers[worker].callNumber == call && workers[worker].machine!.timerDeadlineMicroseconds == deadline)
        case .callStart, .originAnswer, .resume, .sourceWrite, .expire, .restart:
            return false
        }
    }

    /// Nothing left but expiries, every call returned.
    private func isQuiescent() -> Bool {
        returnedCalls == calls.count && nextWriteIndex == writeTimes.count && queuedOtherThanExpiries == 0
    }

    /// Runs the remaining lease-key expiries, dropping cache-key ones.
    private mutating func drainLeaseExpiries() {
        while let next = queue.popMin() {
            let item = take(next)
            guard case .expire(let key, _) = item, key.hasPrefix("lease:") else { continue }
            now = next.timeMicroseconds
            itemsProcessed += 1
            handle(item)
        }
    }

    /// The symbolic value `v<version>`, made once per version and shared after: every load, store and outcome
    /// of that version then shares one buffer instead of allocating its own.
    private mutating func value(ofVersion version: Int) -> CacheValue {
        guard version >= 0, version < 4_096 else { return CacheValue(version: version) }
        while versionValues.count <= version {
            versionValues.append(CacheValue(version: versionValues.count))
        }
        return versionValues[version]
    }

    // MARK: - Recording

    /// Counts an event, and records it when recording is on. The event is built only then: with recording off
    /// (the benchmarks) no command or reply is copied into an event nobody keeps.
    private mutating func record(_ actor: Actor, _ kind: @autoclosure () -> EventKind) {
        if mutation != .none {
            guard let mutated = mutation.recorded(kind()) else { return }
            eventCount += 1
            if recording { events.append(TraceEvent(timeMicroseconds: now, actor: actor, kind: mutated)) }
            return
        }
        eventCount += 1
        if recording {
            if events.isEmpty { events.reserveCapacity(calls.count * 8) }
            events.append(TraceEvent(timeMicroseconds: now, actor: actor, kind: kind()))
        }
    }

    // MARK: - Handling items

    private mutating func handle(_ item: Item) {
        switch item {
        case .callStart(let index):
            let worker = calls[index].worker
            if workers[worker].machine == nil && workers[worker].waitingCalls.isEmpty {
                startCall(index)
            } else {
                workers[worker].waitingCalls.append(index)
            }

        case .request(let worker, let epoch, let call, let number):
            guard workers[worker].epoch == epoch else { return }  // the connection broke on the way
            // On a live connection the request is the worker's outstanding command: it sends the next only after
            // this one's reply or failure, and a failure opens a new connection.
            guard let outstanding = workers[worker].outstanding, outstanding.number == number else {
                preconditionFailure("Simulation: w\(worker)'s request \(number) arrived but \(String(describing: workers[worker].outstanding)) is outstanding")
            }
            execute(outstanding.command, worker: worker, epoch: epoch, call: call, number: number)

        case .reply(let worker, _, _, _, _), .connectionLost(let worker, _, _, _), .commandTimeout(let worker, _, _, _),
            .originTimer(let worker, _, _):
            deliver(item, to: worker)

        case .originAnswer(let worker, _, let key, let version, let fails):
            // The origin answers whether or not its caller still waits: the load counted until now.
            if fails {
                record(.worker(worker), .loadFail(key: key, reason: "origin-error"))
            } else {
                record(.worker(worker), .loadEnd(key: key, version: version))
            }
            deliver(item, to: worker)

        case .resume(let worker, _, _):
            resume(worker)

        case .sourceWrite(let index):
            let write = scenario.writes[index]
            sourceVersions[write.key] = write.version
            record(.writer(write.writer), .write(key: write.key, version: write.version))
            if write.invalidate {
                let command = Command.delete(key: write.key)
                let reply = redis.execute(command, nowMicroseconds: now)
                record(.writer(write.writer), .exec(command, reply))
            }

        case .expire(let key, let deadline):
            expireDue(key, deadlineMilliseconds: deadline)

        case .restart:
            record(.server, .restart)
            redis.restart()
            expiryQueued.removeAll()  // queued items find their keys gone and do nothing
            for worker in 1..<workers.count {
                // Every connection breaks; a worker waiting for a reply learns of it one network delay later.
                let epoch = workers[worker].epoch + 1
                workers[worker].epoch = epoch
                if let outstanding = workers[worker].outstanding {
                    let call = workers[worker].callNumber
                    let delay = chooser.delay(
                        .restartNotice(worker: worker, call: call, command: outstanding.number),
                        in: networkLatency)
                    schedule(
                        .connectionLost(worker: worker, epoch: epoch, call: call, command: outstanding.number),
                        at: now + delay)
                }
            }
        }
    }

    private mutating func startCall(_ index: Int) {
        let spec = calls[index]
        let token = Token(worker: spec.worker, call: spec.callNumber)
        workers[spec.worker].machine = EvictAndReload(key: spec.key, token: token, variant: variant)
        workers[spec.worker].callNumber = spec.callNumber
        workers[spec.worker].callIndex = index
        workers[spec.worker].key = spec.key
        workers[spec.worker].commandNumber = 0
        workers[spec.worker].outstanding = nil
        if !workers[spec.worker].pausesUsed.isEmpty { workers[spec.worker].pausesUsed = [] }
        record(.worker(spec.worker), .call(key: spec.key, call: spec.callNumber))
        let actions = workers[spec.worker].machine!.start(nowMicroseconds: now)
        perform(actions, worker: spec.worker)
    }

    // MARK: - The server

    private mutating func execute(_ command: Command, worker: Int, epoch: Int, call: Int, number: Int) {
        let reply = redis.execute(command, nowMicroseconds: now)
        record(.worker(worker), .exec(command, reply))
        noteDeadline(of: command, reply: reply)

        let deadline = workers[worker].outstandingDeadlineMicroseconds
        let timerAlreadyQueued = now >= deadline  // see ``carryOut``: queued at send when the request was this late
        // Most workers have no faults: they skip the command's fault step (a string prefix test) altogether.
        let step = faultsOfWorker[worker].isEmpty ? nil : faultStep(of: command)
        if let step, workerFault(worker: worker, call: call, matching: { kind in
            if case .loseReply(_, _, let target) = kind { return target == step }
            return false
        }) != nil {
            record(.worker(worker), .replyLost(command))
            if !timerAlreadyQueued {
                schedule(.commandTimeout(worker: worker, epoch: epoch, call: call, command: number), at: deadline)
            }
            return
        }
        let delay = chooser.delay(
            .network(worker: worker, call: call, command: number, direction: .reply), in: networkLatency)
        if !timerAlreadyQueued && now + delay >= deadline {
            schedule(.commandTimeout(worker: worker, epoch: epoch, call: call, command: number), at: deadline)
        }
        if let step, workerFault(worker: worker, call: call, matching: { kind in
            if case .dropConnection(_, _, let target) = kind { return target == step }
            return false
        }) != nil {
            schedule(.connectionLost(worker: worker, epoch: epoch, call: call, command: number), at: now + delay)
            return
        }
        schedule(.reply(worker: worker, epoch: epoch, call: call, command: number, reply), at: now + delay)
    }

    /// Schedules the expiry of whatever the command just stored with a deadline.
    private mutating func noteDeadline(of command: Command, reply: Reply) {
        let key: String
        switch (command, reply) {
        case (.acquire(let cacheKey, _, _), .status("OK")):
            key = Command.leaseKey(of: cacheKey)
        case (.set(let cacheKey, _, _), .status("OK")), (.fencedWrite(let cacheKey, _, _, _), .status("OK")):
            key = cacheKey
        case (.get, _), (.delete, _), (.release, _), (.acquire, _), (.set, _), (.fencedWrite, _):
            return
        }
        if let deadline = redis.deadline(of: key) {
            scheduleExpiry(key, deadlineMilliseconds: deadline)
        }
    }

    // MARK: - Faults

    /// The step a `lose-reply` or `drop-connection` fault names for this command, if any.
    private func faultStep(of command: Command) -> FaultCommand? {
        switch command {
        case .get(let key):
            return key.hasPrefix("lease:") ? nil : .read  // get-then-delete's GET only reads the lease
        case .delete(let key):
            return key.hasPrefix("lease:") ? .release : .evict
        case .acquire: return .acquire
        case .set, .fencedWrite: return .write
        case .release: return .release
        }
    }

    /// The first fault of this worker's call whose kind matches and which happens (a `maybe` fault is decided by
    /// the chooser the first time it is reached).
    private mutating func workerFault(worker: Int, call: Int, matching: (FaultKind) -> Bool) -> Int? {
        guard !faultsOfWorker[worker].isEmpty else { return nil }
        for fault in faultsOfWorker[worker] {
            let index = fault.index
            let kind = fault.kind
            switch kind {
            case .pause(_, let targetCall, _, _), .loseReply(_, let targetCall, _), .dropConnection(_, let targetCall, _):
                guard targetCall == call, matching(kind) else { continue }
                if decide(faultIndex: index) { return index }
            case .restartRedis:
                continue
            }
        }
        return nil
    }

    private mutating func decide(faultIndex: Int) -> Bool {
        if let decided = faultDecisions[faultIndex] { return decided }
        let happens = scenario.faults[faultIndex].maybe ? chooser.happens(FaultChoice(index: faultIndex)) : true
        faultDecisions[faultIndex] = happens
        return happens
    }

    /// Pauses the worker at `point` if a fault says so; returns whether it paused.
    private mutating func pauseIfDue(_ worker: Int, at point: PausePoint) -> Bool {
        guard !workers[worker].pausesUsed.contains(point) else { return false }
        let call = workers[worker].callNumber
        guard let index = workerFault(worker: worker, call: call, matching: { kind in
            if case .pause(_, _, _, let target) = kind { return target == point }
            return false
        }) else { return false }
        guard case .pause(_, _, let duration, _) = scenario.faults[index].kind else {
            preconditionFailure("Simulation: fault \(index) matched a pause but is \(scenario.faults[index])")
        }
        workers[worker].pausesUsed.insert(point)
        workers[worker].paused = point
        record(.worker(worker), .pause(point))
        let length = chooser.delay(
            .pause(worker: worker, call: call, point: point), in: duration)
        schedule(.resume(worker: worker, call: call, point: point), at: now + length)
        return true
    }

    // MARK: - The worker

    /// Hands an input to a worker: queued while it is paused, dropped if it belongs to an old connection or call.
    private mutating func deliver(_ item: Item, to worker: Int) {
        if workers[worker].paused != nil {
            workers[worker].inbox.append(item)
            return
        }
        process(item, worker: worker)
    }

    private mutating func process(_ item: Item, worker: Int) {
        guard workers[worker].machine != nil else { return }  // the call is over: a late timer or answer
        // The fields are read in place: a copy of the whole worker state would retain each of its references.
        let epochNow = workers[worker].epoch
        let callNow = workers[worker].callNumber
        switch item {
        case .reply(_, let epoch, let call, let number, let reply):
            guard epochNow == epoch, callNow == call, workers[worker].outstanding?.number == number else { return }
            workers[worker].outstanding = nil
            let actions = workers[worker].machine!.receive(reply, nowMicroseconds: now)
            perform(actions, worker: worker)

        case .connectionLost(_, let epoch, let call, let number):
            guard epochNow == epoch, callNow == call, let outstanding = workers[worker].outstanding,
                outstanding.number == number
            else { return }
            fail(worker, outstanding.command, .connectionLost)

        case .commandTimeout(_, let epoch, let call, let number):
            guard epochNow == epoch, callNow == call, let outstanding = workers[worker].outstanding,
                outstanding.number == number
            else { return }
            fail(worker, outstanding.command, .timeout)

        case .originAnswer(_, let call, _, let version, let fails):
            guard callNow == call, workers[worker].machine!.isLoading else { return }
            if pauseIfDue(worker, at: .afterLoad) {
                workers[worker].inbox.append(item)
                return
            }
            let actions =
                fails
                ? workers[worker].machine!.originFailed(nowMicroseconds: now)
                : workers[worker].machine!.originLoaded(value(ofVersion: version), nowMicroseconds: now)
            perform(actions, worker: worker)

        case .originTimer(_, let call, let deadline):
            guard callNow == call, workers[worker].machine!.timerDeadlineMicroseconds == deadline else { return }
            let actions = workers[worker].machine!.handleTimeout(nowMicroseconds: now)
            guard !actions.isEmpty else { return }
            let key = workers[worker].key
            record(.worker(worker), .originTimeout(key: key))
            perform(actions, worker: worker)

        case .callStart, .request, .resume, .sourceWrite, .expire, .restart:
            preconditionFailure("Simulation: \(item) is not a worker input")
        }
    }

    private mutating func fail(_ worker: Int, _ command: Command, _ failure: CommandFailure) {
        switch failure {
        case .timeout: record(.worker(worker), .commandTimeout(command))
        case .connectionLost: record(.worker(worker), .connectionLost(command))
        }
        workers[worker].outstanding = nil
        workers[worker].epoch += 1  // the next command goes out on a fresh connection
        let actions = workers[worker].machine!.commandFailed(failure, nowMicroseconds: now)
        perform(actions, worker: worker)
    }

    private mutating func resume(_ worker: Int) {
        guard let point = workers[worker].paused else {
            preconditionFailure("Simulation: w\(worker) resumes but is not paused")
        }
        record(.worker(worker), .resume(point))
        workers[worker].paused = nil
        if let held = workers[worker].heldActions {
            workers[worker].heldActions = nil
            perform(held, worker: worker)
        }
        while workers[worker].paused == nil, !workers[worker].inbox.isEmpty {
            let next = workers[worker].inbox.removeFirst()
            process(next, worker: worker)
        }
    }

    /// Carries out a step's actions for a worker.
    private mutating func perform(_ actions: Actions, worker: Int) {
        guard let first = actions.first else { return }
        // Only a worker with faults can pause: the others skip the pause-point test of every command.
        let mayPause = !faultsOfWorker[worker].isEmpty
        if mayPause, case .send(let command) = first, let point = PausePoint.before(command, variant: variant),
            pauseIfDue(worker, at: point)
        {
            workers[worker].heldActions = actions
            return
        }
        carryOut(first, worker: worker)
        if let second = actions.second {
            if mayPause, case .send(let command) = second, let point = PausePoint.before(command, variant: variant),
                pauseIfDue(worker, at: point)
            {
                workers[worker].heldActions = Actions(second)
                return
            }
            carryOut(second, worker: worker)
        }
    }

    private mutating func carryOut(_ action: Action, worker: Int) {
        switch action {
        case .send(let asked):
            let command = mutation == .none ? asked : mutation.sent(asked)
            let call = workers[worker].callNumber
            let number = workers[worker].commandNumber + 1
            workers[worker].commandNumber = number
            workers[worker].outstanding = OutstandingCommand(number: number, command: command)
            let epoch = workers[worker].epoch
            let delay = chooser.delay(
                .network(worker: worker, call: call, command: number, direction: .request),
                in: networkLatency)
            let deadline = now + variant.commandTimeoutMicroseconds
            workers[worker].outstandingDeadlineMicroseconds = deadline
            schedule(.request(worker: worker, epoch: epoch, call: call, command: number), at: now + delay)
            // The timeout is queued only when it can fire: when the request itself arrives no sooner. Otherwise it
            // is queued at the server, once it is known whether the reply comes back in time (``execute``). This
            // keeps the queue to what is in flight instead of a second of dead timers per worker.
            if now + delay >= deadline {
                schedule(.commandTimeout(worker: worker, epoch: epoch, call: call, command: number), at: deadline)
            }

        case .startLoad(let key):
            let call = workers[worker].callNumber
            let version = sourceVersions[key] ?? 0
            record(.worker(worker), .loadStart(key: key, version: version))
            let override = scenario.origin.override(worker: worker, callNumber: call)
            let latency =
                override?.latencyMicroseconds
                ?? chooser.delay(.origin(worker: worker, call: call), in: originLatency)
            schedule(
                .originAnswer(worker: worker, call: call, key: key, version: version, fails: override?.fails ?? false),
                at: now + latency)
            if mutation == .writeBeforeLoadEnds {
                let early = workers[worker].machine!.originLoaded(value(ofVersion: version), nowMicroseconds: now)
                perform(early, worker: worker)
            }

        case .armTimer(let deadline):
            schedule(.originTimer(worker: worker, call: workers[worker].callNumber, deadlineMicroseconds: deadline), at: deadline)

        case .stopLoad:
            break  // the origin goes on; its answer is recorded and ignored

        case .finish(let outcome):
            record(.worker(worker), .return(outcome))
            results[workers[worker].callIndex] = CallResult(
                worker: worker, callNumber: workers[worker].callNumber, key: workers[worker].key, outcome: outcome,
                releaseResult: workers[worker].machine?.releaseResult)
            returnedCalls += 1
            workers[worker].machine = nil
            workers[worker].outstanding = nil
            if !workers[worker].waitingCalls.isEmpty {
                let next = workers[worker].waitingCalls.removeFirst()
                startCall(next)
            }
        }
    }
}
