import CHiredis

/// What a MONITOR reader needs of a connection: replies no command asked for, and the socket to shut down.
extension RedisConnection {
    /// Reads the next reply the server pushes unasked (MONITOR's lines), waiting as long as the command timeout
    /// allows (forever when it is 0).
    func readPushedReply(command: String) throws(RedisError) -> RedisReply {
        var reply: UnsafeMutableRawPointer?
        try callHiredis(command) { context in
            precondition(pendingReplyCount == 0, "a pushed reply read while \(pendingReplyCount) replies are unread")
            return redisGetReply(context, &reply)
        }
        return try takeReply(reply, command: command)
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
