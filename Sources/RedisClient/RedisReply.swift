/// One RESP2 reply, copied out of hiredis's reply object into plain Swift values.
///
/// Copied, not wrapped: a hiredis reply must be freed exactly once with `freeReplyObject`, and a value type that
/// owns no C memory can be stored, compared and sent across threads freely. A server error (`-ERR`, `-WRONGTYPE`,
/// `-NOSCRIPT`) is a reply, not a thrown error: the connection stays healthy and the caller decides what it means.
public enum RedisReply: Hashable, Sendable {
    /// A simple string, e.g. `+OK` (hiredis REDIS_REPLY_STATUS = 5).
    case status(String)
    /// An error reply, e.g. `-WRONGTYPE Operation against a key holding the wrong kind of value` (REDIS_REPLY_ERROR = 6).
    case error(String)
    /// An integer, e.g. DEL's count (REDIS_REPLY_INTEGER = 3).
    case integer(Int64)
    /// A bulk string, binary-safe (REDIS_REPLY_STRING = 1).
    case bulk([UInt8])
    /// The nil bulk string or nil array, e.g. GET of a missing key (REDIS_REPLY_NIL = 4).
    case null
    /// An array of replies, e.g. from EVAL returning a table (REDIS_REPLY_ARRAY = 2).
    case array([RedisReply])
}

// MARK: - Description

extension RedisReply: CustomStringConvertible {
    /// A redis-cli-like rendering for logs and test failures; bulk strings are shown escaped.
    public var description: String {
        switch self {
        case .status(let text): return "+\(text)"
        case .error(let text): return "-\(text)"
        case .integer(let value): return ":\(value)"
        case .bulk(let bytes): return "\"\(Self.escaped(bytes))\""
        case .null: return "(nil)"
        case .array(let elements): return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The shape without any bulk payload, for error messages: a bulk value may be a secret or huge.
    var shapeDescription: String {
        switch self {
        case .status(let text): return "status \"\(text)\""
        case .error(let text): return "error reply \"\(text)\""
        case .integer(let value): return "integer \(value)"
        case .bulk(let bytes): return "bulk string (\(bytes.count) bytes)"
        case .null: return "nil"
        case .array(let elements): return "array of \(elements.count)"
        }
    }

    /// Bulk bytes shown the way redis-cli and MONITOR quote them (`MonitorLine.quoted`).
    private static func escaped(_ bytes: [UInt8]) -> String {
        MonitorLine.quoted(bytes)
    }
}
