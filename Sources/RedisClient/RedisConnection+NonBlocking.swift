import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Non-blocking use, for an event loop that drives many connections from one thread (LeaseCache's).
///
/// The connection is opened and authenticated as usual (blocking, with its connect timeout), then switched with
/// ``makeNonBlocking()``. From then on the caller owns the waiting: it ``append(_:)``s commands, calls
/// ``flushOutput()`` until it returns true (polling for writability between calls), and when the socket is
/// readable calls ``readInput()`` then ``takeReadyReply()`` until it returns nil. Replies come in command order,
/// as ever. hiredis's `SO_RCVTIMEO` no longer applies: the caller keeps each command's deadline and calls
/// ``breakConnection(timedOutOn:)`` when one passes. ``send(_:)`` and ``readReply()``, which block, must not be
/// used on a non-blocking connection.
extension RedisConnection {
    /// Sets `O_NONBLOCK` on the socket and clears hiredis's `REDIS_BLOCK` flag, so that hiredis treats `EAGAIN` as
    /// "try again later" instead of an error. Call once, with no command pending.
    public func makeNonBlocking() throws(RedisError) {
        try callHiredis("(non-blocking)") { context in
            precondition(pendingReplyCount == 0, "makeNonBlocking() with \(pendingReplyCount) replies unread")
            let descriptor = context.pointee.fd
            let flags = fcntl(descriptor, F_GETFL)
            guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
                context.pointee.err = REDIS_ERR_IO
                return REDIS_ERR
            }
            context.pointee.flags &= ~Int32(REDIS_BLOCK)
            return REDIS_OK
        }
    }

    /// The socket, for `poll`; nil once the connection is broken or closed.
    public var fileDescriptor: Int32? {
        switch state {
        case .open(let context): return context.pointee.fd
        case .broken, .closed: return nil
        }
    }

    /// Writes as much of the output buffer as the socket takes (`redisBufferWrite`); returns whether it is empty.
    public func flushOutput() throws(RedisError) -> Bool {
        var done: Int32 = 0
        try callHiredis(oldestPendingName) { context in
            redisBufferWrite(context, &done)
        }
        return done != 0
    }

    /// Reads what the socket has into hiredis's reader (one `read`; nothing when it would block).
    public func readInput() throws(RedisError) {
        try callHiredis(oldestPendingName) { context in
            redisBufferRead(context)
        }
    }

    /// The reply to the oldest appended command if the reader holds all of it, else nil.
    public func takeReadyReply() throws(RedisError) -> RedisReply? {
        let command = oldestPendingName
        var reply: UnsafeMutableRawPointer?
        try callHiredis(command) { context in
            redisGetReplyFromReader(context, &reply)
        }
        guard reply != nil else { return nil }
        precondition(pendingReplyCount > 0, "a reply arrived for no appended command")
        popPendingName()
        return try takeReply(reply, command: command)
    }

    /// Breaks the connection because the oldest appended command's deadline passed, and returns the timeout
    /// error naming it (it may or may not have been applied). Later calls throw a
    /// ``RedisError/Kind/connectionBroken`` error, as after any failure.
    public func breakConnectionTimedOut() -> RedisError {
        let error = RedisError.timedOut(
            endpoint: description, command: oldestPendingName, timeoutMicroseconds: commandTimeoutMicroseconds)
        breakConnection(error)
        return error
    }

    /// Once the connection has broken: one error for each appended command still unanswered, oldest first, each
    /// naming its command and the break's cause (it may or may not have been applied); forgets them.
    public func abandonUnanswered() -> [RedisError] {
        let names = pendingCommandNames[pendingStart...]
        let errors: [RedisError] = names.map { command in
            switch state {
            case .broken(let cause): return .connectionBroken(endpoint: description, command: command, cause: cause)
            case .closed: return .connectionClosed(endpoint: description, command: command)
            case .open: preconditionFailure("abandonUnanswered() on a live connection")
            }
        }
        clearPending()
        return errors
    }
}
