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
    private var items: [ItemSlot] = []
    /// The first free slot in `items` (the others are linked from it), or -1 when none is free.
    private var firstFreeSlot: Int32 = -1
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
    /// The keys by number, with their expiry keys' names and ranks.
    private var keys: KeyTable
    /// The deadline (ms) of the one expiry item queued per expiry key; see ``scheduleExpiry``.
    private var expiryQueued: [Int64?]
    /// Each worker's faults: their index in the scenario's `faults:` and what they do.
    private let faultsOfWorker: [[WorkerFault]]
    private var redis = SimulatedRedis()
    /// Each key's slot in `redis`, by key index: commands on a call's key, expiries and deadlines reach the
    /// simulated Redis by slot, never hashing a key name on the hot path.
    private var redisSlots: [Int] = []
    /// Each key's source version, by key index (0 until set).
    private var sourceVersions: [Int]

    // MARK: Workers, by worker number (index 0 unused), one flat array per part

    /// The plain part of each worker.
    private var workers: [WorkerState]
    /// Each worker's call in progress, or its last call (finished) or a placeholder (never started) while it is
    /// idle: `busy` says which. Not optionals: every input reached a machine through an unwrap in place, and a
    /// finished call's machine was moved out to be read; it now stays until the next call replaces it.
    private var machines: [EvictAndReload]
    /// Each worker's outstanding command (meaningful while its `outstandingNumber` is not 0).
    private var outstandingCommands: [Command?]
    /// Each worker's reply on its way, if any.
    private var repliesInFlight: [ReplyInFlight?]
    /// Each worker's scenario calls due while busy, in order (indices into the scenario's calls).
    private var waitingCalls: [[Int]]
    /// Each worker's actions held by a pause before a command, carried out at resume.
    private var heldActions: [Actions?]
    /// Each worker's inputs that arrived while paused, in arrival order.
    private var inboxes: [[Item]]
    /// Each worker's pause points already used in its call in progress (each strikes at most once per call).
    private var pausesUsed: [Set<PausePoint>]

    private let calls: [CallSpec]
    private let writeTimes: [Int64]
    /// Each scenario write's key, as an index into the key names.
    private let writeKeyIndices: [Int]
    private let networkLatency: LatencyRange
    private let originLatency: LatencyRange
    private var events: [TraceEvent] = []
    private var eventCount = 0
    /// Each scenario call's result, by the call's index in the scenario (time order); until the call returns, a
    /// placeholder whose worker is 0 (workers count from 1), which is how ``returnedResults()`` tells them apart.
    /// Not optionals: when every call returns, as in any run that ends, this is the result's list as it stands,
    /// with no pass to unwrap it.
    private var results: [CallResult]
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
        var keys = KeyTable(scenario: scenario)
        self.calls = scenario.calls.map {
            CallSpec(
                atMicroseconds: $0.atMicroseconds, worker: $0.worker, callNumber: $0.callNumber,
                keyIndex: keys.index(of: $0.key))
        }
        self.writeKeyIndices = scenario.writes.map { keys.index(of: $0.key) }
        self.keys = keys
        self.sourceVersions = Array(repeating: 0, count: keys.names.count)
        self.expiryQueued = Array(repeating: nil, count: keys.expiryNames.count)
        let workerSlots = scenario.workerCount + 1  // index 0 unused
        self.workers = Array(repeating: WorkerState(), count: workerSlots)
        self.machines = Array(
            repeating: EvictAndReload(key: "", worker: 0, call: 0, variant: variant), count: workerSlots)
        self.outstandingCommands = Array(repeating: nil, count: workerSlots)
        self.repliesInFlight = Array(repeating: nil, count: workerSlots)
        self.waitingCalls = Array(repeating: [], count: workerSlots)
        self.heldActions = Array(repeating: nil, count: workerSlots)
        self.inboxes = Array(repeating: [], count: workerSlots)
        self.pausesUsed = Array(repeating: [], count: workerSlots)
        self.writeTimes = scenario.writes.map(\.atMicroseconds)
        self.networkLatency = scenario.network.latency
        self.originLatency = scenario.origin.latency
        self.results = Array(
            repeating: CallResult(worker: 0, callNumber: 0, key: "", outcome: .miss, releaseResult: nil),
            count: scenario.calls.count)
        self.faultDecisions = Array(repeating: nil, count: scenario.faults.count)
        var faultsOfWorker = Array(repeating: [WorkerFault](), count: scenario.workerCount + 1)
        for (index, fault) in scenario.faults.enumerated() {
            if let worker = fault.worker, faultsOfWorker.indices.contains(worker) {
                faultsOfWorker[worker].append(WorkerFault(index: index, kind: fault.kind))
            }
        }
        self.faultsOfWorker = faultsOfWorker
        growKeyState()
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
            events: events, eventCount: eventCount, calls: returnedResults(),
            endMicroseconds: now, peakQueueLength: peakQueueLength, itemsProcessed: itemsProcessed,
            limitReached: limitReached)
    }

    /// The results of the calls that returned, in the scenario's call order.
    private func returnedResults() -> [CallResult] {
        if returnedCalls == results.count { return results }
        var list: [CallResult] = []
        list.reserveCapacity(returnedCalls)
        for index in results.indices where results[index].worker != 0 {
            list.append(results[index])
        }
        return list
    }

    // MARK: - Set-up

    private mutating func setUp() {
        for key in scenario.keys {
            let index = keyIndex(of: key.key)
            sourceVersions[index] = key.sourceVersion
            if let cached = key.cachedVersion {
                let deadline = SimulatedRedis.deadline(
                    ttlMilliseconds: Int64(variant.cacheTTLSeconds) * 1_000, nowMicroseconds: 0)
                redis.store(key.key, value: value(ofVersion: cached).bytes, deadlineMilliseconds: deadline)
                scheduleExpiry(keys.cacheExpiryKey(of: index), deadlineMilliseconds: deadline)
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
        if firstFreeSlot >= 0 {
            slot = firstFreeSlot
            guard case .free(let next) = items[Int(slot)] else {
                preconditionFailure("Simulation: free slot \(slot) holds \(items[Int(slot)])")
            }
            firstFreeSlot = next
            items[Int(slot)] = .queued(item)
        } else {
            slot = Int32(items.count)
            items.append(.queued(item))
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
    private mutating func scheduleExpiry(_ expiryKey: Int, deadlineMilliseconds: Int64) {
        if let queued = expiryQueued[expiryKey], queued <= deadlineMilliseconds { return }
        expiryQueued[expiryKey] = deadlineMilliseconds
        schedule(
            .expire(expiryKey: expiryKey, deadlineMilliseconds: deadlineMilliseconds),
            at: (deadlineMilliseconds + 1) * 1_000, priority: 0, expiryRank: keys.expiryRanks[expiryKey])
    }

    /// An expiry item fires: expires the key if its deadline is this one, or re-queues at its current deadline.
    private mutating func expireDue(_ expiryKey: Int, deadlineMilliseconds: Int64) {
        guard expiryQueued[expiryKey] == deadlineMilliseconds else { return }  // replaced by an earlier one
        expiryQueued[expiryKey] = nil
        // Expiry key `2 * index` is key `index` itself, `2 * index + 1` its lease (see ``KeyTable``).
        let slot = redisSlots[expiryKey / 2]
        let lease = expiryKey % 2 == 1
        if redis.expire(slot: slot, lease: lease, deadlineMilliseconds: deadlineMilliseconds) {
            let key = keys.expiryNames[expiryKey]
            record(.server, .expire(key: key))
        } else if let later = redis.deadline(slot: slot, lease: lease) {
            scheduleExpiry(expiryKey, deadlineMilliseconds: later)
        }
    }

    /// The index of the key named `name`, numbering it (and making room for its state) if it is new.
    private mutating func keyIndex(of name: String) -> Int {
        let index = keys.index(of: name)
        growKeyState()
        return index
    }

    /// The index of the key a worker's action or command names: almost always its call's key, recognised by a
    /// string comparison (no hashing); any other key is looked up.
    private mutating func keyIndex(of name: String, worker: Int) -> Int {
        let callKey = workers[worker].keyIndex
        return keys.names[callKey] == name ? callKey : keyIndex(of: name)
    }

    /// The expiry key of the key named `name` (a cache key or a lease key), numbering it if it is new.
    private mutating func expiryKey(named name: String) -> Int {
        let expiryKey = keys.expiryKey(named: name)
        growKeyState()
        return expiryKey
    }

    /// Makes room in the per-key state for keys numbered since.
    private mutating func growKeyState() {
        while redisSlots.count < keys.names.count {
            redisSlots.append(redis.slot(of: keys.names[redisSlots.count]))
        }
        if sourceVersions.count < keys.names.count {
            sourceVersions.append(contentsOf: repeatElement(0, count: keys.names.count - sourceVersions.count))
        }
        if expiryQueued.count < keys.expiryNames.count {
            expiryQueued.append(contentsOf: repeatElement(nil, count: keys.expiryNames.count - expiryQueued.count))
        }
    }

    /// Takes an item out of its slot. Always inlined: it is a few loads and stores, once per item.
    @inline(__always)
    private mutating func take(_ scheduled: Scheduled) -> Item {
        let slot = Int(scheduled.slot)
        guard case .queued(let item) = items[slot] else { preconditionFailure("Simulation: slot \(slot) is empty") }
        items[slot] = .free(next: firstFreeSlot)
        firstFreeSlot = scheduled.slot
        if scheduled.priority != 0 { queuedOtherThanExpiries -= 1 }
        return item
    }

    /// The item `scheduled` names, left in its slot.
    private func queuedItem(_ scheduled: Scheduled) -> Item {
        guard case .queued(let item) = items[Int(scheduled.slot)] else {
            preconditionFailure("Simulation: slot \(scheduled.slot) is empty")
        }
        return item
    }

    /// Feeds the scenario's calls and writes due by `due` (the earliest queued instant, or sooner) into the
    /// queue, so everything due at that instant is there to be chosen among.
    private mutating func feedTimeline(due: Int64) {
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
    private mutating func popNext() -> DueItem? {
        let queued = queue.min?.timeMicroseconds ?? Int64.max
        let callTime = nextCallIndex < calls.count ? calls[nextCallIndex].atMicroseconds : Int64.max
        let writeTime = nextWriteIndex < writeTimes.count ? writeTimes[nextWriteIndex] : Int64.max
        if callTime <= queued || writeTime <= queued {
            // A call due strictly before everything queued and the next write, and alone at its instant (so no
            // choice), would go into the queue only to come straight back out: it is taken from the timeline
            // directly. Its sequence number and the queue's peak are counted as if it had been queued, so every
            // later item and the reported peak stay the same.
            let index = nextCallIndex
            if callTime < queued, callTime < writeTime,
                index + 1 == calls.count || calls[index + 1].atMicroseconds > callTime
            {
                nextCallIndex += 1
                sequence &+= 1
                peakQueueLength = max(peakQueueLength, queue.count + 1)
                return DueItem(timeMicroseconds: callTime, item: .callStart(callIndex: index))
            }
            feedTimeline(due: min(queued, callTime, writeTime))
        }
        guard let first = queue.popMin() else { return nil }
        guard first.priority != 0, let second = queue.min, second.timeMicroseconds == first.timeMicroseconds
        else { return DueItem(timeMicroseconds: first.timeMicroseconds, item: take(first)) }
        sameInstant.removeAll(keepingCapacity: true)
        sameInstant.append(first)
        while let next = queue.min, next.timeMicroseconds == first.timeMicroseconds {
            sameInstant.append(queue.removeMin())
        }
        // A stale item goes first, unasked: it makes nothing, and the model (which has no such item) could not
        // answer for it. Plain loops, not closures: a closure over `self` here copied the whole simulation.
        var picked = -1
        for index in sameInstant.indices where isStale(queuedItem(sameInstant[index])) {
            picked = index
            break
        }
        if picked < 0 {
            var candidates: [EventIdentity] = []
            candidates.reserveCapacity(sameInstant.count)
            for entry in sameInstant {
                candidates.append(queuedItem(entry).identity(calls: calls))
            }
            picked = chooser.first(among: candidates)
            precondition(sameInstant.indices.contains(picked), "Chooser picked \(picked) of \(sameInstant.count)")
        }
        for index in sameInstant.indices where index != picked {
            queue.insert(sameInstant[index])
        }
        return DueItem(timeMicroseconds: first.timeMicroseconds, item: take(sameInstant[picked]))
    }

    /// Whether handling `item` now would do nothing at all: no event, no state change but dropping it (or
    /// parking it in a paused worker's inbox, where the model's ``process`` guards find it stale at resume too:
    /// a worker pauses only before a send or with the origin's answer held, so it waits on no reply or timer).
    private func isStale(_ item: Item) -> Bool {
        switch item {
        case .request(let worker, let epoch, _, _):
            return workers[worker].epoch != epoch
        case .reply(let worker, let epoch, let call, let number),
            .connectionLost(let worker, let epoch, let call, let number),
            .commandTimeout(let worker, let epoch, let call, let number):
            let state = workers[worker]
            guard state.paused == nil, state.busy else { return true }
            return !(state.epoch == epoch && state.callNumber == call && state.outstandingNumber == number)
        case .originTimer(let worker, let call, let deadline):
            let state = workers[worker]
            guard state.paused == nil, state.busy else { return true }
            return !(state.callNumber == call && machines[worker].timerDeadlineMicroseconds == deadline)
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
            guard case .expire(let expiryKey, _) = item, keys.expiryNames[expiryKey].hasPrefix("lease:") else { continue }
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
        if !mutation.isNone {
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
            if !workers[worker].busy && waitingCalls[worker].isEmpty {
                startCall(index)
            } else {
                waitingCalls[worker].append(index)
            }

        case .request(let worker, let epoch, let call, let number):
            guard workers[worker].epoch == epoch else { return }  // the connection broke on the way
            // On a live connection the request is the worker's outstanding command: it sends the next only after
            // this one's reply or failure, and a failure opens a new connection.
            // Moved out and back rather than copied: the command stays outstanding (a timeout or a broken
            // connection still names it), and the server's work on it costs no reference counting. Taken in the
            // guard, not tested for nil first: testing an optional command copied and destroyed it.
            guard workers[worker].outstandingNumber == number, let command = outstandingCommands[worker].take() else {
                preconditionFailure("Simulation: w\(worker)'s request \(number) arrived but \(workers[worker].outstandingNumber) (\(String(describing: outstandingCommands[worker]))) is outstanding")
            }
            execute(command, worker: worker, epoch: epoch, call: call, number: number)
            outstandingCommands[worker] = consume command

        case .reply(let worker, _, _, _), .connectionLost(let worker, _, _, _), .commandTimeout(let worker, _, _, _),
            .originTimer(let worker, _, _):
            deliver(item, to: worker)

        case .originAnswer(let worker, _, let keyIndex, let version, let fails):
            // The origin answers whether or not its caller still waits: the load counted until now.
            let key = keys.names[keyIndex]
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
            let keyIndex = writeKeyIndices[index]
            sourceVersions[keyIndex] = write.version
            record(.writer(write.writer), .write(key: write.key, version: write.version))
            if write.invalidate {
                let command = Command.delete(key: write.key)
                let reply =
                    keys.isLeaseName[keyIndex]
                    ? redis.execute(command, nowMicroseconds: now)
                    : redis.execute(command, slot: redisSlots[keyIndex], nowMicroseconds: now)
                record(.writer(write.writer), .exec(command, reply))
            }

        case .expire(let expiryKey, let deadline):
            expireDue(expiryKey, deadlineMilliseconds: deadline)

        case .restart:
            record(.server, .restart)
            redis.restart()
            for expiryKey in expiryQueued.indices {
                expiryQueued[expiryKey] = nil  // queued items find their keys gone and do nothing
            }
            for worker in 1..<workers.count {
                // Every connection breaks; a worker waiting for a reply learns of it one network delay later.
                let epoch = workers[worker].epoch + 1
                workers[worker].epoch = epoch
                let outstanding = workers[worker].outstandingNumber
                if outstanding != 0 {
                    let call = workers[worker].callNumber
                    let delay = chooser.delay(
                        .restartNotice(worker: worker, call: call, command: outstanding), in: networkLatency)
                    schedule(
                        .connectionLost(worker: worker, epoch: epoch, call: call, command: outstanding),
                        at: now + delay)
                }
            }
        }
    }

    private mutating func startCall(_ index: Int) {
        let spec = calls[index]
        let key = keys.names[spec.keyIndex]
        // The token by worker and call: its text is made only if a command carries it (most calls miss first).
        // Started before it is stored: starting it in its optional slot cost an unwrap in place and a second
        // write to the array.
        var machine = EvictAndReload(key: key, worker: spec.worker, call: spec.callNumber, variant: variant)
        var state = workers[spec.worker]
        state.busy = true
        state.callNumber = spec.callNumber
        state.callIndex = index
        state.keyIndex = spec.keyIndex
        state.commandNumber = 0
        state.outstandingNumber = 0
        workers[spec.worker] = state
        if !pausesUsed[spec.worker].isEmpty { pausesUsed[spec.worker] = [] }
        record(.worker(spec.worker), .call(key: key, call: spec.callNumber))
        let actions = machine.start(nowMicroseconds: now)
        machines[spec.worker] = consume machine
        perform(actions, worker: spec.worker)
        #if DEBUG
        checkInvariants(ofWorker: spec.worker)
        #endif
    }

    // MARK: - The server

    private mutating func execute(_ command: Command, worker: Int, epoch: Int, call: Int, number: Int) {
        let reply = executeOnRedis(command, worker: worker)
        record(.worker(worker), .exec(command, reply))
        noteDeadline(of: command, reply: reply, worker: worker)

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
        repliesInFlight[worker] = ReplyInFlight(epoch: epoch, call: call, command: number, reply: reply)
        schedule(.reply(worker: worker, epoch: epoch, call: call, command: number), at: now + delay)
    }

    /// The simulated Redis's reply to a worker's command: by slot when the command names the worker's call key
    /// (every command but get-then-delete's and delete's releases, which name the lease key), else by name.
    private mutating func executeOnRedis(_ command: Command, worker: Int) -> Reply {
        let callKey = workers[worker].keyIndex
        let named: String
        switch command {
        case .get(let key), .delete(let key), .set(let key, _, _), .acquire(let key, _, _), .release(let key, _),
            .fencedWrite(let key, _, _, _):
            named = key
        }
        guard !keys.isLeaseName[callKey], keys.names[callKey] == named else {
            return redis.execute(command, nowMicroseconds: now)
        }
        return redis.execute(command, slot: redisSlots[callKey], nowMicroseconds: now)
    }

    /// Schedules the expiry of whatever the command just stored with a deadline.
    private mutating func noteDeadline(of command: Command, reply: Reply, worker: Int) {
        guard case .status(let status) = reply, status == "OK" else { return }
        switch command {
        case .acquire(let cacheKey, _, _):
            // The lease key's deadline, looked up without building the name `lease:<key>`.
            let index = keyIndex(of: cacheKey, worker: worker)
            if let deadline = redis.deadline(slot: redisSlots[index], lease: true) {
                scheduleExpiry(KeyTable.leaseExpiryKey(of: index), deadlineMilliseconds: deadline)
            }
        case .set(let key, _, _), .fencedWrite(let key, _, _, _):
            let index = keyIndex(of: key, worker: worker)
            if keys.isLeaseName[index] {
                // A SET of a lease key by name, never sent by the protocol: its deadline is the lease's.
                if let deadline = redis.deadline(of: key) {
                    scheduleExpiry(keys.cacheExpiryKey(of: index), deadlineMilliseconds: deadline)
                }
            } else if let deadline = redis.deadline(slot: redisSlots[index], lease: false) {
                scheduleExpiry(keys.cacheExpiryKey(of: index), deadlineMilliseconds: deadline)
            }
        case .get, .delete, .release:
            return
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
        guard !pausesUsed[worker].contains(point) else { return false }
        let call = workers[worker].callNumber
        guard let index = workerFault(worker: worker, call: call, matching: { kind in
            if case .pause(_, _, _, let target) = kind { return target == point }
            return false
        }) else { return false }
        guard case .pause(_, _, let duration, _) = scenario.faults[index].kind else {
            preconditionFailure("Simulation: fault \(index) matched a pause but is \(scenario.faults[index])")
        }
        pausesUsed[worker].insert(point)
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
            inboxes[worker].append(item)
            return
        }
        process(item, worker: worker)
    }

    private mutating func process(_ item: Item, worker: Int) {
        #if DEBUG
        defer { checkInvariants(ofWorker: worker) }
        #endif
        let state = workers[worker]
        guard state.busy else { return }  // the call is over: a late timer or answer
        switch item {
        case .reply(_, let epoch, let call, let number):
            guard state.epoch == epoch, state.callNumber == call, state.outstandingNumber == number else { return }
            let taken = repliesInFlight[worker].take()
            guard let inFlight = taken, inFlight.epoch == epoch, inFlight.call == call, inFlight.command == number
            else {
                preconditionFailure("Simulation: w\(worker)'s reply to \(number) arrived but \(String(describing: taken)) is in flight")
            }
            workers[worker].outstandingNumber = 0
            let actions = machines[worker].receive(inFlight.reply, nowMicroseconds: now)
            perform(actions, worker: worker)

        case .connectionLost(_, let epoch, let call, let number):
            guard state.epoch == epoch, state.callNumber == call, state.outstandingNumber == number,
                let command = outstandingCommands[worker]
            else { return }
            fail(worker, command, .connectionLost)

        case .commandTimeout(_, let epoch, let call, let number):
            guard state.epoch == epoch, state.callNumber == call, state.outstandingNumber == number,
                let command = outstandingCommands[worker]
            else { return }
            fail(worker, command, .timeout)

        case .originAnswer(_, let call, _, let version, let fails):
            guard state.callNumber == call, machines[worker].isLoading else { return }
            if pauseIfDue(worker, at: .afterLoad) {
                inboxes[worker].append(item)
                return
            }
            let actions =
                fails
                ? machines[worker].originFailed(nowMicroseconds: now)
                : machines[worker].originLoaded(value(ofVersion: version), nowMicroseconds: now)
            perform(actions, worker: worker)

        case .originTimer(_, let call, let deadline):
            guard state.callNumber == call, machines[worker].timerDeadlineMicroseconds == deadline else { return }
            let actions = machines[worker].handleTimeout(nowMicroseconds: now)
            guard !actions.isEmpty else { return }
            let key = keys.names[state.keyIndex]
            record(.worker(worker), .originTimeout(key: key))
            perform(actions, worker: worker)

        case .callStart, .request, .resume, .sourceWrite, .expire, .restart:
            preconditionFailure("Simulation: \(item) is not a worker input")
        }
    }

    #if DEBUG
    /// A worker's plain state agrees with its parts kept beside it (STYLE 9).
    private func checkInvariants(ofWorker worker: Int) {
        let state = workers[worker]
        precondition(
            !state.busy || !machines[worker].isFinished,
            "Simulation: w\(worker) is busy but its machine is finished: \(machines[worker])")
        precondition(
            state.outstandingNumber == 0 || (state.busy && outstandingCommands[worker] != nil),
            "Simulation: w\(worker) waits on command \(state.outstandingNumber) but \(String(describing: outstandingCommands[worker])) is outstanding")
        precondition(
            state.outstandingNumber <= state.commandNumber,
            "Simulation: w\(worker) waits on command \(state.outstandingNumber) of \(state.commandNumber) sent")
    }
    #endif

    private mutating func fail(_ worker: Int, _ command: Command, _ failure: CommandFailure) {
        switch failure {
        case .timeout: record(.worker(worker), .commandTimeout(command))
        case .connectionLost: record(.worker(worker), .connectionLost(command))
        }
        workers[worker].outstandingNumber = 0
        workers[worker].epoch += 1  // the next command goes out on a fresh connection
        let actions = machines[worker].commandFailed(failure, nowMicroseconds: now)
        perform(actions, worker: worker)
    }

    private mutating func resume(_ worker: Int) {
        guard let point = workers[worker].paused else {
            preconditionFailure("Simulation: w\(worker) resumes but is not paused")
        }
        record(.worker(worker), .resume(point))
        workers[worker].paused = nil
        if let held = heldActions[worker] {
            heldActions[worker] = nil
            perform(held, worker: worker)
        }
        while workers[worker].paused == nil, !inboxes[worker].isEmpty {
            let next = inboxes[worker].removeFirst()
            process(next, worker: worker)
        }
    }

    /// Carries out a step's actions for a worker.
    ///
    /// Consumes the actions and takes them apart (``Actions/split()``): each is moved into ``carryOut``, where
    /// reading `first` and `second` off a borrowed value copied each action and later destroyed the original.
    private mutating func perform(_ actions: consuming Actions, worker: Int) {
        let (taken, second) = actions.split()
        guard let first = taken else { return }
        // Only a worker with faults can pause: the others skip the pause-point test of every command.
        let mayPause = !faultsOfWorker[worker].isEmpty
        if mayPause, case .send(let command) = first, let point = PausePoint.before(command, variant: variant),
            pauseIfDue(worker, at: point)
        {
            if let second {
                heldActions[worker] = Actions(first, second)
            } else {
                heldActions[worker] = Actions(first)
            }
            return
        }
        carryOut(first, worker: worker)
        if let second {
            if mayPause, case .send(let command) = second, let point = PausePoint.before(command, variant: variant),
                pauseIfDue(worker, at: point)
            {
                heldActions[worker] = Actions(second)
                return
            }
            carryOut(second, worker: worker)
        }
    }

    /// Carries out one action. Consumed: the command it sends moves into the worker's outstanding command
    /// instead of being copied there and destroyed here.
    private mutating func carryOut(_ action: consuming Action, worker: Int) {
        switch consume action {
        case .send(var command):
            // Replaced only under a mutation: choosing between the command and its mutant copied the command
            // into a new value and destroyed the original on every send.
            if !mutation.isNone { command = mutation.sent(command) }
            // The worker's plain state is read once and written back once: each write through the array was a
            // uniqueness check of its own.
            var state = workers[worker]
            let call = state.callNumber
            let number = state.commandNumber + 1
            let epoch = state.epoch
            let delay = chooser.delay(
                .network(worker: worker, call: call, command: number, direction: .request),
                in: networkLatency)
            let deadline = now + variant.commandTimeoutMicroseconds
            state.commandNumber = number
            state.outstandingNumber = number
            state.outstandingDeadlineMicroseconds = deadline
            workers[worker] = state
            outstandingCommands[worker] = consume command
            schedule(.request(worker: worker, epoch: epoch, call: call, command: number), at: now + delay)
            // The timeout is queued only when it can fire: when the request itself arrives no sooner. Otherwise it
            // is queued at the server, once it is known whether the reply comes back in time (``execute``). This
            // keeps the queue to what is in flight instead of a second of dead timers per worker.
            if now + delay >= deadline {
                schedule(.commandTimeout(worker: worker, epoch: epoch, call: call, command: number), at: deadline)
            }

        case .startLoad(let key):
            let call = workers[worker].callNumber
            let keyIndex = keyIndex(of: key, worker: worker)
            let version = sourceVersions[keyIndex]
            record(.worker(worker), .loadStart(key: key, version: version))
            let override = scenario.origin.override(worker: worker, callNumber: call)
            let latency =
                override?.latencyMicroseconds
                ?? chooser.delay(.origin(worker: worker, call: call), in: originLatency)
            schedule(
                .originAnswer(
                    worker: worker, call: call, keyIndex: keyIndex, version: version, fails: override?.fails ?? false),
                at: now + latency)
            if mutation == .writeBeforeLoadEnds {
                let early = machines[worker].originLoaded(value(ofVersion: version), nowMicroseconds: now)
                perform(early, worker: worker)
            }

        case .armTimer(let deadline):
            schedule(.originTimer(worker: worker, call: workers[worker].callNumber, deadlineMicroseconds: deadline), at: deadline)

        case .stopLoad:
            break  // the origin goes on; its answer is recorded and ignored

        case .finish(let outcome):
            record(.worker(worker), .return(outcome))
            var state = workers[worker]
            // Read in place: the finished machine stays in its slot until the worker's next call replaces it.
            results[state.callIndex] = CallResult(
                worker: worker, callNumber: state.callNumber, key: keys.names[state.keyIndex], outcome: outcome,
                releaseResult: machines[worker].releaseResult)
            returnedCalls += 1
            state.busy = false
            state.outstandingNumber = 0
            workers[worker] = state
            if !waitingCalls[worker].isEmpty {
                let next = waitingCalls[worker].removeFirst()
                startCall(next)
            }
        }
    }
}

/// The item taken off the queue, with its instant.
struct DueItem {
    var timeMicroseconds: Int64
    var item: Item
}
