import CHiredis

/// One blocking connection to a Redis server, over a hiredis 0.14 context.
///
/// Not thread-safe, by design, and so not `Sendable`: a hiredis context is one socket with one read buffer and one
/// write buffer, and two threads interleaving commands on it would read each other's replies. A connection is
/// owned by one thread or task at a time; to share one, put it behind a `Mutex` in a `Sendable` owner, or give it
/// a dedicated thread.
///
/// After any I/O error (timeout, EOF, reset) or protocol error the hiredis context is dead: hiredis refuses further
/// I/O on it, and a reply still in flight would arrive as the answer to the next command. The connection frees the
/// context at once, ``isBroken`` turns true, and every later call throws a ``RedisError/Kind/connectionBroken``
/// error without touching C. Open a new connection instead; a dead context is never reused.
public final class RedisConnection {
    // MARK: - Properties

    public let host: String
    public let port: Int
    /// "host:port", the "where" of every error this connection throws; made once, as every reply carries it.
    public let description: String
    /// The bound on connect() alone.
    public let connectTimeoutMicroseconds: Int64
    /// The bound on each socket read and write while waiting for a reply (SO_RCVTIMEO / SO_SNDTIMEO); 0 waits forever.
    public let commandTimeoutMicroseconds: Int64

    /// Where the context is in its life; the context is freed exactly once, on the way out of `.open`.
    enum State {
        /// Connected; the context is live.
        case open(UnsafeMutablePointer<redisContext>)
        /// An error killed the context, which is already freed; the error is kept for later messages.
        case broken(RedisError)
        /// ``close()`` freed the context.
        case closed
    }

    var state: State

    /// Names of appended commands whose replies are not read yet, oldest first from `pendingStart`.
    ///
    /// Kept so that `send` can refuse to run while pipelined replies are unread (it would read the first of them
    /// as its own reply) and so that a failed `readReply` names the command it was waiting for.
    var pendingCommandNames: [String] = []
    var pendingStart = 0

    /// The bound on commands appended and not yet read (STYLE 10); hiredis's output buffer has no bound of its own.
    public static let pendingReplyCountMaximum = 100_000

    // MARK: - Lifecycle

    /// Connects with `redisConnectWithTimeout`, then sets the command timeout with `redisSetTimeout`.
    ///
    /// - Parameters:
    ///   - connectTimeoutMicroseconds: the bound on connect(); must be positive.
    ///   - commandTimeoutMicroseconds: the bound on every read and write of a command; 0 means no bound (for
    ///     commands such as MONITOR that wait on purpose).
    /// - Throws: a ``RedisError/Kind/couldNotConnect`` error naming host:port and the OS's reason.
    public init(host: String, port: Int, connectTimeoutMicroseconds: Int64, commandTimeoutMicroseconds: Int64)
        throws(RedisError)
    {
        precondition(connectTimeoutMicroseconds > 0, "connect timeout \(connectTimeoutMicroseconds) µs must be positive")
        precondition(commandTimeoutMicroseconds >= 0, "command timeout \(commandTimeoutMicroseconds) µs must be >= 0")
        _ = sigpipeIgnoredOnce
        self.host = host
        self.port = port
        self.connectTimeoutMicroseconds = connectTimeoutMicroseconds
        self.commandTimeoutMicroseconds = commandTimeoutMicroseconds
        let endpoint = "\(host):\(port)"
        self.description = endpoint
        guard (1...65535).contains(port) else {
            throw .couldNotConnect(endpoint: endpoint, reason: "port \(port) is outside 1...65535")
        }
        guard
            let context = redisConnectWithTimeout(
                host, Int32(port), hiredisTimeval(microseconds: connectTimeoutMicroseconds))
        else {
            throw .couldNotConnect(endpoint: endpoint, reason: "hiredis could not allocate a context (out of memory)")
        }
        if context.pointee.err != 0
            || redisSetTimeout(context, hiredisTimeval(microseconds: commandTimeoutMicroseconds)) != REDIS_OK
        {
            let error = hiredisFailure(
                context, endpoint: endpoint, command: nil, commandTimeoutMicroseconds: commandTimeoutMicroseconds)
            redisFree(context)
            throw error
        }
        state = .open(context)
    }

    deinit {
        close()
    }

    /// Frees the context; later calls throw a ``RedisError/Kind/connectionBroken`` error. Idempotent.
    public func close() {
        switch state {
        case .open(let context):
            redisFree(context)
            state = .closed
        case .broken, .closed:
            state = .closed
        }
        clearPending()
    }

    // MARK: - State queries

