import Trace

/// A state as fixed words: what the explorer runs the model's step on.
///
/// The readable ``ModelState`` holds its lists in arrays, so each successor the explorer made retained every
/// array and reallocated those the step changed (reference counting and the heap were a third of the search),
/// and its fingerprint walked the whole structure. A packed state is plain words laid out by ``PackedLayout``,
/// in one buffer shared between copies until one changes: the explorer's step copies its parent's words into
/// storage it keeps for the whole search and changes them in place, and the fingerprint and the frontier entry
/// are read straight from the words. (Held in the value itself, as an `InlineArray`, a state of a kilobyte was
/// copied whole at every read the optimizer could not prove in place: two to three times slower.)
///
/// The step, the enabled items and the properties are the same code for both storages (``StateStorage``);
/// `PackedStateTests` checks, on every reachable state of the bundled scenarios, that the packed explorer finds
/// the readable one's states, transitions and verdicts.
struct PackedState: StateStorage {
    /// The words (``PackedLayout/wordCount`` of them), shared between copies until one changes.
    private var buffer: WordBuffer
    /// Where each part is.
    private(set) var layout: PackedLayout

    /// The empty state of a layout (all parts absent, all counts zero).
    init(layout: PackedLayout) {
        buffer = WordBuffer(count: Int(layout.wordCount))
        self.layout = layout
    }

    /// Makes this the empty state of `layout` (every word zero), in this state's storage when no other state
    /// shares it and it is the right size: where the frontier starts rebuilding a level's states.
    mutating func reset(to layout: PackedLayout) {
        if buffer.count != Int(layout.wordCount) || !isKnownUniquelyReferenced(&buffer) {
            buffer = WordBuffer(count: Int(layout.wordCount))
        }
        self.layout = layout
        buffer.pointer.update(repeating: 0, count: buffer.count)
    }

    /// Calls `body` to change this state's words in place (copied first if another state shares them).
    mutating func updateWords(_ body: (UnsafeMutableBufferPointer<UInt64>) -> Void) {
        body(writableWords())
    }

    static var placeholder: PackedState { PackedState(layout: .empty) }

    mutating func assign(from other: PackedState) {
        if buffer.count == other.buffer.count && isKnownUniquelyReferenced(&buffer) {
            buffer.pointer.update(from: other.buffer.pointer, count: buffer.count)
        } else {
            buffer = other.buffer.copy()
        }
        layout = other.layout
    }

    /// The word at `index`: bounds checked in debug builds, as the writes are (``writableWords()``). Every index
    /// is a place ``PackedLayout`` worked out for this state's layout, and the release build's check on every read
    /// was a tenth of the enabled items' time; the agreement tests run every bundled search in a debug build.
    @inline(__always) func word(_ index: Int) -> UInt64 {
        assert(index >= 0 && index < buffer.count, "PackedState: word \(index) of \(buffer.count)")
        return buffer.pointer[index]
    }

    /// The words, writable, first copied if another state shares them: each change of a part takes them once,
    /// then writes its words (a uniqueness check per word written was a twentieth of the search). Valid until the
    /// state is next copied or changed; the buffer pointer checks its bounds in debug builds.
    @inline(__always) private mutating func writableWords() -> UnsafeMutableBufferPointer<UInt64> {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
        return UnsafeMutableBufferPointer(start: buffer.pointer, count: buffer.count)
    }

    /// Zeroes `count` words from `base`: a part made absent.
    @inline(__always) private mutating func clear(_ base: Int, count: Int) {
        let words = writableWords()
        for offset in 0..<count { words[base + offset] = 0 }
    }

    /// The time window in the two words from `base`.
    @inline(__always) private func window(at base: Int) -> TimeWindow {
        TimeWindow(
            earliestMicroseconds: PackedCodes.int64(word(base)), latestMicroseconds: PackedCodes.int64(word(base + 1)))
    }

    /// Writes a time window into the two words from `base`.
    @inline(__always) private static func put(
        _ window: TimeWindow, at base: Int, in words: UnsafeMutableBufferPointer<UInt64>
    ) {
        words[base] = PackedCodes.word(window.earliestMicroseconds)
        words[base + 1] = PackedCodes.word(window.latestMicroseconds)
    }

