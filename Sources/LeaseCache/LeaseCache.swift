import CoreMetrics
import LeaseCore
import Logging
import RedisClient
import Synchronization
import Trace

/// The production API: `evictAndReload(key)` of code review #4821, for a Swift service.
///
/// It drives the one LeaseCore state machine (the same the simulator runs) over a small pool of Redis connections
/// and a real origin. The connections are driven by one event loop thread (``EventLoop``; more with
/// ``LeaseCacheConfiguration/threads``) and a call runs on its connection's loop thread, as a ``CallDriver`` the
/// loop feeds reply by reply, without blocking Swift's cooperative pool. The origin runs in the calling task, on
/// the loop (or, raced against the origin timeout, in a task of its own, cancelled when the timeout fires; a call
/// never waits for an origin that ignores cancellation).
public final class LeaseCache: Sendable {
    /// The origin: loads a key's fresh value from the source of truth. It should honour task cancellation, which
    /// is how an origin timeout stops it.
    public typealias Origin = @Sendable (_ key: String) async throws -> CacheValue

    /// The configuration this cache was made with.
    public let configuration: LeaseCacheConfiguration
    let origin: Origin
    private let tokens: any TokenGenerator
    let logger: Logger
    /// Whether `logger` takes debug messages, which log every call's outcome. Read once, here: asking the log
    /// handler per call (an existential copied and retained) was a measurable part of a one-round-trip call. A
    /// `Logger` is a value, so its level stays what it was when handed over (unless its handler is a class changed
    /// from outside, which this does not follow).
    private let logsEveryCall: Bool
    private let metrics: EvictionMetrics
    private let lanes: [ConnectionLane]
    private let loops: [EventLoop]
    private let nextLane = Atomic<Int>(0)
    /// When this cache was made, on the monotonic clock: LeaseCore's time zero.
    private let epochNanoseconds: Int64
    /// The configuration's hot fields, read on every step of every call without copying the whole configuration.
    let probe: (any LeaseCallProbe)?
    let variant: ProtocolVariant
    let endpoint: String

