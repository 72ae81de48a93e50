import DequeModule
import Logging
import RedisClient
import Synchronization
import Trace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The executor of a lane's running calls: the same loop thread, ahead of calls starting (see ``EventLoop``).
final class RunningCalls: TaskExecutor, @unchecked Sendable {
    // @unchecked: `loop` is immutable and thread-safe to enqueue on.
    let loop: EventLoop

    init(loop: EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        loop.enqueue(UnownedJob(job), on: asUnownedTaskExecutor(), lane: nil, first: true)
    }
}

/// One Redis connection, driven by an ``EventLoop``, and the task executor of the calls that use it.
///
/// A call (a ``CallDriver``) runs on the lane's loop thread: a command appends to the connection's output, and the
/// loop hands the reply to the call that sent it, on the same thread. Every method but `init` and `enqueue` runs on
/// that thread. As an executor, the lane runs the tasks of callers pinned to it (``LeaseCache/connectionExecutors``).
///
/// The connection is opened lazily, and opened again after any failure: after a timeout or a broken connection the
/// hiredis context is dead (TOOLCHAIN.md), and a reply still in flight on it must never be taken for the answer to
/// a later command. When it breaks, every command still unanswered on it fails (it may or may not have been
/// applied); commands queued and not yet sent go out on the next connection.
final class ConnectionLane: TaskExecutor, @unchecked Sendable {
    // @unchecked: everything but the atomics is touched only on `loop`'s thread (checked in debug builds).
    let loop: EventLoop
    private let configuration: LeaseCacheConfiguration
    private let logger: Logger
    // `@exclusivity(unchecked)`: loop-thread state; see ``EventLoop``.
    @exclusivity(unchecked) private var connection: RedisConnection?
    /// This lane's number, for logs.
    let index: Int
    /// The calls currently running on this lane; the pool gives a new call to the least busy lane.
    let active = Atomic<Int>(0)
    /// Commands sent on this lane's connections: round trips made, for `LeaseCache.commandsSent`.
    let commandsSent = Atomic<Int>(0)
    /// The most commands this lane has had in flight at once (written on the loop's thread, read anywhere).
    let deepestPipeline = Atomic<Int>(0)

    /// The calls waiting for the replies to the commands they sent (``CallDriver/sent``; the commands are not
    /// copied here, which would retain and release every string and byte array in them per command), oldest
    /// first: replies come in this order.
    @exclusivity(unchecked) private var inFlight: Deque<CallDriver> = []
    /// When each in-flight command times out, on the monotonic clock (`Int64.max`: never, or not written yet).
    ///
    /// Beside `inFlight` rather than in it: the loop reads the oldest deadline of every lane on every pass, and
    /// reading it from a pair copied the call too, a retain and a release per lane per pass.
    @exclusivity(unchecked) private var deadlines: Deque<Int64> = []
    /// Calls whose commands are not sent yet: only without pipelining, while a command is in flight.
    @exclusivity(unchecked) private var queued: Deque<CallDriver> = []
    /// The open connection's socket (-1: none), kept beside it so that polling does not retain the connection.
    private var descriptor: Int32 = -1
    /// Calls admitted and running on this lane, at most `configuration.callsPerConnection`.
    private var admitted = 0
    /// Calls waiting for a slot, first come first served.
    @exclusivity(unchecked) private var admissions: Deque<CallDriver> = []
    /// How many of the first `admissions` have been handed a slot and start at the loop's next pass.
    private var admissionsDue = 0
    /// Writes each command's RESP, into storage it keeps.
    @exclusivity(unchecked) private var encoder = RESPEncoder()
    /// Replies read and not yet handed to their calls (kept to reuse its storage).
    @exclusivity(unchecked) private var answered: Deque<(CallDriver, Reply)> = []
    /// Whether the connection's output buffer holds bytes not written yet.
    private var outputPending = false
    /// How many of the newest in-flight commands have no deadline yet: a command's timeout runs from its first
    /// write, as hiredis's socket timeout did, not from when a call appended it while the loop was busy.
    private var unstamped = 0

    init(index: Int, loop: EventLoop, configuration: LeaseCacheConfiguration, logger: Logger) {
        self.index = index
        self.loop = loop
        self.running = RunningCalls(loop: loop)
        self.configuration = configuration
        self.logger = logger
    }

    func enqueue(_ job: consuming ExecutorJob) {
        // Read only on the loop's thread, where it is written.
        let first = loop.isCurrent && resumingRunningCallNow
        loop.enqueue(UnownedJob(job), on: asUnownedTaskExecutor(), lane: self, first: first)
    }

    /// Whether the loop is resuming the task of a running call (see ``resumingRunningCall(_:)``).
    private var resumingRunningCallNow = false

    /// Runs `body`, which resumes the task waiting on a running call (a lease holder's caller, to run the origin):
    /// if that task is pinned to this lane, the job its resumption enqueues here goes ahead of calls starting, as
    /// a running call's steps do. (A continuation's resumption enqueues its task's job on the spot, on this
    /// thread.)
    func resumingRunningCall(_ body: () -> Void) {
        assert(loop.isCurrent, "ConnectionLane.resumingRunningCall off its loop's thread")
        resumingRunningCallNow = true
        defer { resumingRunningCallNow = false }
        body()
    }

