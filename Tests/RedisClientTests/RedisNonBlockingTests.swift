import RedisClient
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The non-blocking use an event loop makes of a connection: append, flush, poll, read, take replies in order;
/// and a timeout the caller declares breaks the connection like any failure.
@Suite struct RedisNonBlockingTests {
    /// Waits (up to 5 s) until the socket is readable.
    private static func waitReadable(_ connection: RedisConnection) -> Bool {
        guard let descriptor = connection.fileDescriptor else { return false }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 5_000) == 1
    }

    @Test func pipelinedRepliesComeInOrderWithoutBlocking() throws {
        try withRedisConnection { connection, _ throws in
            try connection.makeNonBlocking()
            #expect(try connection.takeReadyReply() == nil, "nothing appended, nothing ready")
            try connection.append(strings: ["SET", "nb", "v1"])
            try connection.append(strings: ["GET", "nb"])
            try connection.append(strings: ["GET", "missing"])
            #expect(connection.pendingReplyCount == 3)
            while try !connection.flushOutput() {}
            var replies: [RedisReply] = []
            while replies.count < 3 {
                #expect(Self.waitReadable(connection))
                try connection.readInput()
                while let reply = try connection.takeReadyReply() { replies.append(reply) }
            }
            #expect(replies == [.status("OK"), .bulk(bytes("v1")), .null])
            #expect(connection.pendingReplyCount == 0)
            // Nothing more to read: a read that would block is not an error.
            try connection.readInput()
            #expect(try connection.takeReadyReply() == nil)
        }
    }

    @Test func aDeclaredTimeoutBreaksTheConnectionAndNamesTheRest() throws {
        try withRedisConnection { connection, server throws in
            try connection.makeNonBlocking()
            try connection.append(strings: ["GET", "a"])
            try connection.append(strings: ["DEL", "b"])
            let timeout = connection.breakConnectionTimedOut()
            #expect(timeout.isTimeout)
            #expect(timeout.description.contains("127.0.0.1:\(server.port)"))
            #expect(timeout.description.contains("GET"), "the oldest command is the one that timed out")
            #expect(connection.isBroken && connection.fileDescriptor == nil)
            let unanswered = connection.abandonUnanswered()
            #expect(unanswered.count == 2)
            #expect(unanswered.allSatisfy { $0.kind == .connectionBroken && !$0.isTimeout })
            #expect(unanswered.last?.description.contains("DEL") == true)
            #expect(connection.pendingReplyCount == 0)
            #expect(throws: RedisError.self) { try connection.flushOutput() }
        }
    }
}
