import CHiredis

// MARK: - Copying a hiredis reply

extension RedisReply {
    /// Copies a hiredis reply tree into Swift values; the caller still owns (and frees) `reply`.
    ///
    /// Throws a protocol error for a reply type outside hiredis 0.14's six: that would mean a different hiredis
    /// (1.x with RESP3 after `HELLO 3`) is linked, and guessing at the layout would be worse than stopping.
    init(copying reply: UnsafePointer<redisReply>, endpoint: String, command: String) throws(RedisError) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STATUS:
            self = .status(Self.text(node))
        case REDIS_REPLY_ERROR:
            self = .error(Self.text(node))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(node.integer))
        case REDIS_REPLY_STRING:
            self = .bulk(Self.bytes(node))
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                guard let element = node.element?[index] else {
                    throw .protocolError(
                        endpoint: endpoint, command: command, reason: "hiredis gave a null element in an array reply")
                }
                elements.append(try RedisReply(copying: element, endpoint: endpoint, command: command))
            }
            self = .array(elements)
        default:
            // Not our enum: hiredis's `int type`, so other values are possible in principle.
            throw .protocolError(
                endpoint: endpoint, command: command,
                reason: "unknown hiredis reply type \(node.type) (is a hiredis other than 0.14 linked?)")
        }
    }

    /// The bytes of a string, status or error reply node, copied out of hiredis's buffer.
    static func bytes(_ node: redisReply) -> [UInt8] {
        guard let start = node.str, node.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: node.len))
    }

    private static func text(_ node: redisReply) -> String {
        String(decoding: bytes(node), as: UTF8.self)
    }
}
