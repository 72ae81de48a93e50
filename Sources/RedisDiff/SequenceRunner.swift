import LeaseCache
import LeaseCore
import RedisClient
import Simulator
import Trace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one sequence on a real server and on the simulated states that could match it, step by step.
struct SequenceRunner {
    /// The connection every command of the sequence goes over (one connection: its commands run in order).
    let connection: RedisConnection
    /// The sequence's own key prefix.
    let keyPrefix: String
    /// The test hook, if any.
    let fault: SimulatedReplyFault?
    /// Whether to keep a ``StepRecord`` per compared step.
    let recordSteps: Bool
    /// Whether Redis 7.0's later TTL clock may explain a reply.
    var allowsLaterTTLClock = true
    /// The connection's clock offset and send latency, learnt from the brackets (for aiming lookups); shared by
    /// the sequences one worker runs.
    var aim = AimCalibration()

    /// What aiming at a server instant needs to know, refined by every bracket: this thread's reference class,
    /// used by one thread only.
    final class AimCalibration {
        /// The server's clock minus this machine's realtime clock, in µs (midpoint estimate; 0 on one machine).
        var serverMinusLocalMicroseconds: Int64 = 0
        /// From handing a pipeline to hiredis to the server running its first command, in µs (moving average).
        var sendToServerMicroseconds: Int64 = 100

        /// Folds in one bracket: sent at local `sent`, answered by local `received`, first TIME `serverStart`.
        func learn(sentLocal sent: Int64, receivedLocal received: Int64, serverStart: Int64) {
            serverMinusLocalMicroseconds = serverStart - (sent + received) / 2
        }

        /// Folds in how late a command sent at local `sent` reached the server (`serverStart`).
        func learnLatency(sentLocal sent: Int64, serverStart: Int64) {
            let sample = min(max(serverStart - serverMinusLocalMicroseconds - sent, 0), 10_000)
            sendToServerMicroseconds += (sample - sendToServerMicroseconds) / 8
        }
    }

    func run(_ sequence: DiffSequence, index: Int) throws(DiffError) -> SequenceOutcome {
        var outcome = SequenceOutcome()
        var states = CandidateStates(allowsLaterTTLClock: allowsLaterTTLClock)
        stepLoop: for (stepIndex, step) in sequence.steps.enumerated() {
            let command: Command
            var aimed: Int64?
            switch step {
            case .wait(let milliseconds):
                Self.sleep(microseconds: Int64(milliseconds) * 1_000)
                continue stepLoop
            case .command(let plain):
                command = plain
            case .lookupNearDeadline(let key, let offset):
                aimed = try waitNearDeadline(of: key, offset: offset)
                if aimed == nil { outcome.counts.deadlineLookupsNotAimed += 1 } else { outcome.counts.deadlineLookupsAimed += 1 }
                command = .get(key: key)
            }
            let observation = try observe(command)
            let override = fault.flatMap { $0.stepIndex == stepIndex ? $0.reply : nil }
            let verdict = states.advance(command, observation: observation, simulatedReplyOverride: override)
            outcome.counts.commandsCompared += 1
            if recordSteps {
                outcome.records.append(
                    StepRecord(
                        stepIndex: stepIndex, command: command, observation: observation, verdict: verdict,
                        aimedDeadlineMilliseconds: aimed))
            }
            switch verdict {
            case .agreedAtStart:
                break
            case .explainedByTiming:
                outcome.counts.explainedByTiming += 1
            case .explainedByTTLClock:
                outcome.counts.explainedByTTLClock += 1
            case .unexplained(let atStart, let atEnd):
                outcome.difference = UnexplainedDifference(
                    sequenceIndex: index, sequenceSeed: sequence.seed, stepIndex: stepIndex, command: command,
                    observation: observation, simulatedAtStart: atStart, simulatedAtEnd: atEnd)
                break stepLoop
            }
        }
        outcome.counts.droppedStateCount = states.droppedStateCount
        try deleteKeys(of: sequence)
        return outcome
    }

    // MARK: - Real server

