import CHiredis

/// What a MONITOR reader needs of a connection: replies no command asked for, and the socket to shut down.
extension RedisConnection {
    /// Reads the next reply the server pushes unasked (MONITOR's lines), waiting as long as the command timeout
    /// allows (forever when it is 0). A status reply comes back as its bytes, as they came: a MONITOR line is
    /// parsed from bytes, and making a string of it first (and bytes again from the string) was two copies and a
    /// UTF-8 check per line on the reader's hot path. Any other reply comes back whole.
    func readPushedReply(command: String) throws(RedisError) -> PushedReply {
        var reply: UnsafeMutableRawPointer?
        try callHiredis(command) { context in
            precondition(pendingReplyCount == 0, "a pushed reply read while \(pendingReplyCount) replies are unread")
            return redisGetReply(context, &reply)
        }
        if let reply, case let node = reply.assumingMemoryBound(to: redisReply.self).pointee,
            node.type == REDIS_REPLY_STATUS
        {
            defer { freeReplyObject(reply) }
            return .statusLine(RedisReply.bytes(node))
        }
        return .other(try takeReply(reply, command: command))
    }

    /// The live context's socket, so that another thread can `shutdown(2)` it to end a blocking read; nil once
    /// the context is freed.
    var socketDescriptor: Int32? {
        switch state {
        case .open(let context): return context.pointee.fd
        case .broken, .closed: return nil
        }
    }
}

/// A reply the server pushed unasked.
enum PushedReply {
    /// A status line's bytes: what MONITOR pushes for each command.
    case statusLine([UInt8])
    /// Any other reply.
    case other(RedisReply)
}
