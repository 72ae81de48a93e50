import Foundation
import LeaseCache
import Logging
import RealRedis
import RedisClient
import Synchronization
import Trace

/// `leaselab stress`: #4821's race test at scale against a real Redis, with the server's MONITOR history replayed
/// and judged for the protocol's properties.
///
/// The same pieces as ``RaceTest`` (LeaseCache over many connections, a ``RecordingOrigin``), at a larger scale and
/// with what a judgement needs: a token per call that names its connection (`w<worker>.<n>`, so MONITOR lines decode
/// into the trace vocabulary), the origin's load intervals, writers that invalidate (``SourceWriters``), and a
/// MONITOR client attached for the whole run.
///
/// Safety on a server that is not ours: every key is under the run's prefix (seeded, used, and deleted at the end
/// by name, never FLUSHDB); the monitor keeps only lines under that prefix.
public struct StressRun: Sendable {
    /// Where the server is, and the password for AUTH (never printed).
    public let host: String
    public let port: Int
    public let password: String?
    public let parameters: StressParameters

    public init(host: String, port: Int, password: String? = nil, parameters: StressParameters) {
        self.host = host
        self.port = port
        self.password = password
        self.parameters = parameters
    }

    /// How far a run has got, for a progress line.
    public struct Progress: Sendable {
        public var callsReturned: Int
        public var calls: Int
        public var elapsedMicroseconds: Int64
    }

    /// Something to do at a known point of the run, on the connection thread of the call that reaches it: for
    /// tests that break the server mid-run (a sleep would race a run that can finish first on a loaded machine).
    public struct MidRun: Sendable {
        /// When this many calls have returned.
        public var afterCalls: Int
        public var action: @Sendable () -> Void

        public init(afterCalls: Int, action: @escaping @Sendable () -> Void) {
            self.afterCalls = afterCalls
            self.action = action
        }
    }

    /// How often ``run(logger:progress:midRun:)`` reports progress.
    public static let progressIntervalMicroseconds: Int64 = 1_000_000

