/// A failure talking to Redis, as one clear line: where (host:port), what, and what to do.
///
/// A struct wrapping a private enum so that cases can grow without breaking callers (STYLE 8). Callers branch on
/// ``kind`` or on the boolean queries, above all ``mayHaveBeenApplied``: after a timeout or a lost connection the
/// server may have applied the command and only its reply was lost, so a caller must not treat "no reply" as
/// "not done".
public struct RedisError: Error, CustomStringConvertible, Sendable {
    // MARK: - Kind

    /// What went wrong, coarsely; stable across new private cases.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case couldNotConnect
            case timedOut
            case connectionLost
            case protocolError
            case unexpectedReply
            case serverRefused
            case connectionBroken
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No connection was made (refused, unreachable, bad address); nothing was sent.
        public static let couldNotConnect = Kind(.couldNotConnect)
        /// The command timeout passed with no reply; the command may or may not have been applied.
        public static let timedOut = Kind(.timedOut)
        /// The connection ended (EOF, reset, other I/O error) before the reply; may or may not have been applied.
        public static let connectionLost = Kind(.connectionLost)
        /// hiredis could not parse what the server sent; the command may or may not have been applied.
        public static let protocolError = Kind(.protocolError)
        /// The server answered, with something of a shape the caller cannot use (including an error reply).
        public static let unexpectedReply = Kind(.unexpectedReply)
        /// The server refused AUTH or SELECT; the connection is usable but not in the state the caller asked for.
        public static let serverRefused = Kind(.serverRefused)
        /// The connection broke earlier or was closed; nothing was sent this time.
        public static let connectionBroken = Kind(.connectionBroken)

