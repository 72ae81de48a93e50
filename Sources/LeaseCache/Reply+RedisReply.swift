import RedisClient
import Trace

extension Reply {
    /// The protocol's view of a hiredis reply: an array (or anything else the protocol's commands never produce)
    /// becomes `.other`, which LeaseCore treats as a wrong-type reply.
    public init(_ reply: RedisReply) {
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
