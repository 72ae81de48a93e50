/// A Redis reply as the protocol sees it.
///
/// Only the shapes the protocol's commands can produce: a status (`+OK`), nil, a bulk string, an integer, or a
/// server error. An array or any other shape is a wrong-type reply, which the production module treats as an error.
public enum Reply: Hashable, Sendable, CustomStringConvertible {
    /// A status reply, such as `OK`.
    case status(String)
    /// A nil reply: a missing key, an unmet `NX`.
    case null
    /// A bulk string.
    case bulk([UInt8])
    /// An integer.
    case integer(Int64)
    /// A server error, such as `WRONGTYPE ...`: the server answered, the connection stays healthy.
    case error(String)
    /// Any other shape (an array, a double, ...): never valid for the protocol's commands.
    case other(String)

    /// `+OK`.
    public static let ok = Reply.status("OK")

    /// The trace form: `OK`, `nil`, the bulk as one word, the integer, `ERR(<message>)`.
    public var description: String {
        switch self {
        case .status(let text): return text
        case .null: return "nil"
        case .bulk(let bytes): return CacheValue.render(bytes)
        case .integer(let value): return String(value)
        case .error(let message): return "ERR(" + CacheValue.render(Array(message.utf8)) + ")"
        case .other(let shape): return "OTHER(" + CacheValue.render(Array(shape.utf8)) + ")"
        }
    }
}
