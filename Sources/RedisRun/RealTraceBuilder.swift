import LeaseCore
import RealRedis
import Scenario
import Trace

/// Builds a real run's trace in the common vocabulary, in scenario time, from the workers' records and the
/// server's order (MONITOR replayed through the simulated Redis), and checks the two against each other.
///
/// Order and content come from the real run: each `exec` is a command the server ran, attributed to a worker by
/// the address it came from, with the reply the replay computed (checked against the reply the worker got);
/// `expire` events come from the replay; everything else from the workers' and writers' records. Times are the
/// model's: each event's time is the time of the input it follows plus a delay, measured in real time, divided by
/// the time scale and clamped into the scenario's range (reported beyond the tolerance, ``RealTiming``); fixed durations
/// (calls, writes, pauses, timeouts, TTLs) take the scenario's values. The delays found are what the model
/// validates the trace with.
struct RealTraceBuilder {
    /// The trace, in scenario time.
    private(set) var events: [TraceEvent] = []
    /// The run's delays, by the simulator's and the model's names for them.
    private(set) var delays: [DelayChoice: Int64] = [:]
    /// Commands whose reply, as the worker got it, differs from the replay's.
    private(set) var replyMismatches: [String] = []
    /// Commands that could not be matched between a worker's record and the server's order.
    private(set) var attributionProblems: [String] = []
    /// How many commands had a reply to compare.
    private(set) var repliesCompared = 0
    private(set) var clamp: DelayClamp

    private let scenario: Scenario
    private let variant: ProtocolVariant
    private let commands: ScaledCommands
    private let scale: TimeScale
    private let observation: RealObservationRecord
    private let serverEvents: [ServerEvent]
    /// Model time of each server event once placed.
    private var serverModelTimes: [Int64?]
    private var pending: [(model: Int64, priority: Int, real: Int64, sequence: Int, event: TraceEvent)] = []

    init(
        scenario: Scenario, variant: ProtocolVariant, commands: ScaledCommands, scale: TimeScale,
        observation: RealObservationRecord, serverEvents: [ServerEvent]
    ) {
        self.scenario = scenario
        self.variant = variant
        self.commands = commands
        self.scale = scale
        self.observation = observation
        self.serverEvents = serverEvents
        self.serverModelTimes = Array(repeating: nil, count: serverEvents.count)
        self.clamp = DelayClamp(scale: scale)
    }

    /// The earliest model time each server event may take, so that the clamped times keep the server's order.
    private var floors: [Int64?] = []
    /// How many times ``build()`` may re-place events to keep the server's order (STYLE 10).
    static let orderPassesMaximum = 64

    /// Builds everything.
    ///
    /// The server's order is the truth: clamping a delay must not put one command before another that the server
    /// ran first. So after each placement the execs are walked in the server's order, and one placed before the
    /// event the server ran just before it is given that event's time as its floor (its request delay grows,
    /// inside the range when the real delays were close, which is the only way they can cross), and everything is
    /// placed again; a delay pushed out of its range by this shows as a timing problem.
    mutating func build() {
        floors = Array(repeating: nil, count: serverEvents.count)
        for _ in 0..<Self.orderPassesMaximum {
            place()
            var previous = Int64.min
            var raised = false
            for (index, event) in serverEvents.enumerated() {
                guard let time = serverModelTimes[index] else { continue }
                if case .exec = event, time < previous {
                    floors[index] = previous
                    raised = true
                    break  // later events move with it; place again
                }
                previous = max(previous, time)
            }
            if !raised { return }
        }
        clamp.note("the server's order could not be kept within \(Self.orderPassesMaximum) passes")
    }

