import Trace

/// What the server did for a run, replies and expiries included: the MONITOR history replayed.
public enum ServerEvent: Hashable, Sendable {
    /// The server executed `command` for `client` and replied `reply` (computed by the replay).
    case exec(serverMicroseconds: Int64, client: String, command: ServerCommand, reply: Reply)
    /// A key's deadline passed: stamped at `(when + 1)` ms, as DESIGN.md's `expire` event is.
    case expire(serverMicroseconds: Int64, key: String)

    /// When it happened, on the server's clock.
    public var serverMicroseconds: Int64 {
        switch self {
        case .exec(let time, _, _, _), .expire(let time, _): return time
        }
    }
}
