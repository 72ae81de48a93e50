import LeaseCore
import RedisClient
import Trace

/// One `evictAndReload` call, driven on its lane's loop thread: LeaseCore's machine and what it waits for.
///
/// Why an object the loop feeds, and not an async function awaiting each reply: a reply then goes from the socket
/// straight into the machine, on the thread that read it, with no task to resume and no job to queue per round
/// trip; the call's next command is in the connection's output before the loop polls again. That is the
/// simulator's way of driving LeaseCore too.
///
/// The caller's task waits on the call (``CallStep``), on the loop, and does what only it can do: it runs the
/// origin, so the origin sees the caller's task-local values (a tracing context, a logger's metadata). The steps
/// that await on the loop's side (a probe's pause, watching a load raced against the origin timeout)
/// run as tasks on the lane's running-calls executor (the same thread, ahead of calls starting) and come back here.
///
/// Everything but `init` runs on the lane's loop thread (checked in debug builds).
final class CallDriver: @unchecked Sendable {
    // @unchecked: the mutable state is touched only on the lane's loop thread.
    private let cache: LeaseCache
    private let lane: ConnectionLane
    private let key: String
    private let startMicroseconds: Int64
    // `@exclusivity(unchecked)`: loop-thread state; see ``EventLoop``.
    @exclusivity(unchecked) private var machine: EvictAndReload
    /// The caller waiting for the next step, if it is waiting.
    @exclusivity(unchecked) private var waiter: UnsafeContinuation<CallStep, Never>?
    /// A step reached while the caller was not waiting (the call finished while the caller was handing over a
    /// racing load): given to the caller as soon as it waits.
    @exclusivity(unchecked) private var undelivered: CallStep?
    /// The command the call sent (or waits to send) and whose reply it awaits.
    @exclusivity(unchecked) private(set) var sent: Command?
    /// The last failure, in one line naming the server, for an error outcome.
    private var failure: String?
    /// An origin load racing the origin timeout: cancelled when the call stops waiting.
    private var load: Task<CacheValue, any Error>?
    /// The origin timeout's timer, by number: a timer that fires with another number was disarmed.
    private var timer = 0

    init(cache: LeaseCache, lane: ConnectionLane, key: String, token: Token, startMicroseconds: Int64) {
        self.cache = cache
        self.lane = lane
        self.key = key
        self.startMicroseconds = startMicroseconds
        self.machine = EvictAndReload(key: key, token: token, variant: cache.variant)
    }

    // MARK: - From the caller's task (each on the loop's thread)

    /// The caller waits for the call's next step.
    func attach(_ waiter: UnsafeContinuation<CallStep, Never>) {
        assert(lane.loop.isCurrent, "CallDriver.attach off its loop's thread")
        assert(self.waiter == nil, "CallDriver: two callers waiting on one call")
        if let step = undelivered {
            undelivered = nil
            waiter.resume(returning: step)
        } else {
            self.waiter = waiter
        }
    }

    /// Starts the call, once its lane has admitted it.
    func start() {
        assert(lane.loop.isCurrent, "CallDriver.start off its loop's thread")
        // LeaseCore's clock at the start is the call's own start: a call that waited for a slot starts on it, and
        // LeaseCore sets no deadline at a start. One clock reading fewer per call.
        advance(machine.start(nowMicroseconds: startMicroseconds))
    }

    /// The origin's answer, from a caller that ran the load itself (no timeout to race).
    func answer(_ answer: Result<CacheValue, any Error>) {
        assert(lane.loop.isCurrent, "CallDriver.answer off its loop's thread")
        guard cache.probe != nil else {
            answered(answer)
            return
        }
        Task(executorPreference: lane.running) { await self.afterLoad(answer) }
    }

    /// The load the caller started, raced against the origin timeout.
    func race(_ running: Task<CacheValue, any Error>) {
        assert(lane.loop.isCurrent, "CallDriver.race off its loop's thread")
        guard machine.isLoading else {
            // The timeout fired before the caller handed the load over: stop it (it still counts until it answers).
            running.cancel()
            return
        }
        load = running
        Task(executorPreference: lane.running) {
            let answer = await running.result
            // The timeout fired first: the answer is ignored.
            guard self.machine.isLoading else { return }
            self.timer += 1
            self.load = nil
            await self.afterLoad(answer)
        }
    }

    // MARK: - From the lane

    /// The command is on its way: brings the waiting caller's task into cache for the reply a round trip from now
    /// (``CallPrefetch``).
    func prefetchWaiter() {
        if let waiter { CallPrefetch.task(of: waiter) }
    }