    private mutating func place() {
        events = []
        delays = [:]
        replyMismatches = []
        attributionProblems = []
        repliesCompared = 0
        clamp = DelayClamp(scale: scale)
        pending = []
        serverModelTimes = Array(repeating: nil, count: serverEvents.count)
        var execsOfWorker = Array(repeating: [Int](), count: scenario.workerCount + 1)
        var writerExecs: [Int] = []
        for (index, event) in serverEvents.enumerated() {
            guard case .exec(_, let client, let command, _) = event else { continue }
            if let worker = observation.workerAddresses.firstIndex(where: { $0.contains(client) }) {
                execsOfWorker[worker + 1].append(index)
            } else if observation.writerAddresses.contains(client) {
                writerExecs.append(index)
            } else if case .seed = command {
                serverModelTimes[index] = 0  // the harness's seeds: the model's initial cached values
            } else {
                attributionProblems.append("the server ran \(command) for \(client), a client this run did not open")
            }
        }
        for worker in 1...scenario.workerCount {
            placeWorker(worker, steps: observation.workerSteps[worker - 1], execs: execsOfWorker[worker])
        }
        placeWriters(writerExecs)
        placeExpiries()
        pending.sort { a, b in
            (a.model, a.priority, a.real, a.sequence) < (b.model, b.priority, b.real, b.sequence)
        }
        events = pending.map(\.event)
    }

    private mutating func add(_ model: Int64, real: Int64, priority: Int = 1, _ actor: Actor, _ kind: EventKind) {
        pending.append((model, priority, real, pending.count, TraceEvent(timeMicroseconds: model, actor: actor, kind: kind)))
    }

    private func measured(from start: Int64, to end: Int64) -> Int64 {
        scale.scenario(end - start)
    }

    private func serverTime(_ index: Int) -> Int64 { serverEvents[index].serverMicroseconds }

    // MARK: - Workers

