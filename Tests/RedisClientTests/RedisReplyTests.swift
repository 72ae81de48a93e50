import RedisClient
import Testing

/// Accessors and rendering, without a server.
@Suite struct RedisReplyTests {
    @Test func accessorsTakeTheirShape() throws {
        #expect(try RedisReply.integer(-1).integer(command: "EVAL") == -1)
        #expect(try RedisReply.status("OK").status(command: "SET") == "OK")
        #expect(try RedisReply.status("OK").statusOrNull(command: "SET") == "OK")
        #expect(try RedisReply.null.statusOrNull(command: "SET") == nil)
        #expect(try RedisReply.bulk([1, 2]).bulk(command: "GET") == [1, 2])
        #expect(try RedisReply.null.bulkOrNull(command: "GET") == nil)
        #expect(try RedisReply.array([.null]).array(command: "EVAL") == [.null])
    }

    @Test func accessorsRefuseOtherShapes() {
        let cases: [(RedisReply, (RedisReply) throws(RedisError) -> Void, String)] = [
            (.null, { reply throws(RedisError) in _ = try reply.integer(command: "X") }, "expected integer, got nil"),
            (.integer(3), { reply throws(RedisError) in _ = try reply.status(command: "X") }, "expected status, got integer 3"),
            (.bulk([]), { reply throws(RedisError) in _ = try reply.statusOrNull(command: "X") }, "expected status or nil, got bulk string (0 bytes)"),
            (.status("OK"), { reply throws(RedisError) in _ = try reply.bulk(command: "X") }, "expected bulk string, got status \"OK\""),
            (.array([]), { reply throws(RedisError) in _ = try reply.bulkOrNull(command: "X") }, "expected bulk string or nil, got array of 0"),
            (.error("ERR no"), { reply throws(RedisError) in _ = try reply.array(command: "X") }, "expected array, got error reply \"ERR no\""),
        ]
        for (reply, access, expected) in cases {
            let error = redisError { () throws(RedisError) in try access(reply) }
            #expect(error?.kind == .unexpectedReply, "\(reply)")
            #expect(error?.description.hasPrefix("unexpected reply to X: \(expected);") == true, "\(String(describing: error))")
        }
    }

    @Test func descriptionEscapesBinary() {
        #expect(RedisReply.bulk([0, 13, 10, 0x22, 0x5c, 0x41, 0xff]).description == #""\x00\r\n\"\\A\xff""#)
        #expect(RedisReply.array([.status("OK"), .error("ERR x"), .integer(1), .null]).description == "[+OK, -ERR x, :1, (nil)]")
    }
}
