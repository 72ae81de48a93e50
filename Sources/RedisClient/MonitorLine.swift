/// One line of Redis's MONITOR stream: when the server executed a command, for whom, and its arguments.
///
/// The server writes `1795708717.153891 [0 127.0.0.1:32892] "EVAL" "<script>" "1" "k" "v"` (TOOLCHAIN.md
/// "MONITOR"), each argument quoted the way `sdscatrepr` quotes it. Commands a script runs follow its EVAL line as
/// `[0 lua] "get" "k"`. MONITOR shows no replies and no expiries.
public struct MonitorLine: Sendable, Hashable {
    /// Who sent the command.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// A TCP client, as `ip:port` (`[::1]:port` for IPv6).
        case client(String)
        /// A command run inside a script; it follows the script's own EVAL line.
        case lua
        /// A client on a Unix socket, as its path.
        case unix(String)

        public var description: String {
            switch self {
            case .client(let peer): return peer
            case .lua: return "lua"
            case .unix(let path): return "unix:" + path
            }
        }
    }

    /// The server's wall clock when it executed the command, in microseconds since the Unix epoch.
    public var serverMicroseconds: Int64
    /// The database the command ran in.
    public var database: Int
    /// Who sent it.
    public var source: Source
    /// The command and its arguments, unquoted: the bytes the client sent.
    public var arguments: [[UInt8]]

    public init(serverMicroseconds: Int64, database: Int, source: Source, arguments: [[UInt8]]) {
        precondition(!arguments.isEmpty, "a MONITOR line has at least the command's name")
        self.serverMicroseconds = serverMicroseconds
        self.database = database
        self.source = source
        self.arguments = arguments
    }

    /// The command's name in upper case, e.g. `GET` (a script's commands come in lower case).
    public var commandName: String {
        String(decoding: arguments[0], as: UTF8.self).uppercased()
    }

    /// The key arguments of the commands leaselab sends or may meet, by Redis's key specs; empty for a command
    /// whose keys are not known here.
    ///
    /// A monitor keeps only lines all of whose keys lie under its run's prefix, so a command of unknown shape is
    /// dropped rather than guessed at: a line about someone else's keys is never stored.
    public var keys: [[UInt8]] {
        Array(arguments[keyPositions])
    }

    /// Where ``keys`` stand in ``arguments``: found without copying them, as the monitor's filter asks of every
    /// line (building the list of keys was a tenth of the reader's time).
    var keyPositions: Range<Int> {
        let count = arguments.count
        switch commandName {
        case "GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX", "EXPIRE", "PEXPIRE",
            "EXPIREAT", "PEXPIREAT", "PERSIST", "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "TYPE", "STRLEN",
            "INCR", "DECR", "INCRBY", "DECRBY", "APPEND":
            return count >= 2 ? 1..<2 : 1..<1
        case "DEL", "UNLINK", "EXISTS", "TOUCH", "MGET":
            return 1..<count
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard count >= 3, let numberOfKeys = Int(String(decoding: arguments[2], as: UTF8.self)),
                numberOfKeys >= 0, 3 + numberOfKeys <= count
            else { return 1..<1 }
            return 3..<(3 + numberOfKeys)
        default:
            return 1..<1
        }
    }

    /// True when the line names at least one key and every key starts with `prefix`.
    public func keepsTo(prefix: [UInt8]) -> Bool {
        let positions = keyPositions
        return !positions.isEmpty && positions.allSatisfy { arguments[$0].starts(with: prefix) }
    }
}

extension MonitorLine: CustomStringConvertible {
    /// The line as the server wrote it.
    public var description: String {
        let seconds = serverMicroseconds / 1_000_000
        let fraction = String(serverMicroseconds % 1_000_000)
        let quoted = arguments.map { "\"" + MonitorLine.quoted($0) + "\"" }.joined(separator: " ")
        return "\(seconds).\(String(repeating: "0", count: 6 - fraction.count))\(fraction) [\(database) \(source)] "
            + quoted
    }

    /// `sdscatrepr`'s quoting, without the surrounding quotes.
    static func quoted(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\t"): text += "\\t"
            case 0x07: text += "\\a"
            case 0x08: text += "\\b"
            case 0x20...0x7e: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return text
    }
}
