import RedisClient
import Trace

/// Why a diff run stopped before its end, as one line: where, what, and what to do.
public struct DiffError: Error, CustomStringConvertible, Sendable {
    private enum Base: Sendable {
        /// Talking to the real server failed (its own message says where and what to do).
        case redis(RedisError)
        /// The server answered a bracket command (TIME, PEXPIRETIME) with a shape it never gives.
        case malformedReply(endpoint: String, command: String, got: String)
        /// The server refused the connection's first PING, e.g. NOAUTH.
        case refused(endpoint: String, serverMessage: String)
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    static func redis(_ error: RedisError) -> DiffError { DiffError(.redis(error)) }

    static func malformedReply(endpoint: String, command: String, got: RedisReply) -> DiffError {
        DiffError(.malformedReply(endpoint: endpoint, command: command, got: Reply(got).description))
    }

    static func refused(endpoint: String, serverMessage: String) -> DiffError {
        DiffError(.refused(endpoint: endpoint, serverMessage: serverMessage))
    }

    public var description: String {
        switch base {
        case .redis(let error):
            return error.description
        case .malformedReply(let endpoint, let command, let got):
            return "\(endpoint): \(command) answered \(got); is this a Redis 7.0 or later server?"
        case .refused(let endpoint, let serverMessage):
            return "\(endpoint): PING refused (\(serverMessage)); if the server wants a password, set "
                + "LEASELAB_REDIS_PASSWORD"
        }
    }
}
