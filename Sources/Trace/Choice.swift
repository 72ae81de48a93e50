/// The identities of the nondeterministic choices of a run (DESIGN.md rule 3): what the simulator's chooser is
/// asked, and what a model path answers. They live in the shared vocabulary so the model and the simulator name
/// the same choice the same way, and a model path can be replayed on the simulator choice for choice.

/// What a delay is for.
public enum DelayChoice: Hashable, Sendable, CustomStringConvertible {
    /// The one-way delay of a worker's `command`-th command of its `call`-th call, to the server or back.
    case network(worker: Int, call: Int, command: Int, direction: Direction)
    /// How long the origin takes for a worker's call.
    case origin(worker: Int, call: Int)
    /// How long a pause lasts.
    case pause(worker: Int, call: Int, point: PausePoint)
    /// How long until a worker sees that its connection broke in a Redis restart.
    case restartNotice(worker: Int, call: Int, command: Int)

    /// A message's direction.
    public enum Direction: String, Hashable, Sendable {
        /// Worker to Redis.
        case request
        /// Redis to worker.
        case reply
    }

    public var description: String {
        switch self {
        case .network(let worker, let call, let command, let direction):
            return "network delay of w\(worker) call \(call) command \(command) \(direction.rawValue)"
        case .origin(let worker, let call):
            return "origin latency of w\(worker) call \(call)"
        case .pause(let worker, let call, let point):
            return "pause of w\(worker) call \(call) at \(point.rawValue)"
        case .restartNotice(let worker, let call, let command):
            return "restart notice to w\(worker) call \(call) command \(command)"
        }
    }
}

/// A `maybe` fault, by its index in the scenario's `faults:`.
public struct FaultChoice: Hashable, Sendable, CustomStringConvertible {
    /// The fault's index in the scenario's `faults:` list.
    public var index: Int

    public init(index: Int) {
        self.index = index
    }

    public var description: String { "fault \(index)" }
}

/// What a scheduled event is, for same-instant ordering: stable across runs of the same scenario.
public enum EventIdentity: Hashable, Sendable, CustomStringConvertible {
    /// A worker starts a call.
    case callStart(worker: Int, call: Int)
    /// A worker's command reaches the server.
    case request(worker: Int, call: Int, command: Int)
    /// The server's reply (or a broken connection's notice) reaches the worker.
    case reply(worker: Int, call: Int, command: Int)
    /// A worker's command timeout fires.
    case commandTimeout(worker: Int, call: Int, command: Int)
    /// The origin answers a worker's call.
    case originAnswer(worker: Int, call: Int)
    /// A worker's origin timeout fires.
    case originTimer(worker: Int, call: Int)
    /// A worker's pause ends.
    case resume(worker: Int, call: Int, point: PausePoint)
    /// A source write, by index in the scenario's `writes:`.
    case sourceWrite(index: Int)
    /// A Redis restart, by fault index.
    case restart(fault: Int)

    public var description: String {
        switch self {
        case .callStart(let worker, let call): return "w\(worker) starts call \(call)"
        case .request(let worker, let call, let command): return "w\(worker).\(call) command \(command) reaches Redis"
        case .reply(let worker, let call, let command): return "reply to w\(worker).\(call) command \(command)"
        case .commandTimeout(let worker, let call, let command):
            return "command timeout of w\(worker).\(call) command \(command)"
        case .originAnswer(let worker, let call): return "origin answers w\(worker).\(call)"
        case .originTimer(let worker, let call): return "origin timeout of w\(worker).\(call)"
        case .resume(let worker, let call, let point): return "w\(worker).\(call) resumes from \(point.rawValue)"
        case .sourceWrite(let index): return "source write \(index)"
        case .restart(let fault): return "redis restart (fault \(fault))"
        }
    }
}

/// The answers to a run's choices, by identity: what a model path decided, for the simulator to follow.
public struct ChoiceScript: Hashable, Sendable {
    /// Each delay, by what it is for.
    public var delays: [DelayChoice: Int64]
    /// Each `maybe` fault's decision.
    public var faults: [FaultChoice: Bool]
    /// The order in which scheduled events were taken: among events due at the same instant, the one earliest
    /// here goes first.
    public var order: [EventIdentity]

    public init(delays: [DelayChoice: Int64] = [:], faults: [FaultChoice: Bool] = [:], order: [EventIdentity] = []) {
        self.delays = delays
        self.faults = faults
        self.order = order
    }
}