    /// Runs a running call's step `body` on the loop's thread: now when already there, else from the loop's
    /// queue ahead of calls starting (a caller handing over the origin's answer).
    func onLoop(_ body: @escaping @Sendable () -> Void) {
        if loop.isCurrent {
            body()
        } else {
            loop.enqueue(first: true, body)
        }
    }

    /// The executor of running calls' tasks (a caller loading from the origin, a raced load, a probe's pause): its
    /// jobs run ahead of calls waiting to start on the loop.
    let running: RunningCalls

    // MARK: - On the loop's thread: calls

    /// Starts `call` when the lane has a free slot among its running calls, or when one frees up.
    func admit(_ call: CallDriver) {
        assert(loop.isCurrent, "ConnectionLane.admit off its loop's thread")
        if admitted < configuration.callsPerConnection {
            admitted += 1
            call.start()
        } else {
            admissions.append(call)
        }
    }

    /// Gives the ending call's slot to the next waiting call, if any. The next call starts when the loop next
    /// calls ``startAdmitted()`` (after its batch of jobs, before it writes), not from inside the call that ends.
    ///
    /// Why not a job per started call: a stress run's connections have hundreds of calls waiting, so nearly every
    /// call that ends hands its slot on, and a closure and a queued job per call were a heap allocation and a
    /// trip through the loop's queue each.
    func leave() {
        assert(loop.isCurrent, "ConnectionLane.leave off its loop's thread")
        if admissionsDue < admissions.count {
            admissionsDue += 1
        } else {
            admitted -= 1
        }
    }

    /// Starts the waiting calls ``leave()`` handed slots to; once per loop pass, before ``flush(nowNanoseconds:)``.
    private func startAdmitted() {
        assert(loop.isCurrent, "ConnectionLane.startAdmitted off its loop's thread")
        while admissionsDue > 0, let next = admissions.popFirst() {
            admissionsDue -= 1
            if let following = admissions.first { CallPrefetch.driver(following) }
            next.start()
        }
        assert(admissionsDue == 0, "ConnectionLane: a slot handed to a call that is not waiting")
    }

    /// Sends `call`'s command (``CallDriver/sent``); the call gets the reply (or the failure) through
    /// ``CallDriver/received(_:)``, on this thread, never from inside this method.
    ///
    /// Without pipelining a command waits while another is in flight, or while others wait before it: a call
    /// that just got its reply queues behind the calls already waiting, it does not jump them.
    func send(for call: CallDriver) {
        assert(loop.isCurrent, "ConnectionLane.send off its loop's thread")
        if !configuration.pipelining && !(inFlight.isEmpty && queued.isEmpty) {
            queued.append(call)
        } else {
            transmit(call)
        }
    }

    /// Opens the connection now unless it is open; returns why it could not be opened.
    func open() -> RedisError? {
        assert(loop.isCurrent, "ConnectionLane.open off its loop's thread")
        switch connected() {
        case .success: return nil
        case .failure(let error): return error
        }
    }

    /// Closes the connection; called on the loop's thread when the cache shuts down, when no call is running.
    func close() {
        connection?.close()
        connection = nil
        descriptor = -1
    }

    // MARK: - On the loop's thread: I/O

    /// The lane's part of a loop pass before `poll`: starts the calls ``leave()`` handed slots to, writes what the
    /// calls appended (``flush(nowNanoseconds:)``), and says what to poll the socket for and the earliest deadline;
    /// nil when nothing is awaited.
    func prepareForPoll(nowNanoseconds: Int64) -> (descriptor: Int32, events: Int16, deadlineNanoseconds: Int64)? {
        startAdmitted()
        flush(nowNanoseconds: nowNanoseconds)
        return pollInterest
    }

    /// What the loop should poll this lane's socket for, and the earliest deadline; nil when nothing is awaited.
    private var pollInterest: (descriptor: Int32, events: Int16, deadlineNanoseconds: Int64)? {
        guard let oldest = deadlines.first, descriptor >= 0 else { return nil }
        assert(descriptor == connection?.fileDescriptor, "ConnectionLane: a stale socket")
        let events = Int16(POLLIN) | (outputPending ? Int16(POLLOUT) : 0)
        return (descriptor, events, oldest)
    }

    /// Writes what the calls appended since the last poll, and starts their timeouts.
    ///
    /// `nowNanoseconds`: the monotonic clock, read by the loop once for all its lanes just before (a read per lane
    /// per pass was a tenth of the loop's clock reads); a command's timeout runs from it.
    func flush(nowNanoseconds: Int64) {
        guard outputPending, let connection else { return }
        do {
            outputPending = try !connection.flushOutput()
        } catch {
            failInFlight(error, connection: connection)
            return
        }
        let timeout = configuration.variant.commandTimeoutMicroseconds
        if unstamped > 0 && timeout > 0 {
            let deadline = nowNanoseconds + timeout * 1_000
            for position in deadlines.indices.suffix(unstamped) {
                deadlines[position] = deadline
            }
        }
        unstamped = 0
    }