    /// True once an I/O or protocol error has killed the connection; every later call throws immediately.
    public var isBroken: Bool {
        switch state {
        case .broken: return true
        case .open, .closed: return false
        }
    }

    /// True once ``close()`` was called.
    public var isClosed: Bool {
        switch state {
        case .closed: return true
        case .open, .broken: return false
        }
    }

    /// How many appended commands still wait for ``readReply()``.
    public var pendingReplyCount: Int { pendingCommandNames.count - pendingStart }

    // MARK: - Commands

    /// Sends one command and waits for its reply (`redisCommandArgv`, binary-safe: every argument has a length).
    ///
    /// A server error is returned as ``RedisReply/error(_:)``, not thrown; the connection stays usable.
    /// - Throws: a timeout, lost-connection or protocol error (the command may or may not have been applied, and
    ///   the connection is now broken), or a ``RedisError/Kind/connectionBroken`` error if it already was.
    public func send(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        let command = commandName(arguments)
        var reply: UnsafeMutableRawPointer?
        try callHiredis(command) { context in
            precondition(
                pendingReplyCount == 0,
                "send(\(command)) with \(pendingReplyCount) pipelined replies unread: it would read the first of them")
            reply = withHiredisArguments(arguments) { count, argv, lengths in
                redisCommandArgv(context, count, argv, lengths)
            }
            return reply == nil ? REDIS_ERR : REDIS_OK
        }
        return try takeReply(reply, command: command)
    }

    /// Sends a command given as strings, e.g. `send("GET", "k")`; each string is sent as its UTF-8 bytes.
    public func send(_ words: String...) throws(RedisError) -> RedisReply {
        try send(strings: words)
    }

    /// Sends a command given as strings; each string is sent as its UTF-8 bytes.
    public func send(strings words: [String]) throws(RedisError) -> RedisReply {
        try send(words.map { Array($0.utf8) })
    }

    // MARK: - Internals shared with the extensions

    /// Runs one hiredis call on the live context; on failure reads the context's error (``hiredisFailure``),
    /// breaks the connection and throws. Refuses to touch a dead or closed context at all.
    func callHiredis(_ command: String, _ call: (UnsafeMutablePointer<redisContext>) -> Int32) throws(RedisError) {
        let context: UnsafeMutablePointer<redisContext>
        switch state {
        case .open(let live): context = live
        case .broken(let cause): throw .connectionBroken(endpoint: description, command: command, cause: cause)
        case .closed: throw .connectionClosed(endpoint: description, command: command)
        }
        if call(context) == REDIS_OK { return }
        let error = hiredisFailure(
            context, endpoint: description, command: command, commandTimeoutMicroseconds: commandTimeoutMicroseconds)
        breakConnection(error)
        throw error
    }

    /// Copies and frees a reply hiredis handed over; a reply this wrapper cannot read breaks the connection, since
    /// the stream is no longer understood.
    func takeReply(_ reply: UnsafeMutableRawPointer?, command: String) throws(RedisError) -> RedisReply {
        guard let reply else {
            preconditionFailure("hiredis reported success for \(command) without a reply")
        }
        defer { freeReplyObject(reply) }
        do {
            return try RedisReply(
                copying: reply.assumingMemoryBound(to: redisReply.self), endpoint: description, command: command)
        } catch {
            breakConnection(error)
            throw error
        }
    }

    /// Frees the context (once: only from `.open`) and remembers why.
    func breakConnection(_ error: RedisError) {
        switch state {
        case .open(let context):
            redisFree(context)
            state = .broken(error)
        case .broken, .closed:
            break
        }
    }

    /// The name of the command whose reply is awaited first, for errors.
    var oldestPendingName: String {
        pendingStart < pendingCommandNames.count ? pendingCommandNames[pendingStart] : "(none)"
    }

    /// Forgets the oldest appended command: its reply was read.
    func popPendingName() {
        pendingStart += 1
        if pendingStart == pendingCommandNames.count { clearPending() }
    }

    /// Forgets every appended command. A small list keeps its storage: a connection that sends one command at a
    /// time empties it after every reply, and freeing it then cost a heap allocation and a free per command; a
    /// long pipeline's list is let go.
    func clearPending() {
        pendingCommandNames.removeAll(keepingCapacity: pendingCommandNames.capacity <= Self.pendingNamesKept)
        pendingStart = 0
    }

    /// The most names whose storage ``clearPending()`` keeps.
    static let pendingNamesKept = 64
}

// MARK: - Description

extension RedisConnection: CustomStringConvertible {}
