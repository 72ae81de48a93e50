/// Connection setup commands whose error reply is a refusal to throw, not a reply to hand back: a caller that
/// asked to be authenticated, or to work in database 1, must not carry on as if it were.
extension RedisConnection {
    /// Connects, then authenticates and selects a database when asked: a connection ready for commands.
    ///
    /// The one way every part of leaselab opens a session. A connection whose AUTH or SELECT fails is closed
    /// before the error is thrown, so no half-set-up connection is ever used.
    /// - Parameters:
    ///   - database: the database to `SELECT`; nil or 0 stays in database 0.
    ///   - commandTimeoutMicroseconds: 0 waits forever (MONITOR).
    public static func session(
        host: String, port: Int, password: String? = nil, username: String? = nil, database: Int? = nil,
        connectTimeoutMicroseconds: Int64 = 1_000_000, commandTimeoutMicroseconds: Int64
    ) throws(RedisError) -> RedisConnection {
        let connection = try RedisConnection(
            host: host, port: port, connectTimeoutMicroseconds: connectTimeoutMicroseconds,
            commandTimeoutMicroseconds: commandTimeoutMicroseconds)
        do {
            if let password { try connection.authenticate(password: password, username: username) }
            if let database, database != 0 { try connection.select(database: database) }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// AUTH: `AUTH password`, or `AUTH username password` (Redis 6 ACL users) when a username is given.
    ///
    /// The password never appears in an error: the command is named "AUTH" alone, and a server message that
    /// happened to contain the password would be withheld.
    /// - Throws: a ``RedisError/Kind/serverRefused`` error (wrong password, no password configured), or an I/O error.
    public func authenticate(password: String, username: String? = nil) throws(RedisError) {
        var words = ["AUTH"]
        if let username { words.append(username) }
        words.append(password)
        let reply = try send(strings: words)
        switch reply {
        case .status:
            return
        case .error(let message):
            let shown =
                !password.isEmpty && message.contains(password)
                ? "(server message withheld: it contained the password)" : message
            throw .serverRefused(endpoint: description, command: "AUTH", serverMessage: shown)
        case .integer, .bulk, .null, .array:
            throw .unexpectedReply(command: "AUTH", expected: "status", got: reply)
        }
    }

    /// SELECT: switches this connection to another numbered database.
    /// - Throws: a ``RedisError/Kind/serverRefused`` error (e.g. index out of range), or an I/O error.
    public func select(database: Int) throws(RedisError) {
        let reply = try send(strings: ["SELECT", String(database)])
        switch reply {
        case .status:
            return
        case .error(let message):
            throw .serverRefused(endpoint: description, command: "SELECT \(database)", serverMessage: message)
        case .integer, .bulk, .null, .array:
            throw .unexpectedReply(command: "SELECT \(database)", expected: "status", got: reply)
        }
    }
}
