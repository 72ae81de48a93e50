import RedisClient
import Testing

/// Timeouts, refused connections, servers that die, and replies of the wrong shape.
@Suite struct RedisFailureTests {
    @Test func commandTimeoutBreaksTheConnection() throws {
        try withRedisServer(extraArguments: ["--enable-debug-command", "local"]) { server throws in
            let connection = try server.makeConnection(commandTimeoutMicroseconds: 100_000)
            let error = try #require(redisError { () throws(RedisError) in try connection.send("DEBUG", "SLEEP", "0.5") })
            #expect(error.kind == .timedOut)
            #expect(error.isTimeout)
            #expect(error.mayHaveBeenApplied)
            #expect(error.connectionIsDead)
            #expect(error.command == "DEBUG")
            #expect(error.description.hasPrefix("127.0.0.1:\(server.port): DEBUG timed out after 100 ms"))
            #expect(connection.isBroken)

            let next = try #require(redisError { () throws(RedisError) in try connection.send("PING") })
            #expect(next.kind == .connectionBroken)
            #expect(!next.mayHaveBeenApplied)
            #expect(next.description.contains("PING not sent: the connection broke earlier (DEBUG timed out"))
            // Pipelining on a broken connection throws the same way, before anything is queued.
            #expect(redisError { () throws(RedisError) in try connection.append(strings: ["PING"]) }?.kind == .connectionBroken)
            #expect(redisError { () throws(RedisError) in try connection.readReply() }?.kind == .connectionBroken)

            // A fresh connection works once the sleep is over.
            let fresh = try server.makeConnection(commandTimeoutMicroseconds: 2_000_000)
            #expect(try fresh.send("PING") == .status("PONG"))
        }
    }

    @Test func unreachablePortNamesHostAndPort() throws {
        // A port that just had a server on it and now has none.
        let port = try withRedisServer { $0.port }
        let error = try #require(redisError { () throws(RedisError) in
            try RedisConnection(
                host: "127.0.0.1", port: port, connectTimeoutMicroseconds: 1_000_000, commandTimeoutMicroseconds: 1_000_000)
        })
        #expect(error.kind == .couldNotConnect)
        #expect(error.isConnectFailure)
        #expect(!error.mayHaveBeenApplied)
        #expect(error.command == nil)
        #expect(error.description.contains("127.0.0.1:\(port)"))
        #expect(
            error.description
                == "127.0.0.1:\(port): cannot connect: Connection refused; is redis-server running there? "
                + "start one or pass --redis host:port")
    }

    @Test func killedServerMidSessionIsConnectionLost() throws {
        try withRedisServer { server throws in
            let connection = try server.makeConnection()
            #expect(try connection.send("SET", "k", "v") == .status("OK"))
            server.kill()
            let error = try #require(redisError { () throws(RedisError) in try connection.send("GET", "k") })
            #expect(error.kind == .connectionLost)
            #expect(error.isConnectionLost)
            #expect(error.mayHaveBeenApplied)
            #expect(error.description.hasPrefix("127.0.0.1:\(server.port): connection lost during GET: "))
            #expect(connection.isBroken)
            #expect(redisError { () throws(RedisError) in try connection.send("PING") }?.kind == .connectionBroken)
        }
    }

    /// hiredis writes with write(2): a large write to a dead peer raises SIGPIPE, which must not kill the process.
    @Test func largeWriteToAKilledServerIsConnectionLostNotSIGPIPE() throws {
        try withRedisServer { server throws in
            let connection = try server.makeConnection()
            #expect(try connection.send("PING") == .status("PONG"))
            server.kill()
            let value = [UInt8](repeating: 0x61, count: 16 << 20)
            let error = try #require(redisError { () throws(RedisError) in try connection.send([bytes("SET"), bytes("k"), value]) })
            #expect(error.kind == .connectionLost)
        }
    }

    @Test func killedServerDuringAPipelineIsConnectionLost() throws {
        try withRedisServer { server throws in
            let connection = try server.makeConnection()
            #expect(try connection.send("PING") == .status("PONG"))
            server.kill()
            let error = try #require(redisError { () throws(RedisError) in
                try connection.pipeline(strings: (1...100).map { ["INCR", "c\($0)"] })
            })
            #expect(error.kind == .connectionLost)
            #expect(error.command == "INCR")
        }
    }

    @Test func closedConnectionThrowsWithoutTouchingC() throws {
        try withRedisConnection { connection, _ throws in
            connection.close()
            connection.close()
            #expect(connection.isClosed)
            let error = try #require(redisError { () throws(RedisError) in try connection.send("PING") })
            #expect(error.kind == .connectionBroken)
            #expect(error.description.hasSuffix("PING not sent: the connection was closed; open a new connection"))
        }
    }

    @Test func wrongReplyShapeIsUnexpectedReply() throws {
        try withRedisConnection { connection, _ throws in
            _ = try connection.send("SET", "k", "secret-value")
            let reply = try connection.send("GET", "k")
            let error = try #require(redisError { () throws(RedisError) in try reply.integer(command: "GET") })
            #expect(error.kind == .unexpectedReply)
            #expect(error.command == "GET")
            #expect(!error.mayHaveBeenApplied && !error.connectionIsDead)
            #expect(error.endpoint == nil)
            #expect(error.description.hasPrefix("unexpected reply to GET: expected integer, got bulk string (12 bytes)"))
            // The value may be a secret: it stays out of the message.
            #expect(!error.description.contains("secret-value"))

            // An error reply where an integer was expected keeps the server's text.
            let increment = try connection.send("INCR", "k")
            let wrongType = try #require(redisError { () throws(RedisError) in try increment.integer(command: "INCR") })
            #expect(wrongType.kind == .unexpectedReply)
            #expect(wrongType.description.contains("got error reply \"ERR value is not an integer or out of range\""))
            #expect(try connection.send("PING") == .status("PONG"))
        }
    }
}