    private mutating func placeWorker(_ worker: Int, steps: [StampedStep], execs: [Int]) {
        let actor = Actor.worker(worker)
        var nextExec = 0
        var cursorModel: Int64 = 0
        var cursorReal = observation.zeroUnixMicroseconds
        var call = 0
        var commandNumber = 0
        var sentModel: Int64 = 0
        var sentReal: Int64 = 0
        var lastExec: (index: Int, model: Int64)?
        var loadStarts: [Int: (model: Int64, real: Int64)] = [:]
        var waitingForOrigin = false
        var pauseModel: Int64 = 0

        for (position, stamped) in steps.enumerated() {
            let real = stamped.unixMicroseconds
            switch stamped.step {
            case .call(let number, let key):
                call = number
                commandNumber = 0
                let scheduled = scenario.calls.first { $0.worker == worker && $0.callNumber == number }?.atMicroseconds ?? 0
                if cursorModel <= scheduled {
                    cursorModel = clamp.fixed(
                        measured(from: observation.zeroUnixMicroseconds, to: real), expected: scheduled,
                        "w\(worker) call \(number) start")
                }  // else the worker was busy: the call starts as the previous one returns, as in the simulator
                cursorReal = real
                add(cursorModel, real: real, actor, .call(key: key, call: number))

            case .sent(let command):
                commandNumber += 1
                sentModel = cursorModel
                sentReal = real
                lastExec = nil
                let failedWithoutReaching: Bool = {
                    guard position + 1 < steps.count, case .failed(_, .connectionLost, _, _) = steps[position + 1].step
                    else { return false }
                    return true
                }()
                guard nextExec < execs.count, case .exec(let time, _, let serverCommand, let reply) = serverEvents[execs[nextExec]],
                    serverCommand == .protocolCommand(command) || serverCommand.unscaled(commands) == .protocolCommand(command)
                else {
                    if !failedWithoutReaching {
                        let next = nextExec < execs.count ? "\(serverEvents[execs[nextExec]])" : "nothing"
                        attributionProblems.append("w\(worker) call \(call) sent \(command), but the server's next command from w\(worker) is \(next)")
                    }
                    continue
                }
                let index = execs[nextExec]
                nextExec += 1
                var delay = clamp.ranged(
                    measured(from: cursorReal, to: time), scenario.network.latency,
                    "network delay of w\(worker) call \(call) command \(commandNumber) request")
                if let floor = floors[index], cursorModel + delay < floor {
                    delay = floor - cursorModel
                    if delay > scenario.network.latency.maxMicroseconds {
                        clamp.note(
                            "w\(worker) call \(call) command \(commandNumber) ran after a command placed \(DurationText.format(delay))"
                                + " after its send: keeping the server's order needs a network delay outside \(scenario.network.latency.text)")
                    }
                }
                delays[.network(worker: worker, call: call, command: commandNumber, direction: .request)] = delay
                let model = cursorModel + delay
                serverModelTimes[index] = model
                lastExec = (index, model)
                add(model, real: time, actor, .exec(command, reply))

            case .received(let command, let reply):
                guard let exec = lastExec, case .exec(let time, _, _, let replayed) = serverEvents[exec.index] else {
                    continue  // reported at `.sent`
                }
                repliesCompared += 1
                if reply != replayed {
                    replyMismatches.append(
                        "w\(worker) call \(call) \(command): the worker got \(reply), the replay of the server's order gives \(replayed)")
                }
                let delay = clamp.ranged(
                    measured(from: time, to: real), scenario.network.latency,
                    "network delay of w\(worker) call \(call) command \(commandNumber) reply")
                delays[.network(worker: worker, call: call, command: commandNumber, direction: .reply)] = delay
                cursorModel = exec.model + delay
                cursorReal = real

            case .failed(let command, let failure, let held, let why):
                switch failure {
                case .timeout:
                    if held, let exec = lastExec {
                        add(exec.model, real: serverTime(exec.index), actor, .replyLost(command))
                    } else if !held {
                        attributionProblems.append("w\(worker) call \(call) \(command) timed out with no fault asking for it: \(why)")
                    }
                    cursorModel = sentModel + clamp.fixed(
                        measured(from: sentReal, to: real), expected: variant.commandTimeoutMicroseconds,
                        "command timeout of w\(worker) call \(call) command \(commandNumber)")
                    cursorReal = real
                    add(cursorModel, real: real, actor, .commandTimeout(command))
                case .connectionLost:
                    if !held {
                        attributionProblems.append("w\(worker) call \(call) \(command): the connection was lost with no fault asking for it: \(why)")
                    }
                    if let exec = lastExec {
                        let delay = clamp.ranged(
                            measured(from: serverTime(exec.index), to: real), scenario.network.latency,
                            "notice of w\(worker) call \(call) command \(commandNumber)'s broken connection")
                        delays[.network(worker: worker, call: call, command: commandNumber, direction: .reply)] = delay
                        cursorModel = exec.model + delay
                    }
                    cursorReal = real
                    add(cursorModel, real: real, actor, .connectionLost(command))
                }

            case .loadStart(let number, let key, let version):
                loadStarts[number] = (cursorModel, real)
                waitingForOrigin = true
                add(cursorModel, real: real, actor, .loadStart(key: key, version: version))

            case .loadEnd(let number, let key, _), .loadFail(let number, let key):
                guard let start = loadStarts[number] else { continue }
                let latency: Int64
                let took = measured(from: start.real, to: real)
                if let fixed = scenario.origin.override(worker: worker, callNumber: number)?.latencyMicroseconds {
                    latency = clamp.fixed(took, expected: fixed, "origin latency of w\(worker) call \(number)")
                } else {
                    latency = clamp.ranged(took, scenario.origin.latency, "origin latency of w\(worker) call \(number)")
                    delays[.origin(worker: worker, call: number)] = latency
                }
                let model = start.model + latency
                if case .loadEnd(_, _, let version) = stamped.step {
                    add(model, real: real, actor, .loadEnd(key: key, version: version))
                } else {
                    add(model, real: real, actor, .loadFail(key: key, reason: "origin-error"))
                }
                if waitingForOrigin && number == call {
                    waitingForOrigin = false
                    cursorModel = model
                    cursorReal = real
                }

            case .originTimeout(let key):
                waitingForOrigin = false
                if let start = loadStarts[call], let timeout = variant.originTimeoutMicroseconds {
                    cursorModel = start.model + clamp.fixed(
                        measured(from: start.real, to: real), expected: timeout, "origin timeout of w\(worker) call \(call)")
                }
                cursorReal = real
                add(cursorModel, real: real, actor, .originTimeout(key: key))

            case .pause(let point):
                pauseModel = cursorModel
                add(cursorModel, real: real, actor, .pause(point))
                cursorReal = real

            case .resume(let point):
                let range = scenario.faults.lazy.compactMap { fault -> LatencyRange? in
                    if case .pause(worker, call, let duration, point) = fault.kind { return duration }
                    return nil
                }.first ?? LatencyRange(fixedMicroseconds: 0)
                let length = clamp.ranged(
                    measured(from: cursorReal, to: real), range, "pause of w\(worker) call \(call) at \(point.rawValue)")
                delays[.pause(worker: worker, call: call, point: point)] = length
                cursorModel = pauseModel + length
                cursorReal = real
                add(cursorModel, real: real, actor, .resume(point))

            case .returned(let outcome, _):
                add(cursorModel, real: real, actor, .return(outcome))
                cursorReal = real
            }
        }
        if nextExec < execs.count {
            for index in execs[nextExec...] {
                attributionProblems.append("the server ran \(serverEvents[index]) for w\(worker), which w\(worker) did not send then")
            }
        }
    }