    /// Calls `body` with the words in use (for the frontier and the fingerprint), valid only inside it.
    @inline(__always) func withWords<Result>(_ body: (UnsafeBufferPointer<UInt64>) -> Result) -> Result {
        withExtendedLifetime(buffer) { body(UnsafeBufferPointer(start: buffer.pointer, count: buffer.count)) }
    }

    /// The words in use, copied.
    var wordArray: [UInt64] { withWords { Array($0) } }

    @inline(__always) var nowMicroseconds: Int64 {
        get { PackedCodes.int64(word(0)) }
        set { writableWords()[0] = PackedCodes.word(newValue) }
    }

    @inline(__always) var ghostHorizonMicroseconds: Int64 {
        get { PackedCodes.int64(word(1)) }
        set { writableWords()[1] = PackedCodes.word(newValue) }
    }

    // MARK: - Keys

    @inline(__always) var keyCount: Int { Int(layout.keyCount) }

    @inline(__always) func cacheEntry(ofKey key: Int) -> ModelRedis.CacheEntry? {
        let base = layout.cache(ofKey: key)
        let head = word(base)
        guard head != 0 else { return nil }
        return ModelRedis.CacheEntry(
            version: Int(head & ~PackedCodes.present), deadlineMilliseconds: PackedCodes.int64(word(base + 1)))
    }

    @inline(__always) mutating func setCacheEntry(_ entry: ModelRedis.CacheEntry?, ofKey key: Int) {
        let base = layout.cache(ofKey: key)
        guard let entry else { return clear(base, count: 2) }
        let words = writableWords()
        precondition(entry.version >= 0, "PackedState: version \(entry.version) below 0")
        words[base] = PackedCodes.present | UInt64(entry.version)
        words[base + 1] = PackedCodes.word(entry.deadlineMilliseconds)
    }

    @inline(__always) func leaseEntry(ofKey key: Int) -> ModelRedis.LeaseEntry? {
        let base = layout.lease(ofKey: key)
        let head = word(base)
        guard head != 0 else { return nil }
        return ModelRedis.LeaseEntry(
            token: PackedCodes.token(head & ~PackedCodes.present),
            deadlineMilliseconds: PackedCodes.int64(word(base + 1)),
            acquiredAtMicroseconds: PackedCodes.int64(word(base + 2)))
    }

    @inline(__always) mutating func setLeaseEntry(_ entry: ModelRedis.LeaseEntry?, ofKey key: Int) {
        let base = layout.lease(ofKey: key)
        guard let entry else { return clear(base, count: 3) }
        let words = writableWords()
        words[base] = PackedCodes.present | PackedCodes.token(entry.token)
        words[base + 1] = PackedCodes.word(entry.deadlineMilliseconds)
        words[base + 2] = PackedCodes.word(entry.acquiredAtMicroseconds)
    }

    @inline(__always) func sourceVersion(ofKey key: Int) -> Int {
        PackedCodes.int(word(layout.sourceVersion(ofKey: key)))
    }
    @inline(__always) mutating func setSourceVersion(_ version: Int, ofKey key: Int) {
        writableWords()[layout.sourceVersion(ofKey: key)] = PackedCodes.word(version)
    }
    @inline(__always) func loadsStarted(ofKey key: Int) -> Int {
        PackedCodes.int(word(layout.loadsStarted(ofKey: key)))
    }
    @inline(__always) mutating func setLoadsStarted(_ count: Int, ofKey key: Int) {
        writableWords()[layout.loadsStarted(ofKey: key)] = PackedCodes.word(count)
    }

    // MARK: - Calls, writes, faults

    var callCount: Int { Int(layout.callCount) }
    var writeCount: Int { Int(layout.writeCount) }
    var faultCount: Int { Int(layout.faultCount) }

    @inline(__always) func callStatus(_ index: Int) -> CallStatus {
        CallStatus(packed: byte(Int(layout.callsBase), index))
    }
    @inline(__always) mutating func setCallStatus(_ status: CallStatus, of index: Int) {
        setByte(Int(layout.callsBase), index, status.packed)
    }
    @inline(__always) func isWriteDone(_ index: Int) -> Bool {
        word(Int(layout.writesBase) + index / 64) >> UInt64(index % 64) & 1 != 0
    }
    @inline(__always) mutating func setWriteDone(_ index: Int) {
        let place = Int(layout.writesBase) + index / 64
        writableWords()[place] = word(place) | 1 << UInt64(index % 64)
    }
    @inline(__always) func faultDecision(_ index: Int) -> FaultDecision {
        FaultDecision(packed: byte(Int(layout.faultsBase), index))
    }
    @inline(__always) mutating func setFaultDecision(_ decision: FaultDecision, of index: Int) {
        setByte(Int(layout.faultsBase), index, decision.packed)
    }

