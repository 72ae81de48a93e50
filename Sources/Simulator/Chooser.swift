import Scenario
import Trace

/// Every nondeterministic choice of a simulation, asked by identity (DESIGN.md rule 3).
///
/// A choice names what it decides ("the network delay of w1's command 3"), never its position among choices, so a
/// replay that drifts from its path is reported rather than silently shifted. Random runs answer from a seeded
/// generator (``SeededChooser``); replays of model paths answer from the path.
public protocol Chooser {
    /// A delay for `choice`, within `range` (inclusive).
    mutating func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64
    /// Whether a `maybe` fault happens.
    mutating func happens(_ fault: FaultChoice) -> Bool
    /// Which of the events due at the same instant goes first: an index into `candidates`, which are in the
    /// order they were scheduled (insertion order is the answer when no choice is wanted).
    mutating func first(among candidates: [EventIdentity]) -> Int
}

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
    case resume(worker: Int, call: Int)
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
        case .resume(let worker, let call): return "w\(worker).\(call) resumes"
        case .sourceWrite(let index): return "source write \(index)"
        case .restart(let fault): return "redis restart (fault \(fault))"
        }
    }
}

/// Answers every choice from one seeded ``SplitMix64``: a random run, reproducible from its seed.
public struct SeededChooser: Chooser {
    /// The seed, printed first in every report (STYLE 6).
    public let seed: UInt64
    private var generator: SplitMix64

    public init(seed: UInt64) {
        self.seed = seed
        // Mix the seed once, so seeds 0, 1, 2 start far apart.
        var mixer = SplitMix64(seed: seed)
        generator = SplitMix64(seed: mixer.next())
    }

    public mutating func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64 {
        if range.minMicroseconds == range.maxMicroseconds { return range.minMicroseconds }
        return generator.next(in: range.minMicroseconds, range.maxMicroseconds)
    }

    public mutating func happens(_ fault: FaultChoice) -> Bool {
        generator.next(below: 2) == 1
    }

    public mutating func first(among candidates: [EventIdentity]) -> Int {
        Int(generator.next(below: UInt64(candidates.count)))
    }
}

/// Answers every choice the plainest way: the shortest delay, every `maybe` fault happens, insertion order.
public struct PlainChooser: Chooser {
    public init() {}

    public func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64 { range.minMicroseconds }
    public func happens(_ fault: FaultChoice) -> Bool { true }
    public func first(among candidates: [EventIdentity]) -> Int { 0 }
}
