import RedisClient
import Testing

@Suite struct RedisPipelineTests {
    @Test func hundredCommandsComeBackInOrder() throws {
        try withRedisConnection { connection, _ throws in
            let commands = (1...100).map { _ in ["INCR", "counter"] }
            let replies = try connection.pipeline(strings: commands)
            #expect(replies == (1...100).map { RedisReply.integer(Int64($0)) })
            #expect(connection.pendingReplyCount == 0)
            #expect(try connection.send("GET", "counter") == .bulk(bytes("100")))
        }
    }

    @Test func appendThenReadReplyOneByOne() throws {
        try withRedisConnection { connection, _ throws in
            for index in 0..<100 {
                try connection.append(strings: ["SET", "key:\(index)", "value:\(index)"])
                try connection.append(strings: ["GET", "key:\(index)"])
            }
            #expect(connection.pendingReplyCount == 200)
            for index in 0..<100 {
                #expect(try connection.readReply() == .status("OK"))
                #expect(try connection.readReply() == .bulk(bytes("value:\(index)")))
            }
            #expect(connection.pendingReplyCount == 0)
            // A plain send works again once every pipelined reply is read.
            #expect(try connection.send("PING") == .status("PONG"))
        }
    }

    @Test func serverErrorsInAPipelineAreRepliesInTheirPlace() throws {
        try withRedisConnection { connection, _ throws in
            let replies = try connection.pipeline(strings: [["SET", "k", "v"], ["INCR", "k"], ["GET", "k"]])
            #expect(replies.count == 3)
            #expect(replies[0] == .status("OK"))
            guard case .error(let message) = replies[1] else {
                Issue.record("expected an error reply, got \(replies[1])")
                return
            }
            #expect(message.hasPrefix("ERR value is not an integer"))
            #expect(replies[2] == .bulk(bytes("v")))
        }
    }
}