    /// Sends `TIME`, the command, `PEXPIRETIME` of the key it sets a TTL on (if any), and `TIME`, in one pipeline.
    func observe(_ command: Command) throws(DiffError) -> RealObservation {
        let time: [[UInt8]] = [Array("TIME".utf8)]
        var commands = [time, command.redisArguments(keyPrefix: keyPrefix)]
        let inspected = CandidateStates.inspectedKey(of: command)
        if let inspected { commands.append(expireTimeArguments(inspected)) }
        commands.append(time)
        let replies: [RedisReply]
        let sent = Self.localRealtimeMicroseconds()
        do { replies = try connection.pipeline(commands) } catch { throw .redis(error) }
        let start = try timeMicroseconds(replies[0])
        aim.learnLatency(sentLocal: sent, serverStart: start)
        let end = try timeMicroseconds(replies[replies.count - 1])
        var expireTime: Int64?
        if inspected != nil {
            guard case .integer(let value) = replies[2] else {
                throw .malformedReply(endpoint: connection.description, command: "PEXPIRETIME", got: replies[2])
            }
            expireTime = value
        }
        return RealObservation(
            startMicroseconds: start, endMicroseconds: end, reply: Reply(replies[1]), expireTimeMilliseconds: expireTime)
    }

    /// Reads the key's real deadline and waits until the server's clock is where `offset` aims. Returns the
    /// deadline aimed at, or nil when the key has none or it is too far away to wait for.
    ///
    /// The wait is measured on this machine's realtime clock, shifted by the server's offset and the send latency
    /// learnt from earlier brackets (``AimCalibration``): sleep until shortly before the aim, then spin, since a
    /// sleeping thread wakes 100 to 300 µs late here and a bracket is about 15 µs wide.
    func waitNearDeadline(of key: String, offset: DeadlineOffset) throws(DiffError) -> Int64? {
        let replies: [RedisReply]
        let sent = Self.localRealtimeMicroseconds()
        do {
            replies = try connection.pipeline([[Array("TIME".utf8)], expireTimeArguments(key)])
        } catch { throw .redis(error) }
        let serverNow = try timeMicroseconds(replies[0])
        aim.learn(sentLocal: sent, receivedLocal: Self.localRealtimeMicroseconds(), serverStart: serverNow)
        let serverMinusLocal = aim.serverMinusLocalMicroseconds
        guard case .integer(let when) = replies[1] else {
            throw .malformedReply(endpoint: connection.description, command: "PEXPIRETIME", got: replies[1])
        }
        guard when >= 0 else { return nil }
        let target = offset.aimMicroseconds(deadlineMilliseconds: when) - aim.sendToServerMicroseconds
        guard target - serverNow <= DiffLimits.deadlineWaitMaximumMilliseconds * 1_000 else { return nil }
        let localTarget = target - serverMinusLocal
        Self.sleep(microseconds: localTarget - Self.localRealtimeMicroseconds() - Self.spinMicroseconds)
        // Bounded by the target itself: the clock only moves forward (a clock step back ends it at the bound).
        var spins = 0
        while spins < Self.spinIterationsMaximum && Self.localRealtimeMicroseconds() < localTarget { spins += 1 }
        return when
    }

    /// How long before the aim the thread stops sleeping and spins.
    static let spinMicroseconds: Int64 = 400
    /// The bound on spinning (STYLE 10), far above what `spinMicroseconds` takes.
    static let spinIterationsMaximum = 10_000_000

    /// This machine's realtime clock in µs, the clock redis-server's TIME reads on the same machine.
    static func localRealtimeMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    /// Deletes every key the sequence could have made; only the sequence's own prefix is touched.
    func deleteKeys(of sequence: DiffSequence) throws(DiffError) {
        let arguments = [Array("DEL".utf8)] + sequence.allKeys.map { Array((keyPrefix + $0).utf8) }
        do { _ = try connection.send(arguments) } catch { throw .redis(error) }
    }

    private func expireTimeArguments(_ key: String) -> [[UInt8]] {
        [Array("PEXPIRETIME".utf8), Array((keyPrefix + key).utf8)]
    }

    private func timeMicroseconds(_ reply: RedisReply) throws(DiffError) -> Int64 {
        guard let microseconds = reply.timeMicroseconds else {
            throw .malformedReply(endpoint: connection.description, command: "TIME", got: reply)
        }
        return microseconds
    }

    /// Sleeps the calling thread; a non-positive time returns at once.
    static func sleep(microseconds: Int64) {
        guard microseconds > 0 else { return }
        var request = timespec(tv_sec: Int(microseconds / 1_000_000), tv_nsec: Int(microseconds % 1_000_000) * 1_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