    /// Runs the calls and the writers, then judges the history.
    ///
    /// Throws a ``StressError`` only when nothing could be run (bad parameters, the server unreachable or refusing
    /// AUTH, MONITOR refused). A server that dies mid-run is not thrown: the calls end in error outcomes, the report
    /// says the history check is off and why, and names the server.
    public func run(
        logger: Logger = Logger(label: "leaselab.stress"),
        progress: (@Sendable (Progress) -> Void)? = nil,
        midRun: MidRun? = nil
    ) async throws(StressError) -> StressReport {
        if let problem = parameters.problems.first { throw .badParameters(problem) }
        let endpoint = "\(host):\(port)"
        let prefix = parameters.keyPrefix
        let keys = parameters.keyNames

        // Before any call: the harness's connection, the clocks, the monitor, the writers. Each failure here
        // throws one line and leaves nothing behind.
        let admin: RedisConnection
        let clockOffset: ClockOffset
        do {
            admin = try RedisConnection.session(
                host: host, port: port, password: password, commandTimeoutMicroseconds: 5_000_000)
            clockOffset = try ClockOffset.measure(on: admin)
        } catch let error as StressError {
            throw error
        } catch {
            throw .notReady("\(error)")
        }
        defer { admin.close() }
        var clientNames: [String: String] = [:]
        if let address = Self.clientAddress(of: admin) { clientNames[address] = "harness" }

        let monitor: RedisMonitor?
        if parameters.monitor {
            do {
                monitor = try RedisMonitor(
                    host: host, port: port, password: password, keyPrefix: prefix,
                    capacity: min(parameters.monitorCapacity, RedisMonitor.capacityMaximum))
            } catch {
                if error.isServerRefusal { throw .monitorRefused(endpoint: endpoint, cause: error.serverMessage ?? "\(error)") }
                throw .notReady(error.description)
            }
        } else {
            monitor = nil
        }

        // Seeded with MONITOR watching, so the history starts from a state it shows: every key at v1.
        do {
            _ = try admin.pipeline(
                keys.map { ["SET", prefix + $0, CacheValue(version: 1).description, "EX", String(parameters.variant.cacheTTLSeconds)] }
                    .map { $0.map { Array($0.utf8) } })
        } catch {
            monitor?.close()
            throw .notReady(error.description)
        }

        let origin = RecordingOrigin(
            versions: Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) }),
            latencyMicroseconds: parameters.originLatencyMicroseconds, clock: { UnixClock.nowMicroseconds() })
        let writers: SourceWriters
        let cache: LeaseCache
        do {
            writers = try SourceWriters(
                count: parameters.writers, firstWorker: parameters.connections + 1, keys: keys, origin: origin,
                variant: parameters.variant, keyPrefix: prefix, invalidate: parameters.invalidate,
                intervalMicroseconds: parameters.writeIntervalMicroseconds,
                host: host, port: port, password: password)
            // Every call passes its own token (``CallBoard``): the generator is never asked.
            cache = try LeaseCache(
                configuration: LeaseCacheConfiguration(
                    host: host, port: port, connections: parameters.connections,
                    threads: parameters.threads, pipelining: parameters.pipelining, variant: parameters.variant,
                    keyPrefix: prefix,
                    password: password),
                origin: origin.function, tokens: SymbolicTokenGenerator(worker: 0), logger: logger)
        } catch {
            monitor?.close()
            Self.deleteKeys(keys, prefix: prefix, on: admin)
            throw .notReady("\(error)")
        }

        // The calls.
        let started = UnixClock.nowMicroseconds()
        let returned = ReturnedCalls()
        let reporter = progress.map { progress in
            Task {
                let calls = parameters.calls
                while !Task.isCancelled {
                    try? await Task.sleep(for: .microseconds(Self.progressIntervalMicroseconds))
                    if Task.isCancelled { break }
                    progress(
                        Progress(
                            callsReturned: returned.count.load(ordering: .relaxed), calls: calls,
                            elapsedMicroseconds: UnixClock.nowMicroseconds() - started))
                }
            }
        }
        let board = await runCalls(cache: cache, keys: keys, returned: returned, midRun: midRun)
        let ended = UnixClock.nowMicroseconds()
        // Gathered once the clock has stopped: copying every record is not part of the run.
        let calls = board.records
        let commandsSent = cache.commandsSent
        let deepestPipeline = cache.deepestPipeline
        reporter?.cancel()
        let written = writers.stop()
        clientNames.merge(written.clientNames) { first, _ in first }
        let quiet = UnixClock.nowMicroseconds()

        // The history, then the server's own word on leases left, then the cleanup.
        var problems: [String] = []
        if let failure = written.failure { problems.append("a writer stopped: \(failure)") }
        let history: StressReport.HistoryResult
        if let monitor {
            history = Self.judge(
                monitor.finish(), keyPrefix: prefix, calls: calls, loads: origin.loads, clockOffset: clockOffset,
                endServerMicroseconds: clockOffset.serverMicroseconds(ofClient: quiet), clientNames: clientNames,
                bounds: parameters.bounds, lock: parameters.variant.lock)
        } else {
            history = .off(reason: "MONITOR off (--no-monitor): outcomes and origin loads only, no history check")
        }
        var leasesLeft: [String]? = []
        do {
            for key in keys where try admin.send(strings: ["EXISTS", prefix + Command.leaseKey(of: key)])
                .integer(command: "EXISTS") != 0
            {
                leasesLeft?.append(Command.leaseKey(of: key))
            }
        } catch {
            leasesLeft = nil
            problems.append("cannot check for leases left: \(error)")
        }
        if let failure = Self.deleteKeys(keys, prefix: prefix, on: admin) {
            problems.append("cannot delete the run's keys (prefix '\(prefix)'): \(failure)")
        }

        return StressReport(
            parameters: parameters, endpoint: endpoint, elapsedMicroseconds: ended - started, calls: calls,
            latency: LatencySummary(durationsMicroseconds: calls.lazy.map(\.result.durationMicroseconds)),
            originLoads: origin.loadCounts, maximumConcurrentLoads: origin.maximumConcurrentLoads,
            writes: written.writes, refills: written.refills, leasesLeft: leasesLeft, history: history,
            problems: problems, commandsSent: commandsSent, deepestPipeline: deepestPipeline)
    }

    // MARK: - Calls

    /// Starts ``StressParameters/inFlight`` callers at once, each making calls until none is left. Call `n` of
    /// connection `w` has the token `w<w+1>.<n>` and runs on that connection's executor, so its token's worker is
    /// its connection.
    ///
    /// Each caller is a task pinned to one connection's thread that makes that connection's calls one after the
    /// other, filing a record per call: a task per call cost a task's creation, first scheduling and teardown per
    /// call on the connection's thread, about a tenth of a run's CPU, and a task group would also wake its parent on
    /// the shared pool once per call.
    ///
    /// Returns once the last call has returned, with the board holding every call's record.
    private func runCalls(cache: LeaseCache, keys: [String], returned: ReturnedCalls, midRun: MidRun?) async
        -> CallBoard
    {
        let board = CallBoard(
            calls: parameters.calls, connections: parameters.connections, keys: keys,
            executors: cache.connectionExecutors, cache: cache, returned: returned, midRun: midRun)
        await withCheckedContinuation { continuation in
            board.start(callers: min(parameters.calls, parameters.inFlight), then: continuation)
        }
        return board
    }

    // MARK: - The history

    /// Decodes, replays and judges a MONITOR record; off, with the reason, when the record is not the whole
    /// history (a partial history would show leases as left behind that were released after the break).
    static func judge(
        _ record: MonitorRecord, keyPrefix: String, calls: [CallRecord], loads: [RecordingOrigin.Load],
        clockOffset: ClockOffset, endServerMicroseconds: Int64, clientNames: [String: String],
        bounds: HistoryChecker.Bounds, lock: Lock
    ) -> StressReport.HistoryResult {
        switch record.ending {
        case .failed(let error):
            return .off(reason: "the MONITOR stream broke, so the history is incomplete and was not judged: \(error)")
        case .complete:
            break
        }
        if record.overflowed {
            return .off(
                reason: "MONITOR kept \(record.lines.count) lines and dropped \(record.overflow) past its capacity; "
                    + "the history is incomplete and was not judged: run fewer --calls")
        }
        if record.unreadable > 0 {
            return .off(
                reason: "\(record.unreadable) MONITOR lines could not be read (first: "
                    + "\(record.firstUnreadable.map { "\($0)" } ?? "-")); the history was not judged")
        }
        let history: ServerHistory
        do {
            history = try ServerHistory(lines: record.lines, keyPrefix: keyPrefix)
        } catch {
            return .off(reason: "\(error); the history was not judged")
        }
        let replay = ServerOrderReplay.replay(history, untilMicroseconds: endServerMicroseconds)
        let input = HistoryChecker.Input(
            events: replay.events, calls: calls, loads: loads, clockOffset: clockOffset,
            endServerMicroseconds: endServerMicroseconds, clientNames: clientNames)
        let findings = HistoryChecker(bounds: bounds, lock: lock).check(input)
        let callCommands = history.entries.count { clientNames[$0.client] == nil }
        return .checked(
            StressReport.HistoryCheck(
                findings: findings, events: replay.events.count, dropped: record.dropped, callCommands: callCommands,
                originServerMicroseconds: replay.events.first?.serverMicroseconds ?? endServerMicroseconds,
                bounds: bounds))
    }

    // MARK: - Keys

    /// Deletes the run's cache and lease keys by name; nil on success, else the error line. Never FLUSHDB.
    @discardableResult
    static func deleteKeys(_ keys: [String], prefix: String, on admin: RedisConnection) -> String? {
        do {
            try admin.deleteProtocolKeys(keys, prefix: prefix)
            return nil
        } catch {
            return error.description
        }
    }

    /// A connection's own address as the server sees it (`CLIENT INFO`, Redis 6.2 and later), or nil.
    static func clientAddress(of connection: RedisConnection) -> String? {
        guard let reply = try? connection.send("CLIENT", "INFO"), let bytes = try? reply.bulk(command: "CLIENT INFO")
        else { return nil }
        let field = String(decoding: bytes, as: UTF8.self).split(separator: " ").first { $0.hasPrefix("addr=") }
        return field.map { String($0.dropFirst("addr=".count)) }
    }
}

