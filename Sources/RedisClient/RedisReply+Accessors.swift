/// Typed accessors: take the shape the caller needs, or throw an ``RedisError/Kind/unexpectedReply`` error that
/// names the command, the shape expected and the shape received.
///
/// This is where wrong-type handling lands: an error reply (e.g. `-WRONGTYPE`, or `-ERR value is not an integer`)
/// where an integer was expected throws with the server's text in the message, and the connection stays usable.
/// `command` is the command's name as the caller wants it shown ("DEL", "EVAL release"); never pass arguments,
/// which may be secrets.
extension RedisReply {
    /// An integer reply, e.g. DEL's count or a script's `return 1`.
    public func integer(command: String) throws(RedisError) -> Int64 {
        guard case .integer(let value) = self else { throw .unexpectedReply(command: command, expected: "integer", got: self) }
        return value
    }

    /// A status reply, e.g. "OK".
    public func status(command: String) throws(RedisError) -> String {
        guard case .status(let text) = self else { throw .unexpectedReply(command: command, expected: "status", got: self) }
        return text
    }

    /// A status reply or nil, e.g. `SET ... NX`: "OK" when set, nil when the condition was not met.
    public func statusOrNull(command: String) throws(RedisError) -> String? {
        switch self {
        case .status(let text): return text
        case .null: return nil
        case .error, .integer, .bulk, .array:
            throw .unexpectedReply(command: command, expected: "status or nil", got: self)
        }
    }

    /// A bulk string.
    public func bulk(command: String) throws(RedisError) -> [UInt8] {
        guard case .bulk(let bytes) = self else { throw .unexpectedReply(command: command, expected: "bulk string", got: self) }
        return bytes
    }

    /// A bulk string or nil, e.g. GET: the value, or nil for a missing key.
    public func bulkOrNull(command: String) throws(RedisError) -> [UInt8]? {
        switch self {
        case .bulk(let bytes): return bytes
        case .null: return nil
        case .status, .error, .integer, .array:
            throw .unexpectedReply(command: command, expected: "bulk string or nil", got: self)
        }
    }

    /// An array of replies.
    public func array(command: String) throws(RedisError) -> [RedisReply] {
        guard case .array(let elements) = self else { throw .unexpectedReply(command: command, expected: "array", got: self) }
        return elements
    }
}