    /// The reply to the command sent last, or how it failed: from the lane, on the loop's thread.
    func received(_ result: Result<Reply, RedisError>) {
        assert(lane.loop.isCurrent, "CallDriver.received off its loop's thread")
        guard let command = sent else {
            preconditionFailure("CallDriver: a reply for \(key) with no command sent")
        }
        sent = nil
        cache.probe?.received(result, to: command)
        switch result {
        case .success(let reply):
            if let problem = LeaseCache.describeUnusable(reply, to: command, endpoint: cache.endpoint) {
                failure = problem
            }
            // When the loop found the reply come (``EventLoop/polledNanoseconds``), a moment before this.
            let now = cache.microseconds(atMonotonic: lane.loop.polledNanoseconds)
            advance(machine.receive(reply, nowMicroseconds: now))
        case .failure(let error):
            failure = error.description
            let kind: CommandFailure = error.isTimeout ? .timeout : .connectionLost
            advance(machine.commandFailed(kind, nowMicroseconds: cache.nowMicroseconds()))
        }
    }

    // MARK: - Carrying out actions

    /// Carries out the actions of one step, in order. A step asks for at most one input (a send, a load) and
    /// ends with it or with `finish`: LeaseCore's actions are `[.startLoad, .armTimer]` or `[.stopLoad, next]`.
    private func advance(_ actions: Actions) {
        if let first = actions.first { perform(first) }
        if let second = actions.second { perform(second) }
        assert(
            machine.isFinished || machine.isAwaitingReply || machine.isLoading,
            "CallDriver: call on \(key) is stuck after \(actions)")
    }

    private func perform(_ action: Action) {
        switch action {
        case .send(let command):
            if let probe = cache.probe, let point = PausePoint.before(command, variant: cache.variant) {
                // The harness may hold the call here: its pause runs as a task, which then sends.
                let key = self.key
                Task(executorPreference: lane.running) {
                    await probe.reached(point, key: key)
                    self.send(command)
                }
            } else {
                send(command)
            }
        case .startLoad(let key):
            // The caller loads: in its own task, or in a task of its own raced against the timer armed next.
            let racing = machine.timerDeadlineMicroseconds != nil
            lane.resumingRunningCall { deliver(.load(key: key, racingTimeout: racing)) }
        case .armTimer(let deadlineMicroseconds):
            armTimer(deadlineMicroseconds)
        case .stopLoad:
            load?.cancel()
            load = nil
            timer += 1
        case .finish(let outcome):
            finish(outcome)
        }
    }

    private func send(_ command: Command) {
        cache.probe?.willSend(command)
        sent = command
        lane.send(for: self)
    }

    /// The origin's answer, after the probe's `afterLoad` point (where a harness may hold the call).
    private func afterLoad(_ answer: Result<CacheValue, any Error>) async {
        await cache.probe?.reached(.afterLoad, key: key)
        answered(answer)
    }

    /// The origin's answer, while the call still waits for it.
    private func answered(_ answer: Result<CacheValue, any Error>) {
        switch answer {
        case .success(let value):
            advance(machine.originLoaded(value, nowMicroseconds: cache.nowMicroseconds()))
        case .failure(let error):
            cache.logger.debug("origin failed", metadata: ["key": "\(key)", "error": "\(error)"])
            advance(machine.originFailed(nowMicroseconds: cache.nowMicroseconds()))
        }
    }

    /// Arms the origin timeout. Its wake-up comes from a timer queue of its own (``TimerSleep``) and goes first on
    /// the loop: neither waits for a thread of the shared pool, which a busy process may hold past the lease.
    private func armTimer(_ deadlineMicroseconds: Int64) {
        timer += 1
        let armed = timer
        let remaining = max(0, deadlineMicroseconds - cache.nowMicroseconds())
        let loop = lane.loop
        TimerSleep.after(microseconds: remaining) {
            loop.enqueue(first: true) { self.timerFired(armed, deadlineMicroseconds: deadlineMicroseconds) }
        }
    }

    private func timerFired(_ armed: Int, deadlineMicroseconds: Int64) {
        guard armed == timer, machine.isLoading else { return }  // disarmed: the origin answered first
        let next = machine.handleTimeout(nowMicroseconds: cache.nowMicroseconds())
        if next.isEmpty {
            // Not yet past the deadline on LeaseCore's clock: wait again.
            armTimer(deadlineMicroseconds)
            return
        }
        cache.probe?.originTimedOut(key: key)
        advance(next)
    }

    private func finish(_ outcome: Outcome) {
        let result = EvictionResult(
            outcome: outcome, releaseResult: machine.releaseResult, failure: outcome.isError ? failure : nil,
            durationMicroseconds: cache.nowMicroseconds() - startMicroseconds)
        cache.finished(result, key: key)
        lane.leave()
        deliver(.finished(result))
    }

    /// Hands `step` to the caller, now if it waits, else as soon as it does.
    private func deliver(_ step: CallStep) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: step)
        } else {
            assert(undelivered == nil, "CallDriver: two steps for a caller that is not waiting")
            undelivered = step
        }
    }
}

/// What the caller's task does next for its call.
enum CallStep: Sendable {
    /// Load `key` from the origin: in the caller's own task, or, when `racingTimeout`, in a task of its own that
    /// the call can stop waiting for.
    case load(key: String, racingTimeout: Bool)
    /// The call is over.
    case finished(EvictionResult)
}