/// How many calls have returned, shared with the progress reporter.
final class ReturnedCalls: Sendable {
    let count = Atomic<Int>(0)
}

/// The calls of a run: which each connection makes next, the records filed so far, and who to tell when the last
/// returns.
///
/// Lock-light on purpose: every connection thread files a record and claims a call per call, and one shared
/// `Mutex` here cost about a third of a run's CPU (Linux's `Mutex` sleeps in the kernel when contended). The
/// claims and the count are atomics; each connection files into its own list, touched by its own thread only.
///
/// The calls are dealt round robin, as if numbered `0..<calls` and call `i` went to connection `i % connections`:
/// connection `w` makes calls `1...callsOf(w)`, its `n`-th on key `(w + n - 1) % keys` (every connection visits
/// every key).
final class CallBoard: Sendable {
    /// One connection's part: its calls claimed so far (a claim past ``callsOf(_:)`` finds nothing: the count may
    /// overshoot) and a slot for each of its calls' records, by call number.
    ///
    /// Unlocked, and `@unchecked`: a call of connection `w` runs on `w`'s executor, so only `w`'s loop thread
    /// writes `w`'s slots, each once; they are read only after the last call has returned, which the board's
    /// acquiring-and-releasing count of returned calls orders after every write. A record is moved into its slot:
    /// a lock's closure copied it, retaining each of its references, about six per call.
    private final class Lane: @unchecked Sendable {
        let claimed = Atomic<Int>(0)
        private let slots: UnsafeMutableBufferPointer<CallRecord?>

