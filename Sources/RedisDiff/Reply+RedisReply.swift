import RedisClient
import Trace

extension Reply {
    /// The protocol's view of a hiredis reply; an array (which no protocol command gives) becomes `.other`.
    init(_ reply: RedisReply) {
        switch reply {
        case .status(let text): self = .status(text)
        case .error(let message): self = .error(message)
        case .integer(let value): self = .integer(value)
        case .bulk(let bytes): self = .bulk(bytes)
        case .null: self = .null
        case .array(let elements): self = .other("array of \(elements.count)")
        }
    }
}

extension RedisReply {
    /// `TIME`'s reply, `[seconds, microseconds]` as two bulk strings, in µs; nil for any other shape.
    var timeMicroseconds: Int64? {
        guard case .array(let parts) = self, parts.count == 2,
            case .bulk(let secondsBytes) = parts[0], case .bulk(let microsecondsBytes) = parts[1],
            let seconds = Int64(String(decoding: secondsBytes, as: UTF8.self)),
            let microseconds = Int64(String(decoding: microsecondsBytes, as: UTF8.self))
        else { return nil }
        return seconds * 1_000_000 + microseconds
    }
}