    /// Handles what `poll` reported for the socket: writes the rest of the output, reads and hands out replies.
    func handle(events: Int16) {
        guard let connection else { return }
        if events & Int16(POLLOUT) != 0 { flush(nowNanoseconds: loop.polledNanoseconds) }
        guard events & ~Int16(POLLOUT) != 0, !inFlight.isEmpty else { return }
        do {
            try connection.readInput()
            while let reply = try connection.takeReadyReply() {
                answered.append((inFlight.removeFirst(), Reply(reply)))
                deadlines.removeFirst()
            }
        } catch {
            failInFlight(error, connection: connection)
            return
        }
        // Handed over once reading is done: a call's next command may go out on this connection, or break it.
        // Taken out one by one (moved, not copied and released again).
        var replies = answered
        answered = []
        while let (call, reply) = replies.popFirst() {
            call.received(.success(reply))
        }
        answered = replies
        sendQueued()
    }

    /// Fails the connection when the oldest command's timeout has passed and its reply has not come.
    func expire(now: Int64) {
        guard let oldest = deadlines.first, oldest <= now else { return }
        // A reply that arrived since the poll still counts.
        handle(events: Int16(POLLIN))
        guard let oldest = deadlines.first, oldest <= now, let connection else { return }
        failInFlight(connection.breakConnectionTimedOut(), connection: connection)
    }

    // MARK: - Internals

    private func transmit(_ call: CallDriver) {
        assert(configuration.pipelining || inFlight.isEmpty, "ConnectionLane: a second command in flight")
        let connection: RedisConnection
        if let open = self.connection, !open.isBroken {
            // The usual case, without a `Result` to build and take apart per command.
            connection = open
        } else {
            switch connected() {
            case .success(let open):
                connection = open
            case .failure(let error):
                fail(call, with: error)
                return
            }
        }
        guard let command = call.sent else {
            preconditionFailure("ConnectionLane: a call with no command to send")
        }
        encoder.reset()
        command.writeRedisArguments(keyPrefix: configuration.keyPrefix, into: &encoder)
        do {
            try encoder.withBytes { bytes throws(RedisError) in
                try connection.append(formatted: bytes, name: encoder.name)
            }
        } catch {
            fail(call, with: error)
            failInFlight(nil, connection: connection)
            return
        }
        commandsSent.add(1, ordering: .relaxed)
        call.prefetchWaiter()
        inFlight.append(call)
        deadlines.append(.max)
        assert(deadlines.count == inFlight.count, "ConnectionLane: deadlines and calls in flight disagree")
        if inFlight.count > deepestPipeline.load(ordering: .relaxed) {
            deepestPipeline.store(inFlight.count, ordering: .relaxed)
        }
        unstamped += 1
        outputPending = true
    }

    /// Without pipelining: sends the next queued command once nothing is in flight.
    private func sendQueued() {
        while inFlight.isEmpty, let next = queued.popFirst() {
            if let following = queued.first { CallPrefetch.driver(following) }
            transmit(next)
        }
    }

    /// Hands `error` to `call` from the loop's queue: a failure never reaches a call from inside its own `send`,
    /// nor from inside the lane's bookkeeping.
    private func fail(_ call: CallDriver, with error: RedisError) {
        loop.enqueue(first: true) { call.received(.failure(error)) }
    }

    /// The connection broke: the oldest unanswered command gets `error` (what broke it, when it was that
    /// command's I/O), the others a "connection broken" error naming the cause; all may or may not have been
    /// applied. Queued commands go out on a new connection.
    private func failInFlight(_ error: RedisError?, connection broken: RedisConnection) {
        assert(connection === broken, "ConnectionLane: failing a connection that is not the lane's")
        let failures = inFlight
        let unanswered = broken.abandonUnanswered()
        assert(unanswered.count == failures.count, "ConnectionLane: in flight and unanswered disagree")
        inFlight.removeAll()
        deadlines.removeAll()
        connection = nil
        descriptor = -1
        outputPending = false
        unstamped = 0
        for (position, (call, cause)) in zip(failures, unanswered).enumerated() {
            fail(call, with: position == 0 ? error ?? cause : cause)
        }
        broken.close()
        sendQueued()
    }

    private func connected() -> Result<RedisConnection, RedisError> {
        if let connection, !connection.isBroken {
            return .success(connection)
        }
        connection?.close()
        connection = nil
        descriptor = -1
        do {
            let fresh = try RedisConnection.session(
                host: configuration.host, port: configuration.port, password: configuration.password,
                username: configuration.username, database: configuration.database,
                connectTimeoutMicroseconds: configuration.connectTimeoutMicroseconds,
                commandTimeoutMicroseconds: configuration.variant.commandTimeoutMicroseconds)
            try fresh.makeNonBlocking()
            connection = fresh
            descriptor = fresh.fileDescriptor ?? -1
            return .success(fresh)
        } catch {
            logger.warning("redis connection failed", metadata: ["error": "\(error)", "lane": "\(index)"])
            return .failure(error)
        }
    }
}