    // MARK: - Writers and expiries

    private mutating func placeWriters(_ execs: [Int]) {
        var nextExec = 0
        for entry in observation.writes where entry.failure == nil {
            let write = scenario.writes[entry.writeIndex]
            let actor = Actor.writer(write.writer)
            _ = clamp.fixed(
                measured(from: observation.zeroUnixMicroseconds, to: entry.unixMicroseconds),
                expected: write.atMicroseconds, "source write \(entry.writeIndex + 1) (\(write.key))")
            add(write.atMicroseconds, real: entry.unixMicroseconds, actor, .write(key: write.key, version: write.version))
            guard write.invalidate else { continue }
            guard nextExec < execs.count, case .exec(let time, _, .protocolCommand(.delete(let key)), let reply) = serverEvents[execs[nextExec]],
                key == write.key
            else {
                attributionProblems.append("\(write.writer)'s DEL \(write.key) is not the writers' next command on the server")
                continue
            }
            serverModelTimes[execs[nextExec]] = write.atMicroseconds
            nextExec += 1
            // The writer's DEL happens at the write's instant (the simulator's and the model's rule).
            add(write.atMicroseconds, real: time, actor, .exec(.delete(key: key), reply))
        }
        for entry in observation.writes {
            if let failure = entry.failure { attributionProblems.append(failure) }
        }
    }

    /// Each `expire` at `(when + 1)` ms, `when` computed in scenario time from the model time of the command that
    /// set the deadline, with the scenario's TTL.
    private mutating func placeExpiries() {
        var deadlines: [String: Int64] = [:]  // key -> when, ms of scenario time
        for (index, event) in serverEvents.enumerated() {
            switch event {
            case .exec(_, _, let command, let reply):
                guard let model = serverModelTimes[index] else { continue }
                let nowMilliseconds = model / 1_000
                switch command {
                case .seed(let key, _, _):
                    deadlines[key] = nowMilliseconds + Int64(variant.cacheTTLSeconds) * 1_000
                case .protocolCommand(.acquire(let key, _, _)) where reply == .ok:
                    deadlines[Command.leaseKey(of: key)] = nowMilliseconds + Int64(variant.leaseTTLMilliseconds)
                case .protocolCommand(.set(let key, _, _)) where reply == .ok,
                    .protocolCommand(.fencedWrite(let key, _, _, _)) where reply == .ok:
                    deadlines[key] = nowMilliseconds + Int64(variant.cacheTTLSeconds) * 1_000
                case .protocolCommand, .deleteMany:
                    break
                }
            case .expire(let time, let key):
                guard let when = deadlines[key] else {
                    attributionProblems.append("the replay expired \(key), whose deadline no placed command set")
                    continue
                }
                add((when + 1) * 1_000, real: time, priority: 0, .server, .expire(key: key))
            }
        }
    }
}