    @inline(__always) private func byte(_ base: Int, _ index: Int) -> UInt64 {
        word(base + index / 8) >> UInt64(index % 8 * 8) & 0xFF
    }

    @inline(__always) private mutating func setByte(_ base: Int, _ index: Int, _ value: UInt64) {
        let shift = UInt64(index % 8 * 8)
        writableWords()[base + index / 8] = word(base + index / 8) & ~(0xFF << shift) | value << shift
    }

    // MARK: - Workers

    @inline(__always) var workerCount: Int { Int(layout.workerCount) }

    @inline(__always) func call(ofWorker worker: Int) -> ActiveCall? {
        let base = layout.call(ofWorker: worker)
        let head = word(base)
        guard head != 0 else { return nil }
        let second = word(base + 1)
        return ActiveCall(
            callIndex: Int(PackedCodes.bits(head, 0, 24)), callNumber: Int(PackedCodes.bits(head, 24, 32)),
            key: Int(PackedCodes.bits(second, 0, 24)),
            phase: PackedCodes.phase(word(base + 3), word(base + 4)),
            startedAtMicroseconds: PackedCodes.int64(word(base + 2)),
            commandsSent: Int(PackedCodes.bits(second, 24, 16)),
            pausesUsed: PausePointSet(bits: UInt8(PackedCodes.bits(second, 40, 8))))
    }

    @inline(__always) mutating func setCall(_ call: ActiveCall?, ofWorker worker: Int) {
        let base = layout.call(ofWorker: worker)
        guard let call else { return clear(base, count: PackedLayout.wordsPerCall) }
        let words = writableWords()
        precondition(call.commandsSent < 1 << 16, "PackedState: \(call.commandsSent) commands in one call")
        words[base] = PackedCodes.present | UInt64(call.callIndex) | UInt64(call.callNumber) << 24
        words[base + 1] = UInt64(call.key) | UInt64(call.commandsSent) << 24 | UInt64(call.pausesUsed.bits) << 40
        words[base + 2] = PackedCodes.word(call.startedAtMicroseconds)
        let phase = PackedCodes.phase(call.phase)
        words[base + 3] = phase.0
        words[base + 4] = phase.1
    }

    @inline(__always) func outstanding(ofWorker worker: Int) -> OutstandingCommand? {
        let base = layout.outstanding(ofWorker: worker)
        let head = word(base)
        guard head != 0 else { return nil }
        let command = PackedCodes.command(
            tag: PackedCodes.bits(head, 0, 4), key: Int(PackedCodes.bits(head, 32, 24)), a: word(base + 1),
            b: word(base + 2))
        let arrival = window(at: base + 5)
        let message: InFlight
        switch PackedCodes.bits(head, 4, 3) {
        case 1: message = .request(arrival: arrival)
        case 2:
            message = .reply(
                PackedCodes.reply(tag: PackedCodes.bits(head, 7, 3), payload: word(base + 4)), arrival: arrival)
        case 3: message = .connectionLost(arrival: arrival)
        case 4: message = .restartNotice(arrival: arrival)
        case 5: message = .lost
        default: preconditionFailure("PackedState: no message \(PackedCodes.bits(head, 4, 3))")
        }
        return OutstandingCommand(
            command: command, number: Int(PackedCodes.bits(head, 10, 22)),
            deadlineMicroseconds: PackedCodes.int64(word(base + 3)), message: message)
    }

