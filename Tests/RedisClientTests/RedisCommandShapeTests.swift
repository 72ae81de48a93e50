import RedisClient
import Testing

/// Every command shape the lease protocol sends, against a real redis-server.
@Suite struct RedisCommandShapeTests {
    @Test func connectAndPing() throws {
        try withRedisConnection { connection, server throws in
            #expect(try connection.send("PING") == .status("PONG"))
            #expect(connection.description == "127.0.0.1:\(server.port)")
            #expect(connection.host == "127.0.0.1" && connection.port == server.port)
            #expect(!connection.isBroken)
        }
    }

    @Test func getReturnsBulkOrNull() throws {
        try withRedisConnection { connection, _ throws in
            #expect(try connection.send("GET", "k") == .null)
            #expect(try connection.send("GET", "k").bulkOrNull(command: "GET") == nil)
            #expect(try connection.send("SET", "k", "v") == .status("OK"))
            #expect(try connection.send("GET", "k") == .bulk(bytes("v")))
            #expect(try connection.send("GET", "k").bulkOrNull(command: "GET") == bytes("v"))
        }
    }

    @Test func setNXPXTakesAFreeLeaseAndRefusesAHeldOne() throws {
        try withRedisConnection { connection, _ throws in
            #expect(try connection.send("SET", "lease:k", "tok", "PX", "5000", "NX") == .status("OK"))
            #expect(try connection.send("SET", "lease:k", "tok2", "PX", "5000", "NX") == .null)
            #expect(try connection.send("SET", "lease:k", "tok2", "PX", "5000", "NX").statusOrNull(command: "SET") == nil)
            #expect(try connection.send("GET", "lease:k") == .bulk(bytes("tok")))
            let remaining = try connection.send("PTTL", "lease:k").integer(command: "PTTL")
            #expect(remaining > 0 && remaining <= 5000)
        }
    }

    @Test func setEXStoresWithATTL() throws {
        try withRedisConnection { connection, _ throws in
            #expect(try connection.send("SET", "k", "v", "EX", "300").status(command: "SET") == "OK")
            let remaining = try connection.send("TTL", "k").integer(command: "TTL")
            #expect(remaining > 290 && remaining <= 300)
        }
    }

    @Test func delCountsRemovedKeys() throws {
        try withRedisConnection { connection, _ throws in
            _ = try connection.send("SET", "a", "1")
            _ = try connection.send("SET", "b", "2")
            #expect(try connection.send("DEL", "a", "b", "c") == .integer(2))
            #expect(try connection.send("DEL", "a").integer(command: "DEL") == 0)
        }
    }

    @Test func releaseScriptReturnsOneZeroOrMinusOne() throws {
        try withRedisConnection { connection, _ throws in
            _ = try connection.send("SET", "lease:{k}", "tok", "PX", "5000", "NX")
            #expect(try connection.send("EVAL", Scripts.release, "1", "lease:{k}", "other") == .integer(0))
            #expect(try connection.send("GET", "lease:{k}") == .bulk(bytes("tok")))
            #expect(try connection.send("EVAL", Scripts.release, "1", "lease:{k}", "tok") == .integer(1))
            #expect(try connection.send("GET", "lease:{k}") == .null)
            #expect(try connection.send("EVAL", Scripts.release, "1", "lease:{k}", "tok") == .integer(-1))
        }
    }

    @Test func fencedWriteStoresOnlyUnderOurLease() throws {
        try withRedisConnection { connection, _ throws in
            _ = try connection.send("SET", "lease:{k}", "tok", "PX", "5000", "NX")
            let refused = try connection.send("EVAL", Scripts.fencedWrite, "2", "{k}", "lease:{k}", "stale", "other", "300")
            #expect(refused == .integer(0))
            #expect(try connection.send("GET", "{k}") == .null)
            let stored = try connection.send("EVAL", Scripts.fencedWrite, "2", "{k}", "lease:{k}", "fresh", "tok", "300")
            #expect(stored == .status("OK"))
            #expect(try connection.send("GET", "{k}") == .bulk(bytes("fresh")))
            let remaining = try connection.send("TTL", "{k}").integer(command: "TTL")
            #expect(remaining > 290 && remaining <= 300)
        }
    }

    @Test func binaryKeysAndValuesRoundTrip() throws {
        try withRedisConnection { connection, _ throws in
            let key: [UInt8] = bytes("k\0\r\n") + [0, 0xff]
            let value: [UInt8] = [0, 13, 10, 0, 0xff, 0xfe, 36, 42] + bytes("\r\n$3\r\nabc\r\n")
            #expect(try connection.send([bytes("SET"), key, value]) == .status("OK"))
            #expect(try connection.send([bytes("GET"), key]) == .bulk(value))
            #expect(try connection.send([bytes("STRLEN"), key]) == .integer(Int64(value.count)))
            // The key with the bytes cut at the first NUL is a different key.
            #expect(try connection.send("GET", "k") == .null)
            // Empty argument: a zero-length value is stored and read back as an empty bulk, not nil.
            #expect(try connection.send([bytes("SET"), bytes("empty"), []]) == .status("OK"))
            #expect(try connection.send("GET", "empty") == .bulk([]))
        }
    }

    @Test func arrayRepliesComeBackNested() throws {
        try withRedisConnection { connection, _ throws in
            let reply = try connection.send("EVAL", "return {1, 'two', {3}, redis.call('get', 'missing')}", "0")
            // GET of a missing key is Lua false inside a script, and false goes back out as a nil reply.
            #expect(reply == .array([.integer(1), .bulk(bytes("two")), .array([.integer(3)]), .null]))
            #expect(try reply.array(command: "EVAL").count == 4)
        }
    }
}
