/// One event of a trace: one model action (DESIGN.md "Traces"), at a virtual instant, by one actor.
///
/// Sending and delivering messages are not events: the time between a worker's events carries the network delay.
/// Times are integer microseconds; the text form prints them in milliseconds with three decimals.
public struct TraceEvent: Hashable, Sendable {
    /// When the event happened, in microseconds of virtual (or measured) time.
    public var timeMicroseconds: Int64
    /// Who did it.
    public var actor: Actor
    /// What happened.
    public var kind: EventKind

    public init(timeMicroseconds: Int64, actor: Actor, kind: EventKind) {
        self.timeMicroseconds = timeMicroseconds
        self.actor = actor
        self.kind = kind
    }
}

/// Who an event belongs to.
public enum Actor: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Worker `w<n>`, numbered from 1: a service instance with its own connection.
    case worker(Int)
    /// A writer of the source, by its scenario name (`writer` unless the scenario names several).
    case writer(String)
    /// The Redis server itself (expiries, restarts).
    case server

    public var description: String {
        switch self {
        case .worker(let number): return "w\(number)"
        case .writer(let name): return name
        case .server: return "server"
        }
    }

    /// Parses `w<n>`, `server`, or any other name as a writer.
    public init?(parsing text: String) {
        if text == "server" {
            self = .server
            return
        }
        if text.hasPrefix("w"), let number = Int(text.dropFirst()), number >= 1, "w\(number)" == text {
            self = .worker(number)
            return
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            return nil
        }
        self = .writer(text)
    }
}

/// The points of a call where a scenario can pause a worker's process.
public enum PausePoint: String, Hashable, Sendable, CaseIterable {
    /// After the read, before the acquire is sent.
    case beforeAcquire = "before-acquire"
    /// As the origin's answer arrives, before the call handles it.
    case afterLoad = "after-load"
    /// After the call handled the origin's answer, before the write is sent.
    case beforeWrite = "before-write"
    /// Before the release is sent.
    case beforeRelease = "before-release"
    /// Between the `GET` and the `DEL` of a `get-then-delete` release: the gap that makes it non-atomic. Never
    /// reached under the other release styles. (An extension of DESIGN.md's four points.)
    case beforeReleaseDelete = "before-release-delete"
}

/// What happened, with its observable content.
public enum EventKind: Hashable, Sendable {
    /// A worker starts `evictAndReload(key)`, its `call`-th call (numbered from 1).
    case call(key: String, call: Int)
    /// The server executes a command (its linearization point) and this is the reply it computed.
    case exec(Command, Reply)
    /// The server executed the command, and its reply will never arrive.
    case replyLost(Command)
    /// The client stops waiting for the command's reply.
    case commandTimeout(Command)
    /// The connection breaks after the server executed the command: the client sees the failure at once.
    /// (An extension of DESIGN.md's table, for the `drop-connection` fault.)
    case connectionLost(Command)
    /// The origin reads the source: the version current now is what the load returns.
    case loadStart(key: String, version: Int)
    /// The origin answers with a version.
    case loadEnd(key: String, version: Int)
    /// The origin fails.
    case loadFail(key: String, reason: String)
    /// The call's origin timeout fires: it stops waiting (the origin may go on loading).
    case originTimeout(key: String)
    /// A process pause begins at a point of the call.
    case pause(PausePoint)
    /// The pause ends.
    case resume(PausePoint)
    /// The source changes: the key's new version. An invalidation is the writer's own `exec DEL`.
    case write(key: String, version: Int)
    /// A key's deadline passed: stamped at `(when + 1)` ms.
    case expire(key: String)
    /// Redis restarts empty.
    case restart
    /// The call returns.
    case `return`(Outcome)

    /// The event's name in the text and JSON forms.
    public var name: String {
        switch self {
        case .call: return "call"
        case .exec: return "exec"
        case .replyLost: return "reply-lost"
        case .commandTimeout: return "command-timeout"
        case .connectionLost: return "connection-lost"
        case .loadStart: return "load-start"
        case .loadEnd: return "load-end"
        case .loadFail: return "load-fail"
        case .originTimeout: return "origin-timeout"
        case .pause: return "pause"
        case .resume: return "resume"
        case .write: return "write"
        case .expire: return "expire"
        case .restart: return "restart"
        case .return: return "return"
        }
    }
}