    @inline(__always) mutating func setOutstanding(_ outstanding: OutstandingCommand?, ofWorker worker: Int) {
        let base = layout.outstanding(ofWorker: worker)
        guard let outstanding else { return clear(base, count: PackedLayout.wordsPerOutstanding) }
        let words = writableWords()
        precondition(outstanding.number < 1 << 22, "PackedState: command number \(outstanding.number)")
        let command = PackedCodes.command(outstanding.command)
        var messageTag: UInt64
        var replyTag: UInt64 = 0
        var payload: UInt64 = 0
        var arrival = TimeWindow(microseconds: 0)
        switch outstanding.message {
        case .request(let window):
            messageTag = 1
            arrival = window
        case .reply(let reply, let window):
            messageTag = 2
            (replyTag, payload) = PackedCodes.reply(reply)
            arrival = window
        case .connectionLost(let window):
            messageTag = 3
            arrival = window
        case .restartNotice(let window):
            messageTag = 4
            arrival = window
        case .lost:
            messageTag = 5
        }
        words[base] =
            PackedCodes.present | command.tag | messageTag << 4 | replyTag << 7 | UInt64(outstanding.number) << 10
            | UInt64(command.key) << 32
        words[base + 1] = command.a
        words[base + 2] = command.b
        words[base + 3] = PackedCodes.word(outstanding.deadlineMicroseconds)
        words[base + 4] = payload
        Self.put(arrival, at: base + 5, in: words)
    }

    @inline(__always) func pause(ofWorker worker: Int) -> WorkerPause? {
        guard layout.pauseWords != 0 else { return nil }
        let base = layout.pause(ofWorker: worker)
        let head = word(base)
        guard head != 0 else { return nil }
        let held: HeldInput
        switch PackedCodes.bits(head, 3, 2) {
        case 1:
            held = .send(
                PackedCodes.command(
                    tag: PackedCodes.bits(head, 6, 4), key: Int(PackedCodes.bits(head, 32, 24)), a: word(base + 3),
                    b: word(base + 4)))
        case 2:
            held = .originAnswer(version: PackedCodes.int(word(base + 3)), fails: PackedCodes.bits(head, 5, 1) != 0)
        default: preconditionFailure("PackedState: no held input \(PackedCodes.bits(head, 3, 2))")
        }
        return WorkerPause(
            point: PackedCodes.pausePoint(PackedCodes.bits(head, 0, 3)),
            resume: window(at: base + 1), held: held)
    }

    @inline(__always) mutating func setPause(_ pause: WorkerPause?, ofWorker worker: Int) {
        let base = layout.pause(ofWorker: worker)
        guard let pause else { return clear(base, count: Int(layout.pauseWords)) }
        precondition(layout.pauseWords != 0, "PackedState: a pause in a scenario with no pause fault")
        let words = writableWords()
        var head = PackedCodes.present | PackedCodes.pausePoint(pause.point)
        switch pause.held {
        case .send(let command):
            let code = PackedCodes.command(command)
            head |= 1 << 3 | code.tag << 6 | UInt64(code.key) << 32
            words[base + 3] = code.a
            words[base + 4] = code.b
        case .originAnswer(let version, let fails):
            head |= 2 << 3 | (fails ? 1 << 5 : 0)
            words[base + 3] = PackedCodes.word(version)
            words[base + 4] = 0
        }
        words[base] = head
        Self.put(pause.resume, at: base + 1, in: words)
    }

    @inline(__always) func hasWaitingCalls(ofWorker worker: Int) -> Bool { word(layout.waiting(ofWorker: worker)) != 0 }

    @inline(__always) mutating func appendWaitingCall(_ index: Int, ofWorker worker: Int) {
        let words = writableWords()
        let base = layout.waiting(ofWorker: worker)
        let count = Int(word(base))
        precondition(count < Int(layout.waitingCapacity), "PackedState: w\(worker) queues more calls than it has")
        words[base + 1 + count] = UInt64(index)
        words[base] = UInt64(count + 1)
    }

    @inline(__always) mutating func removeFirstWaitingCall(ofWorker worker: Int) -> Int {
        let words = writableWords()
        let base = layout.waiting(ofWorker: worker)
        let count = Int(word(base))
        precondition(count > 0, "PackedState: w\(worker) has no waiting call")
        let first = Int(word(base + 1))
        for position in 1..<count { words[base + position] = word(base + position + 1) }
        words[base + count] = 0
        words[base] = UInt64(count - 1)
        return first
    }

    /// A worker's waiting calls, in order.
    @inline(__always) func waitingCalls(ofWorker worker: Int) -> [Int] {
        let base = layout.waiting(ofWorker: worker)
        return (0..<Int(word(base))).map { Int(word(base + 1 + $0)) }
    }

    // MARK: - Loads

    @inline(__always) var loadCount: Int { Int(word(Int(layout.loadsBase))) }

