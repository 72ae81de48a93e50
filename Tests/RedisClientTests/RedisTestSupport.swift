import RedisClient

/// Starts a private server, hands it to `body`, and always stops it, whether `body` returns or throws.
func withRedisServer<Result>(
    password: String? = nil, extraArguments: [String] = [], _ body: (RedisServerProcess) throws -> Result
) throws -> Result {
    let server = try RedisServerProcess(password: password, extraArguments: extraArguments)
    defer { server.stop() }
    return try body(server)
}

/// `withRedisServer` plus one connection with the given command timeout.
func withRedisConnection<Result>(
    commandTimeoutMicroseconds: Int64 = 2_000_000, _ body: (RedisConnection, RedisServerProcess) throws -> Result
) throws -> Result {
    try withRedisServer { server throws in
        let connection = try server.makeConnection(commandTimeoutMicroseconds: commandTimeoutMicroseconds)
        defer { connection.close() }
        return try body(connection, server)
    }
}

/// UTF-8 bytes, for comparing bulk replies.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The error a throwing call raised, or nil; typed so that `kind` and friends are at hand.
func redisError<Result>(_ body: () throws(RedisError) -> Result) -> RedisError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// The two scripts from REDIS.md, verbatim, as the protocol sends them.
enum Scripts {
    /// KEYS[1] = lease key, ARGV[1] = our token: 1 released, 0 another owner, -1 no lease.
    static let release =
        #"local v = redis.call("get", KEYS[1]) if v == ARGV[1] then return redis.call("del", KEYS[1]) elseif v then return 0 else return -1 end"#
    /// KEYS[1] = cache key, KEYS[2] = lease key, ARGV = value, token, TTL seconds: +OK stored, 0 refused.
    static let fencedWrite =
        #"if redis.call("get", KEYS[2]) == ARGV[2] then return redis.call("set", KEYS[1], ARGV[1], "EX", ARGV[3]) else return 0 end"#
}