        public var description: String {
            switch base {
            case .couldNotConnect: return "couldNotConnect"
            case .timedOut: return "timedOut"
            case .connectionLost: return "connectionLost"
            case .protocolError: return "protocolError"
            case .unexpectedReply: return "unexpectedReply"
            case .serverRefused: return "serverRefused"
            case .connectionBroken: return "connectionBroken"
            }
        }
    }

    // MARK: - Cases

    private enum Base: Sendable {
        /// `reason` is the OS's or hiredis's text, e.g. "Connection refused".
        case couldNotConnect(reason: String)
        /// The read (or write) of `command` hit SO_RCVTIMEO / SO_SNDTIMEO.
        case timedOut(command: String, timeoutMicroseconds: Int64)
        /// EOF, reset or another I/O error while `command` was in flight; `reason` is hiredis's errstr.
        case connectionLost(command: String, reason: String)
        /// hiredis's reader rejected the byte stream, or produced a reply type this wrapper does not know.
        case protocolError(command: String, reason: String)
        /// `got` describes the reply without its payload (a bulk value may be secret); error text is kept.
        case unexpectedReply(command: String, expected: String, got: String)
        /// AUTH or SELECT answered with an error; `serverMessage` never holds the password.
        case serverRefused(command: String, serverMessage: String)
        /// `cause` is the one-line "what" of the error that broke the connection.
        case connectionBroken(command: String, cause: String)
        /// ``RedisConnection/close()`` was called before `command`.
        case connectionClosed(command: String)
    }

    private let base: Base

    /// "host:port", or nil for a reply-shape error raised by a ``RedisReply`` accessor, which has no connection.
    public let endpoint: String?

    private init(_ base: Base, endpoint: String?) {
        self.base = base
        self.endpoint = endpoint
    }

    // MARK: - Constructors (module-internal: only this module decides what a failure is)

    static func couldNotConnect(endpoint: String, reason: String) -> RedisError {
        RedisError(.couldNotConnect(reason: reason), endpoint: endpoint)
    }

    static func timedOut(endpoint: String, command: String, timeoutMicroseconds: Int64) -> RedisError {
        RedisError(.timedOut(command: command, timeoutMicroseconds: timeoutMicroseconds), endpoint: endpoint)
    }

    static func connectionLost(endpoint: String, command: String, reason: String) -> RedisError {
        RedisError(.connectionLost(command: command, reason: reason), endpoint: endpoint)
    }

    static func protocolError(endpoint: String?, command: String, reason: String) -> RedisError {
        RedisError(.protocolError(command: command, reason: reason), endpoint: endpoint)
    }

    static func unexpectedReply(command: String, expected: String, got: RedisReply) -> RedisError {
        RedisError(.unexpectedReply(command: command, expected: expected, got: got.shapeDescription), endpoint: nil)
    }

    static func serverRefused(endpoint: String, command: String, serverMessage: String) -> RedisError {
        RedisError(.serverRefused(command: command, serverMessage: serverMessage), endpoint: endpoint)
    }

    static func connectionBroken(endpoint: String, command: String, cause: RedisError) -> RedisError {
        RedisError(.connectionBroken(command: command, cause: cause.what), endpoint: endpoint)
    }

    static func connectionClosed(endpoint: String, command: String) -> RedisError {
        RedisError(.connectionClosed(command: command), endpoint: endpoint)
    }

    // MARK: - Queries

    public var kind: Kind {
        switch base {
        case .couldNotConnect: return .couldNotConnect
        case .timedOut: return .timedOut
        case .connectionLost: return .connectionLost
        case .protocolError: return .protocolError
        case .unexpectedReply: return .unexpectedReply
        case .serverRefused: return .serverRefused
        case .connectionBroken, .connectionClosed: return .connectionBroken
        }
    }

    /// The command's name ("GET", "EVAL", "SELECT 1"), never its arguments; nil for a connect failure.
    public var command: String? {
        switch base {
        case .couldNotConnect: return nil
        case .timedOut(let command, _), .connectionLost(let command, _), .protocolError(let command, _),
            .unexpectedReply(let command, _, _), .serverRefused(let command, _), .connectionBroken(let command, _),
            .connectionClosed(let command):
            return command
        }
    }

    /// True when the command was sent and no usable reply came back: the server may have applied it or not, and
    /// only reading the state back can tell. For a pipeline this holds for every command not yet answered.
    public var mayHaveBeenApplied: Bool {
        switch base {
        case .timedOut, .connectionLost, .protocolError: return true
        case .couldNotConnect, .unexpectedReply, .serverRefused, .connectionBroken, .connectionClosed: return false
        }
    }

    /// True when the connection that raised this can never be used again: open a new one.
    public var connectionIsDead: Bool {
        switch base {
        case .couldNotConnect, .timedOut, .connectionLost, .protocolError, .connectionBroken, .connectionClosed:
            return true
        case .unexpectedReply, .serverRefused: return false
        }
    }

    public var isConnectFailure: Bool { kind == .couldNotConnect }
    public var isTimeout: Bool { kind == .timedOut }
    public var isConnectionLost: Bool { kind == .connectionLost }
    public var isProtocolError: Bool { kind == .protocolError }
    public var isUnexpectedReply: Bool { kind == .unexpectedReply }
    public var isServerRefusal: Bool { kind == .serverRefused }
    public var isConnectionBroken: Bool { kind == .connectionBroken }

    /// The server's error text, when the server answered with one (a refusal, or an error reply where another
    /// shape was expected).
    public var serverMessage: String? {
        switch base {
        case .serverRefused(_, let serverMessage): return serverMessage
        case .couldNotConnect, .timedOut, .connectionLost, .protocolError, .unexpectedReply, .connectionBroken,
            .connectionClosed:
            return nil
        }
    }

    // MARK: - Description

    /// One line: where, what, and what to do.
    public var description: String {
        let prefix = endpoint.map { "\($0): " } ?? ""
        return prefix + what + "; " + advice
    }

    /// The middle of ``description``: what happened, without where or advice.
    var what: String {
        switch base {
        case .couldNotConnect(let reason):
            return "cannot connect: \(reason)"
        case .timedOut(let command, let timeoutMicroseconds):
            return "\(command) timed out after \(Self.milliseconds(timeoutMicroseconds)) with no reply"
        case .connectionLost(let command, let reason):
            return "connection lost during \(command): \(reason)"
        case .protocolError(let command, let reason):
            return "protocol error during \(command): \(reason)"
        case .unexpectedReply(let command, let expected, let got):
            return "unexpected reply to \(command): expected \(expected), got \(got)"
        case .serverRefused(let command, let serverMessage):
            return "\(command) failed: \(serverMessage)"
        case .connectionBroken(let command, let cause):
            return "\(command) not sent: the connection broke earlier (\(cause))"
        case .connectionClosed(let command):
            return "\(command) not sent: the connection was closed"
        }
    }

    private var advice: String {
        switch base {
        case .couldNotConnect:
            return "is redis-server running there? start one or pass --redis host:port"
        case .timedOut:
            return "the server may or may not have applied it; the connection is closed, open a new one "
                + "(or raise the command timeout if the server is just slow)"
        case .connectionLost:
            return "the server may or may not have applied it; check that redis-server is still running, "
                + "then open a new connection"
        case .protocolError:
            return "the server may or may not have applied it; is that port really a Redis server? "
                + "open a new connection"
        case .unexpectedReply:
            return "the key may hold another type, or the server is not the Redis version this client expects"
        case .serverRefused(let command, _):
            if command.hasPrefix("AUTH") { return "check the password (and username) given for this server" }
            if command.hasPrefix("MONITOR") {
                return "the user needs the monitor permission (ACL SETUSER <user> +monitor), "
                    + "or run without the MONITOR history"
            }
            if command.hasPrefix("SELECT") { return "pick a database below the server's `databases` setting" }
            return "check the server's configuration"
        case .connectionBroken, .connectionClosed:
            return "open a new connection"
        }
    }

    private static func milliseconds(_ microseconds: Int64) -> String {
        if microseconds % 1000 == 0 { return "\(microseconds / 1000) ms" }
        return "\(Double(microseconds) / 1000) ms"
    }
}