    /// A load's first word: its call number, worker, key and failure, ordered as (worker, call) below bit 39.
    @inline(__always) private static func loadHead(_ load: OriginLoad) -> UInt64 {
        UInt64(load.call) | UInt64(load.worker) << 24 | UInt64(load.key) << 39 | (load.fails ? PackedCodes.present : 0)
    }

    private static let loadOrderMask: UInt64 = 1 << 39 - 1

    @inline(__always) func load(at position: Int) -> OriginLoad {
        let base = layout.load(position)
        let head = word(base)
        return OriginLoad(
            worker: Int(PackedCodes.bits(head, 24, 15)), call: Int(PackedCodes.bits(head, 0, 24)),
            key: Int(PackedCodes.bits(head, 39, 24)), version: PackedCodes.int(word(base + 1)),
            arrival: window(at: base + 2), fails: head & PackedCodes.present != 0)
    }

    @inline(__always) mutating func removeLoad(worker: Int, call: Int) -> OriginLoad? {
        let words = writableWords()
        let order = UInt64(call) | UInt64(worker) << 24
        let count = loadCount
        for position in 0..<count where word(layout.load(position)) & Self.loadOrderMask == order {
            let load = self.load(at: position)
            let from = layout.load(position)
            let end = layout.load(count)
            for index in from..<(end - PackedLayout.wordsPerLoad) {
                words[index] = word(index + PackedLayout.wordsPerLoad)
            }
            for index in (end - PackedLayout.wordsPerLoad)..<end { words[index] = 0 }
            words[Int(layout.loadsBase)] = UInt64(count - 1)
            return load
        }
        return nil
    }

    @inline(__always) mutating func insertLoad(_ load: OriginLoad) {
        let words = writableWords()
        let count = loadCount
        precondition(count < Int(layout.loadCapacity), "PackedState: more loads than the layout has room for")
        let head = Self.loadHead(load)
        var position = count
        while position > 0 && word(layout.load(position - 1)) & Self.loadOrderMask > head & Self.loadOrderMask {
            position -= 1
        }
        let from = layout.load(position)
        var index = layout.load(count + 1) - 1
        while index >= from + PackedLayout.wordsPerLoad {
            words[index] = word(index - PackedLayout.wordsPerLoad)
            index -= 1
        }
        words[from] = head
        words[from + 1] = PackedCodes.word(load.version)
        Self.put(load.arrival, at: from + 2, in: words)
        words[Int(layout.loadsBase)] = UInt64(count + 1)
    }

    // MARK: - Continuation

    @inline(__always) var hasContinuation: Bool { word(Int(layout.continuationBase)) != 0 }

    @inline(__always) mutating func takeContinuation() -> PendingWorks {
        var works = PendingWorks()
        let count = Int(word(Int(layout.continuationBase)))
        for position in 0..<count {
            let base = layout.work(position)
            works.append(PackedCodes.work(word(base), word(base + 1), word(base + 2)))
        }
        clear(Int(layout.continuationBase), count: 1 + count * PackedLayout.wordsPerWork)
        return works
    }

    @inline(__always) mutating func setContinuation(_ works: PendingWorks) {
        precondition(!hasContinuation, "PackedState: a continuation set over another")
        // Most steps leave none: then nothing is written (not even the uniqueness check a write makes).
        guard !works.isEmpty else { return }
        let words = writableWords()
        var count = 0
        var rest = works
        while let work = rest.first {
            precondition(
                count < PackedLayout.continuationCapacity,
                "PackedState: a continuation longer than \(PackedLayout.continuationCapacity) works")
            let base = layout.work(count)
            let code = PackedCodes.work(work)
            words[base] = code.0
            words[base + 1] = code.1
            words[base + 2] = code.2
            rest.removeFirst()
            count += 1
        }
        words[Int(layout.continuationBase)] = UInt64(count)
    }
}

/// The words of a packed state, on the heap: a state's reads go straight to them, where an inline array in the
/// state was copied whole (a kilobyte) at each read the optimizer could not prove in place.
final class WordBuffer {
    let pointer: UnsafeMutablePointer<UInt64>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    func copy() -> WordBuffer {
        let copy = WordBuffer(count: count)
        copy.pointer.update(from: pointer, count: count)
        return copy
    }

    deinit {
        pointer.deallocate()
    }
}