        init(calls: Int) {
            slots = .allocate(capacity: calls)
            slots.initialize(repeating: nil)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        /// Files call `number`'s record (from 1), on this connection's thread.
        ///
        /// Written over the slot's `nil` without reading it first: an assignment read the old value to release it,
        /// and that read, of memory last touched when the slots were made, missed every cache. A `nil` holds no
        /// reference, so there is nothing to release (checked in debug builds).
        func file(_ record: consuming CallRecord, number: Int) {
            assert(slots[number - 1] == nil, "CallBoard: call \(number)'s record filed twice")
            (slots.baseAddress! + (number - 1)).initialize(to: consume record)
        }

        /// The records filed, by call number: only once every call has returned.
        var records: [CallRecord] {
            slots.compactMap { $0 }
        }
    }

    private let calls: Int
    private let connections: Int
    private let keys: [String]
    private let executors: [any TaskExecutor]
    private let cache: LeaseCache
    private let returned: ReturnedCalls
    private let midRun: StressRun.MidRun?
    private let lanes: [Lane]
    private let done = Mutex<CheckedContinuation<Void, Never>?>(nil)

    init(
        calls: Int, connections: Int, keys: [String], executors: [any TaskExecutor], cache: LeaseCache,
        returned: ReturnedCalls, midRun: StressRun.MidRun?
    ) {
        precondition(connections >= 1 && executors.count == connections, "CallBoard: \(connections) connections")
        self.calls = calls
        self.connections = connections
        self.keys = keys
        self.executors = executors
        self.cache = cache
        self.returned = returned
        self.midRun = midRun
        self.lanes = (0..<connections).map { Lane(calls: Self.callsOf($0, calls: calls, connections: connections)) }
    }

    /// How many calls connection `worker` makes.
    func callsOf(_ worker: Int) -> Int {
        Self.callsOf(worker, calls: calls, connections: connections)
    }

    private static func callsOf(_ worker: Int, calls: Int, connections: Int) -> Int {
        worker < calls ? (calls - worker + connections - 1) / connections : 0
    }

    /// Starts `callers` callers, caller `j` at home on connection `j % connections`; `done` is resumed once the last
    /// call has returned (then ``records`` holds them all).
    func start(callers: Int, then done: CheckedContinuation<Void, Never>) {
        guard calls > 0 else {
            done.resume()
            return
        }
        self.done.withLock { $0 = done }
        for caller in 0..<max(1, callers) {
            let home = caller % connections
            Task(executorPreference: executors[home]) { [self] in
                await makeCalls(home: home)
            }
        }
    }

    /// One caller: its home connection's calls while there are some, then any other connection's (on that
    /// connection's executor), so that no call is left when there are fewer callers than connections.
    ///
    /// The home loop is written out rather than run through `withTaskExecutorPreference(nil)` with the others': that
    /// wrapper's closure added one and a half executor switches per call.
    private func makeCalls(home: Int) async {
        while let number = claim(on: home) {
            await makeCall(number, on: home)
        }
        for offset in 1..<connections {
            let worker = (home + offset) % connections
            guard lanes[worker].claimed.load(ordering: .relaxed) < callsOf(worker) else { continue }
            await withTaskExecutorPreference(executors[worker]) {
                while let number = claim(on: worker) {
                    await makeCall(number, on: worker)
                }
            }
        }
    }

    /// Claims connection `worker`'s next call number (from 1), or nil when it has made them all.
    private func claim(on worker: Int) -> Int? {
        let number = lanes[worker].claimed.add(1, ordering: .relaxed).newValue
        return number <= callsOf(worker) ? number : nil
    }

    /// One call and its record. Inlined into the caller's loop, for the reason ``LeaseCache`` inlines its own
    /// steps: fewer executor switches per call.
    @inline(__always)
    private func makeCall(_ number: Int, on worker: Int) async {
        let token = Token(worker: worker + 1, call: number)
        let key = keys[(worker + number - 1) % keys.count]
        let result = await cache.evictAndReloadResult(key, token: token)
        file(
            CallRecord(
                token: token, key: key, worker: worker + 1, returnMicroseconds: UnixClock.nowMicroseconds(),
                result: result),
            number: number, worker: worker)
    }

    private func file(_ record: consuming CallRecord, number: Int, worker: Int) {
        lanes[worker].file(record, number: number)
        let count = returned.count.add(1, ordering: .acquiringAndReleasing).newValue
        if let midRun, count == midRun.afterCalls { midRun.action() }
        guard count == calls else { return }
        // The last call: every other call has filed before its count went up (acquire/release above).
        let continuation = done.withLock { held in
            defer { held = nil }
            return held
        }
        continuation?.resume()
    }

    /// Every call's record, by connection then call number: once the last call has returned (checked).
    var records: [CallRecord] {
        precondition(returned.count.load(ordering: .acquiring) == calls, "CallBoard: records read before the last call")
        return lanes.flatMap(\.records)
    }
}

