import CHiredis

/// Pipelining: queue several commands, send them in one write, then read the replies in order.
///
/// `append` only adds to hiredis's output buffer (`redisAppendCommandArgv`); the first `readReply`
/// (`redisGetReply`) flushes it and reads. Replies come back in command order (a connection is FIFO). Server
/// errors are ``RedisReply/error(_:)`` replies in their place. If a read fails, the connection breaks and every
/// command not yet answered may or may not have been applied.
extension RedisConnection {
    /// Queues a command without sending it; read its reply later with ``readReply()``.
    public func append(_ arguments: [[UInt8]]) throws(RedisError) {
        try append(named: commandName(arguments)) { context in
            withHiredisArguments(arguments) { count, argv, lengths in
                redisAppendCommandArgv(context, count, argv, lengths)
            }
        }
    }

    /// Queues a command already in RESP (`*<count>\r\n` and `$<length>\r\n<bytes>\r\n` per argument), named
    /// `name` in errors, without sending it: what ``append(_:)`` does without laying out an argv and having hiredis
    /// format it, for a caller that writes its commands' RESP itself into a buffer it reuses (hiredis copies the
    /// bytes into its output buffer).
    public func append(formatted command: UnsafeRawBufferPointer, name: String) throws(RedisError) {
        precondition(command.first == UInt8(ascii: "*"), "append(formatted:) takes a RESP array, not \(name)")
        try append(named: name) { context in
            redisAppendFormattedCommand(
                context, command.baseAddress?.assumingMemoryBound(to: CChar.self), command.count)
        }
    }

    /// Adds one command to hiredis's output buffer through `appendCommand`, and remembers its name for errors.
    private func append(
        named name: String, _ appendCommand: (UnsafeMutablePointer<redisContext>) -> Int32
    ) throws(RedisError) {
        try callHiredis(name) { context in
            precondition(
                pendingReplyCount < Self.pendingReplyCountMaximum,
                "more than \(Self.pendingReplyCountMaximum) pipelined commands unread; read replies as you go")
            return appendCommand(context)
        }
        pendingCommandNames.append(name)
    }

    /// Queues a command given as strings (sent as UTF-8 bytes).
    public func append(strings words: [String]) throws(RedisError) {
        try append(words.map { Array($0.utf8) })
    }

    /// Sends what is queued, if anything, and reads the reply to the oldest appended command.
    public func readReply() throws(RedisError) -> RedisReply {
        let command = oldestPendingName
        var reply: UnsafeMutableRawPointer?
        try callHiredis(command) { context in
            // Checked inside the call, so that a broken connection still throws its error first.
            precondition(pendingReplyCount > 0, "readReply() with no appended command would wait for nothing")
            return redisGetReply(context, &reply)
        }
        popPendingName()
        return try takeReply(reply, command: command)
    }

    /// Sends every command in one write and returns their replies in order.
    public func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        precondition(pendingReplyCount == 0, "pipeline() with \(pendingReplyCount) earlier appended replies unread")
        for command in commands { try append(command) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try readReply()) }
        return replies
    }

    /// ``pipeline(_:)`` with commands given as strings.
    public func pipeline(strings commands: [[String]]) throws(RedisError) -> [RedisReply] {
        try pipeline(commands.map { $0.map { Array($0.utf8) } })
    }
}
