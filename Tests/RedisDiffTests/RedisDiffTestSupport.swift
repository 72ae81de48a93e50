import RedisClient

/// Starts a private redis-server, hands it to `body`, and always stops it, whether `body` returns or throws.
func withRedisServer<Result>(_ body: (RedisServerProcess) throws -> Result) throws -> Result {
    let server = try RedisServerProcess()
    defer { server.stop() }
    return try body(server)
}