    /// Makes a cache; connections open on first use, so an unreachable server shows as error outcomes, each naming
    /// `host:port`, not as a failure here.
    public init(
        configuration: LeaseCacheConfiguration,
        origin: @escaping Origin,
        tokens: any TokenGenerator = RandomTokenGenerator(),
        logger: Logger = Logger(label: "leaselab.cache"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(LeaseCacheError) {
        guard (1...LeaseCacheConfiguration.connectionsMaximum).contains(configuration.connections) else {
            throw LeaseCacheError(
                reason: .unexpectedReply,
                description:
                    "connections is \(configuration.connections); use 1 to \(LeaseCacheConfiguration.connectionsMaximum)")
        }
        guard configuration.callsPerConnection >= 1 else {
            throw LeaseCacheError(
                reason: .unexpectedReply,
                description: "callsPerConnection is \(configuration.callsPerConnection); use 1 or more")
        }
        guard (1...configuration.connections).contains(configuration.threads) else {
            throw LeaseCacheError(
                reason: .unexpectedReply,
                description:
                    "threads is \(configuration.threads); use 1 to the number of connections (\(configuration.connections))")
        }
        if let problem = configuration.variant.problems.first {
            throw LeaseCacheError(
                reason: .unexpectedReply, description: "variant knob \(problem.knob): \(problem.problem)")
        }
        self.configuration = configuration
        self.origin = origin
        self.tokens = tokens
        self.logger = logger
        self.logsEveryCall = logger.logLevel <= .debug
        self.metrics = EvictionMetrics(factory: metricsFactory)
        guard configuration.replySpinMicroseconds >= 0 else {
            throw LeaseCacheError(
                reason: .unexpectedReply,
                description: "replySpinMicroseconds is \(configuration.replySpinMicroseconds); use 0 (no spin) or more")
        }
        let loops = (0..<configuration.threads).map {
            EventLoop(name: "leaselab.redis.\($0)", replySpinMicroseconds: configuration.replySpinMicroseconds)
        }
        let lanes = (0..<configuration.connections).map {
            ConnectionLane(
                index: $0, loop: loops[$0 % loops.count], configuration: configuration, logger: logger)
        }
        for (number, loop) in loops.enumerated() {
            loop.start(lanes: lanes.enumerated().filter { $0.offset % loops.count == number }.map(\.element))
        }
        self.loops = loops
        self.lanes = lanes
        self.probe = configuration.probe
        self.variant = configuration.variant
        self.endpoint = configuration.endpoint
        self.epochNanoseconds = monotonicNanoseconds()
    }

    deinit {
        for (number, loop) in loops.enumerated() {
            let own = lanes.enumerated().filter { $0.offset % loops.count == number }.map(\.element)
            loop.stop(then: { for lane in own { lane.close() } })
        }
    }

    /// Evicts and reloads `key`: returns the fresh value, the stale one (contended, origin failed or timed out),
    /// or nil for a miss; throws when a command failed.
    public func evictAndReload(_ key: String) async throws(LeaseCacheError) -> CacheValue? {
        let result = await evictAndReloadResult(key)
        switch result.outcome {
        case .fresh(let value, _), .stale(let value, _):
            return value
        case .miss:
            return nil
        case .error(let reason):
            throw LeaseCacheError(reason: reason, description: result.failure ?? "\(configuration.endpoint): \(reason)")
        }
    }

    /// Evicts and reloads `key`, and tells everything about how it went.
    ///
    /// The call runs on a connection's loop thread as a ``CallDriver``, fed reply by reply, while this task waits
    /// for it there (the task prefers the connection's executor for the call's length); it wakes only to run the
    /// origin (so the origin sees its task-local values) and for the result. The call first waits for one of the
    /// connection's ``LeaseCacheConfiguration/callsPerConnection`` slots (its duration counts that wait). A caller
    /// pinned to one of the connections (``connectionExecutors``) starts its call there with no hop.
    ///
    /// Why the task waits on the loop rather than on the shared pool: nothing of the call then needs a pool
    /// thread, so a pool kept busy elsewhere (blocking work on it, a flood of tasks) cannot hold a lease holder's
    /// origin load back until its lease expires.
    ///
    /// Not `nonisolated(nonsending)`, unlike the steps it runs: it leaves an actor caller's executor first, so that
    /// the origin load never waits for the actor (a default actor runs on the shared pool).
    public func evictAndReloadResult(_ key: String) async -> EvictionResult {
        await evictAndReloadResult(key, token: tokens.nextToken())
    }

    /// ``evictAndReloadResult(_:)`` with a token the caller chose, which must be unique as a generator's are: for
    /// `leaselab stress`, whose tokens name the call's connection and number (`w<worker>.<n>`) so that the
    /// server's MONITOR lines decode into the trace vocabulary.
    ///
    /// Why a parameter and not a task-local the token generator reads: binding a task-local around every call
    /// cost the harness a task-local push and pop per call. `nonisolated(nonsending)` (see ``run(_:token:on:)``): for
    /// a caller that is not an actor, whose call then runs wholly on the connection's thread, as the harness's
    /// pinned tasks are; an actor's call would come back to the actor between its steps.
    @inline(__always)
    package nonisolated(nonsending) func evictAndReloadResult(_ key: String, token: Token) async -> EvictionResult {
        if let lane = currentLane() {
            return await run(key, token: token, on: lane)
        }
        let lane = leastBusyLane()
        return await withTaskExecutorPreference(lane) {
            await self.run(key, token: token, on: lane)
        }
    }

    /// The token of the `evictAndReload` call the current origin load runs for, or nil outside a load: bound by
    /// LeaseCache around every origin call (inherited by the task a load raced against the origin timeout runs
    /// in), so that an origin can log or record which call asked. ``RecordingOrigin`` records it with each load.
    @TaskLocal public static var loadingToken: Token?

    /// Runs one call on `lane`, from a task that prefers `lane`'s executor.
    ///
    /// Inlined, and `nonisolated(nonsending)` as its callers are: each async function a call goes through switches
    /// to the generic executor on entry and after each await, unless it runs on its caller's executor, and each
    /// switch asks the task for its preferred executor under the task's status lock. A stress call made 7.5
    /// switches; inlined 3.8 (about 8 % less user CPU); run on the caller's executor, 2.
    @inline(__always)
    private nonisolated(nonsending) func run(_ key: String, token: Token, on lane: ConnectionLane) async
        -> EvictionResult
    {
        lane.active.add(1, ordering: .relaxed)
        defer { lane.active.subtract(1, ordering: .relaxed) }
        let call = CallDriver(
            cache: self, lane: lane, key: key, token: token, startMicroseconds: nowMicroseconds())
        var step = await withUnsafeContinuation { waiter in
            // On the loop (a caller pinned to it): directly, with no closure to allocate.
            if lane.loop.isCurrent {
                call.attach(waiter)
                lane.admit(call)
            } else {
                lane.loop.enqueue {
                    call.attach(waiter)
                    lane.admit(call)
                }
            }
        }
        while true {
            switch step {
            case .finished(let result):
                return result
            case .load(let key, let racingTimeout):
                // The load runs as a running call: every job of the origin (and of handing its answer over) goes
                // ahead of calls starting on the loop.
                step = await withTaskExecutorPreference(lane.running) {
                    await Self.$loadingToken.withValue(token) {
                        await self.load(key, racingTimeout: racingTimeout, for: call, on: lane)
                    }
                }
            }
        }
    }

    /// Runs the origin for `call` in this task (or, racing the origin timeout, in a task of its own), hands the
    /// answer over, and waits for the call's next step.
    private func load(_ key: String, racingTimeout: Bool, for call: CallDriver, on lane: ConnectionLane) async
        -> CallStep
    {
        guard racingTimeout else {
            let answer: Result<CacheValue, any Error>
            do {
                answer = .success(try await origin(key))
            } catch {
                answer = .failure(error)
            }
            return await withUnsafeContinuation { waiter in
                lane.onLoop {
                    call.attach(waiter)
                    call.answer(answer)
                }
            }
        }
        // A task of its own, so that the call can stop waiting (and cancel it) without waiting for an origin that
        // ignores cancellation. It inherits this task's task-local values; an unstructured task does not inherit
        // an executor preference, so it is given the loop's explicitly (on the shared pool, a busy pool could hold
        // it past its timeout).
        let origin = self.origin
        let running = Task(executorPreference: lane.running) { try await origin(key) }
        return await withUnsafeContinuation { waiter in
            lane.onLoop {
                call.attach(waiter)
                call.race(running)
            }
        }
    }

    /// Opens every connection now rather than at first use, so that the first calls do not pay for connecting
    /// (and authenticating). Returns the failures, one line each naming `host:port`; empty when all are open.
    /// A connection that fails here is tried again by the next call that needs it, as usual.
    public func openConnections() async -> [String] {
        var failures: [String] = []
        for lane in lanes {
            let failure = await withTaskExecutorPreference(lane) { lane.open() }
            if let failure { failures.append(failure.description) }
        }
        return failures
    }

    /// The executors of the cache's connections, one per connection. A task created with one of them as its
    /// executor preference (`Task(executorPreference:)`) runs its calls on that connection with no thread hop in or
    /// out: connection affinity, for a service that runs a worker loop per connection.
    public var connectionExecutors: [any TaskExecutor] {
        lanes
    }

    /// Commands sent to Redis so far (each one round trip; a command on a connection that could not be opened is
    /// not counted). Divided by calls it tells what a workload costs in round trips: a fresh reload under a
    /// lease is 4, a contended call 2, a miss 1.
    public var commandsSent: Int {
        lanes.reduce(0) { $0 + $1.commandsSent.load(ordering: .relaxed) }
    }

    /// Commands sent so far on each connection, in the order of ``connectionExecutors``: how the pool spread the
    /// work, and where calls pinned to a connection went.
    public var commandsSentByConnection: [Int] {
        lanes.map { $0.commandsSent.load(ordering: .relaxed) }
    }

    /// The most commands one connection has had in flight at once: 1 without pipelining (or without concurrent
    /// calls on a connection), more when calls sharing a connection overlapped their round trips.
    public var deepestPipeline: Int {
        lanes.reduce(0) { max($0, $1.deepestPipeline.load(ordering: .relaxed)) }
    }

    /// The lane whose thread the current task prefers, if any: the lane whose executor is running it
    /// (``EventLoop/runningLane``).
    private func currentLane() -> ConnectionLane? {
        for loop in loops where loop.isCurrent {
            return loop.runningLane
        }
        return nil
    }

    /// The lane with the fewest calls, looking from a rotating start so that ties spread evenly.
    private func leastBusyLane() -> ConnectionLane {
        let start = nextLane.add(1, ordering: .relaxed).oldValue
        var best = lanes[start % lanes.count]
        var bestActive = best.active.load(ordering: .relaxed)
        for offset in 1..<lanes.count where bestActive > 0 {
            let lane = lanes[(start + offset) % lanes.count]
            let active = lane.active.load(ordering: .relaxed)
            if active < bestActive {
                best = lane
                bestActive = active
            }
        }
        return best
    }

    // MARK: - Driving LeaseCore

    /// Microseconds since this cache was made: LeaseCore's `now`.
    func nowMicroseconds() -> Int64 {
        microseconds(atMonotonic: monotonicNanoseconds())
    }

    /// LeaseCore's time at a reading of the monotonic clock taken earlier.
    func microseconds(atMonotonic nanoseconds: Int64) -> Int64 {
        (nanoseconds - epochNanoseconds) / 1_000
    }

    /// One line for a reply the protocol cannot use (a server error, or a shape the command never produces), or
    /// nil for a usable one. Whether it ends the call is LeaseCore's decision; this only words it.
    static func describeUnusable(_ reply: Reply, to command: Command, endpoint: String) -> String? {
        // Worded only for an unusable reply: this runs on every reply, on the hot path.
        func name() -> String { command.description.split(separator: " ").prefix(2).joined(separator: " ") }
        switch reply {
        case .error(let message):
            return "\(endpoint): \(name()) got the error reply '\(message)'; check that no other program writes these keys, or use a key prefix of your own"
        case .other(let shape):
            return "\(endpoint): \(name()) got a reply of the wrong type (\(shape)); is this server a Redis 6 or 7 speaking RESP2?"
        case .status, .null, .bulk, .integer:
            return nil
        }
    }

    func finished(_ result: EvictionResult, key: String) {
        metrics.record(result)
        switch result.outcome {
        case .error:
            logger.warning(
                "evictAndReload failed",
                metadata: ["key": "\(key)", "outcome": "\(result.outcome)", "error": "\(result.failure ?? "-")"])
        case .fresh, .stale, .miss:
            if logsEveryCall {
                logger.debug("evictAndReload", metadata: ["key": "\(key)", "outcome": "\(result.outcome)"])
            }
        }
    }
}

extension Outcome {
    /// Whether this is an error outcome.
    var isError: Bool {
        if case .error = self { return true }
        return false
    }
}
