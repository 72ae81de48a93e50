/// Why a real run could not be carried out: one line, where, what, and what to do (STYLE 7).
public struct RedisRunError: Error, Sendable, CustomStringConvertible {
    private enum Reason: Sendable {
        case proxy
        case setUp
        case scale
        case notReproducible
        case monitor
        case server
    }

    private let reason: Reason
    /// The line shown to the user.
    public let description: String

    private init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }

    /// The harness's own proxy failed (a local socket problem).
    static func proxy(_ what: String) -> RedisRunError {
        RedisRunError(.proxy, "leaselab redis: the harness's reply proxy: \(what); check the machine's open-file limit")
    }

    /// The run could not be prepared on the server.
    static func setUp(_ what: String) -> RedisRunError {
        RedisRunError(.setUp, what)
    }

    /// The time scale is unusable.
    static func scale(_ what: String) -> RedisRunError {
        RedisRunError(.scale, what)
    }

    /// The scenario holds something a real run cannot do.
    static func notReproducible(_ what: String) -> RedisRunError {
        RedisRunError(.notReproducible, what)
    }

    /// The MONITOR connection failed (refused, or lost).
    static func monitor(_ what: String) -> RedisRunError {
        RedisRunError(.monitor, what)
    }

    /// The server went away or answered wrongly outside a call.
    static func server(_ what: String) -> RedisRunError {
        RedisRunError(.server, what)
    }

    /// Whether the scenario cannot run for real (a `real-redis: skip`, or a fault a real run cannot make).
    public var isNotReproducible: Bool {
        if case .notReproducible = reason { return true }
        return false
    }

    /// Whether MONITOR was refused or lost.
    public var isMonitorFailure: Bool {
        if case .monitor = reason { return true }
        return false
    }
}
