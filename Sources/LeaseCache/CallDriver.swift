import LeaseCore
import RedisClient
import Trace

/// One `evictAndReload` call, driven on its lane's loop thread: LeaseCore's machine and what it waits for.
///
/// Why an object the loop feeds, and not an async function awaiting each reply: a reply then goes from the socket
/// straight into the machine, on the thread that read it, with no task to resume and no job to queue per round
/// trip; the call's next command is in the connection's output before the loop polls again. That is the
/// simulator's way of driving LeaseCore too. Only the steps that must await run as tasks (the origin, a probe's
/// pause, the origin timeout's timer), on the lane's running-calls executor (the same thread, ahead of calls
/// starting), and come back here. The caller awaits one continuation, resumed when the call finishes.
///
/// Everything but `init` runs on the lane's loop thread (checked in debug builds).
final class CallDriver: @unchecked Sendable {
    // @unchecked: the mutable state is touched only on the lane's loop thread.
    private let cache: LeaseCache
    private let lane: ConnectionLane
    private let key: String
    private let startMicroseconds: Int64
    private var machine: EvictAndReload
    private let completion: UnsafeContinuation<EvictionResult, Never>
    /// The command the call sent (or waits to send) and whose reply it awaits.
    private(set) var sent: Command?
    /// The last failure, in one line naming the server, for an error outcome.
    private var failure: String?
    /// An origin load racing the origin timeout, and the timeout's timer: cancelled when the call stops waiting.
    private var load: Task<CacheValue, any Error>?
    private var timer: Task<Void, Never>?

    init(
        cache: LeaseCache, lane: ConnectionLane, key: String, token: Token, startMicroseconds: Int64,
        completion: UnsafeContinuation<EvictionResult, Never>
    ) {
        self.cache = cache
        self.lane = lane
        self.key = key
        self.startMicroseconds = startMicroseconds
        self.machine = EvictAndReload(key: key, token: token, variant: cache.variant)
        self.completion = completion
    }

    /// Starts the call, once its lane has admitted it.
    func start() {
        assert(lane.loop.isCurrent, "CallDriver.start off its loop's thread")
        advance(machine.start(nowMicroseconds: cache.nowMicroseconds()))
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
            advance(machine.receive(reply, nowMicroseconds: cache.nowMicroseconds()))
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
            startLoad(key)
        case .armTimer(let deadlineMicroseconds):
            armTimer(deadlineMicroseconds)
        case .stopLoad:
            load?.cancel()
            load = nil
            timer?.cancel()
            timer = nil
        case .finish(let outcome):
            finish(outcome)
        }
    }

    private func send(_ command: Command) {
        cache.probe?.willSend(command)
        sent = command
        lane.send(for: self)
    }

    private func startLoad(_ key: String) {
        let origin = cache.origin
        guard machine.timerDeadlineMicroseconds != nil else {
            // No timeout to race: the origin runs on the loop's thread, and its answer comes back ahead of calls
            // starting (the task prefers the running-calls executor).
            Task(executorPreference: lane.running) {
                let answer: Result<CacheValue, any Error>
                do {
                    answer = .success(try await origin(key))
                } catch {
                    answer = .failure(error)
                }
                await self.answered(answer)
            }
            return
        }
        // A timeout may fire first: the origin runs as a task of its own on the shared pool, so that the call can
        // stop waiting (and cancel it) without waiting for an origin that ignores cancellation, or that computes
        // on the loop's thread.
        let running = Task { try await origin(key) }
        load = running
        Task(executorPreference: lane.running) {
            let answer = await running.result
            // The timeout fired first: the answer is ignored (the load still counts until it answered).
            guard self.machine.isLoading else { return }
            self.timer?.cancel()
            self.timer = nil
            self.load = nil
            await self.answered(answer)
        }
    }

    /// The origin's answer, while the call still waits for it.
    private func answered(_ answer: Result<CacheValue, any Error>) async {
        await cache.probe?.reached(.afterLoad, key: key)
        switch answer {
        case .success(let value):
            advance(machine.originLoaded(value, nowMicroseconds: cache.nowMicroseconds()))
        case .failure(let error):
            cache.logger.debug("origin failed", metadata: ["key": "\(key)", "error": "\(error)"])
            advance(machine.originFailed(nowMicroseconds: cache.nowMicroseconds()))
        }
    }

    private func armTimer(_ deadlineMicroseconds: Int64) {
        let remaining = max(0, deadlineMicroseconds - cache.nowMicroseconds())
        timer = Task(executorPreference: lane.running) {
            do {
                try await Task.sleep(for: .microseconds(remaining))
            } catch {
                return  // cancelled: the origin answered first
            }
            guard self.machine.isLoading else { return }
            let next = self.machine.handleTimeout(nowMicroseconds: self.cache.nowMicroseconds())
            if next.isEmpty {
                // Not yet past the deadline on LeaseCore's clock: wait again.
                self.armTimer(deadlineMicroseconds)
                return
            }
            self.cache.probe?.originTimedOut(key: self.key)
            self.advance(next)
        }
    }

    private func finish(_ outcome: Outcome) {
        let result = EvictionResult(
            outcome: outcome, releaseResult: machine.releaseResult, failure: outcome.isError ? failure : nil,
            durationMicroseconds: cache.nowMicroseconds() - startMicroseconds)
        cache.finished(result, key: key)
        lane.leave()
        completion.resume(returning: result)
    }
}
