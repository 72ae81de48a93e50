import RedisClient
import Testing

/// AUTH, SELECT, and server error replies.
@Suite struct RedisSessionTests {
    static let password = "correct-horse-battery-staple"

    @Test func authenticateWithTheRightPassword() throws {
        try withRedisServer(password: Self.password) { server throws in
            let connection = try RedisConnection(
                host: server.host, port: server.port, connectTimeoutMicroseconds: 1_000_000,
                commandTimeoutMicroseconds: 1_000_000)
            guard case .error(let message) = try connection.send("PING") else {
                Issue.record("PING before AUTH should be refused")
                return
            }
            #expect(message.hasPrefix("NOAUTH"))
            try connection.authenticate(password: Self.password)
            #expect(try connection.send("PING") == .status("PONG"))
            // The Redis 6 form, with the default user's name.
            try connection.authenticate(password: Self.password, username: "default")
            #expect(try connection.send("PING") == .status("PONG"))
        }
    }

    @Test func wrongPasswordIsARefusalThatNeverShowsThePassword() throws {
        try withRedisServer(password: Self.password) { server throws in
            let connection = try RedisConnection(
                host: server.host, port: server.port, connectTimeoutMicroseconds: 1_000_000,
                commandTimeoutMicroseconds: 1_000_000)
            let wrongPassword = "wrong-password-do-not-print"
            let error = try #require(redisError { () throws(RedisError) in try connection.authenticate(password: wrongPassword) })
            #expect(error.kind == .serverRefused)
            #expect(error.isServerRefusal)
            #expect(!error.mayHaveBeenApplied)
            #expect(!error.connectionIsDead)
            #expect(error.command == "AUTH")
            #expect(error.serverMessage?.hasPrefix("WRONGPASS") == true)
            #expect(!error.description.contains(wrongPassword))
            #expect(!"\(error)".contains(wrongPassword))
            #expect(error.description.hasPrefix("127.0.0.1:\(server.port): AUTH failed: WRONGPASS"))
            // The connection is still usable: authenticate properly now.
            try connection.authenticate(password: Self.password)
            #expect(try connection.send("PING") == .status("PONG"))
        }
    }

    @Test func selectIsolatesDatabases() throws {
        try withRedisServer { server throws in
            let databaseOne = try server.makeConnection()
            let databaseZero = try server.makeConnection()
            try databaseOne.select(database: 1)
            #expect(try databaseOne.send("SET", "k", "in-one") == .status("OK"))
            #expect(try databaseOne.send("GET", "k") == .bulk(bytes("in-one")))
            #expect(try databaseZero.send("GET", "k") == .null)
            #expect(try databaseZero.send("SET", "k", "in-zero") == .status("OK"))
            #expect(try databaseOne.send("GET", "k") == .bulk(bytes("in-one")))
        }
    }

    @Test func selectOutOfRangeIsARefusal() throws {
        try withRedisConnection { connection, server throws in
            let error = try #require(redisError { () throws(RedisError) in try connection.select(database: 99) })
            #expect(error.kind == .serverRefused)
            #expect(error.command == "SELECT 99")
            #expect(error.description.hasPrefix("127.0.0.1:\(server.port): SELECT 99 failed: ERR"))
            #expect(try connection.send("PING") == .status("PONG"))
        }
    }

    @Test func serverErrorIsAReplyAndTheConnectionStaysUsable() throws {
        try withRedisConnection { connection, _ throws in
            _ = try connection.send("SET", "k", "v")
            let increment = try connection.send("INCR", "k")
            #expect(increment == .error("ERR value is not an integer or out of range"))
            let push = try connection.send("LPUSH", "k", "x")
            guard case .error(let message) = push else {
                Issue.record("expected WRONGTYPE, got \(push)")
                return
            }
            #expect(message.hasPrefix("WRONGTYPE"))
            #expect(!connection.isBroken)
            #expect(try connection.send("PING") == .status("PONG"))
            #expect(try connection.send("GET", "k") == .bulk(bytes("v")))
        }
    }
}
