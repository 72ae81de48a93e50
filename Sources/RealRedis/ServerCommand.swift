import Trace

/// A command the server executed for a run, decoded from its MONITOR line: keys without the run's prefix.
public enum ServerCommand: Hashable, Sendable, CustomStringConvertible {
    /// A command of the protocol, in the trace's vocabulary (TTLs as sent).
    case protocolCommand(Command)
    /// `SET <key> <value>` with no option, or with `EX s` / `PX ms`: how a harness seeds a run's initial state.
    case seed(key: String, value: [UInt8], ttlMilliseconds: Int64?)
    /// `DEL <key> <key> ...` of several keys: how a harness removes its keys at the end.
    case deleteMany(keys: [String])

    public var description: String {
        switch self {
        case .protocolCommand(let command):
            return command.description
        case .seed(let key, let value, let ttl):
            return "SET \(key) \(CacheValue.render(value))" + (ttl.map { " PX \($0)" } ?? "")
        case .deleteMany(let keys):
            return "DEL " + keys.joined(separator: " ")
        }
    }
}

/// One command of the history: when the server ran it, for which client, and what it was.
public struct HistoryEntry: Hashable, Sendable {
    /// The server's clock at execution, in microseconds since the Unix epoch.
    public var serverMicroseconds: Int64
    /// The client's `ip:port` (or `unix:<path>`): which connection sent it.
    public var client: String
    public var command: ServerCommand

    public init(serverMicroseconds: Int64, client: String, command: ServerCommand) {
        self.serverMicroseconds = serverMicroseconds
        self.client = client
        self.command = command
    }
}
