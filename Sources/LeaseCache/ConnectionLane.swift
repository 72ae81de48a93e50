import Logging
import RedisClient
import Synchronization
import Trace

/// One Redis connection and the thread it lives on. Every method but `init` runs on that thread.
///
/// The connection is opened lazily and opened again after any failure: after a timeout or a broken connection the
/// hiredis context is dead (TOOLCHAIN.md), and a reply still in flight on it must never be taken for the answer to
/// a later command.
final class ConnectionLane: @unchecked Sendable {
    // @unchecked: `connection` is touched only on `thread` (checked in debug builds).
    let thread: ConnectionThread
    private let configuration: LeaseCacheConfiguration
    private let logger: Logger
    private var connection: RedisConnection?
    /// This lane's number, for thread names and logs.
    let index: Int
    /// The calls currently running on this lane; the pool gives a new call to the least busy lane.
    let active = Atomic<Int>(0)
    /// Commands sent on this lane's connections: round trips made, for `LeaseCache.commandsSent`.
    let commandsSent = Atomic<Int>(0)

    init(index: Int, configuration: LeaseCacheConfiguration, logger: Logger) {
        self.index = index
        self.configuration = configuration
        self.logger = logger
        self.thread = ConnectionThread(name: "leaselab.redis.\(index)")
    }

    /// Sends one command and waits for its reply, blocking this lane's thread for the round trip.
    func execute(_ command: Command) -> Result<Reply, RedisError> {
        assert(thread.isCurrent, "ConnectionLane.execute off its thread")
        let connection: RedisConnection
        switch connected() {
        case .success(let open):
            connection = open
        case .failure(let error):
            return .failure(error)
        }
        commandsSent.add(1, ordering: .relaxed)
        do {
            let reply = try connection.send(command.redisArguments(keyPrefix: configuration.keyPrefix))
            return .success(Reply(reply))
        } catch {
            // The context is dead; the next command opens a new one.
            self.connection = nil
            connection.close()
            return .failure(error)
        }
    }

    /// Opens the connection now unless it is open; returns why it could not be opened.
    func open() -> RedisError? {
        assert(thread.isCurrent, "ConnectionLane.open off its thread")
        switch connected() {
        case .success: return nil
        case .failure(let error): return error
        }
    }

    /// Closes the connection; called on this lane's thread when the cache shuts down.
    func close() {
        connection?.close()
        connection = nil
    }

    private func connected() -> Result<RedisConnection, RedisError> {
        if let connection, !connection.isBroken {
            return .success(connection)
        }
        connection?.close()
        connection = nil
        do {
            let fresh = try RedisConnection.session(
                host: configuration.host, port: configuration.port, password: configuration.password,
                username: configuration.username, database: configuration.database,
                connectTimeoutMicroseconds: configuration.connectTimeoutMicroseconds,
                commandTimeoutMicroseconds: configuration.variant.commandTimeoutMicroseconds)
            connection = fresh
            return .success(fresh)
        } catch {
            logger.warning("redis connection failed", metadata: ["error": "\(error)", "lane": "\(index)"])
            return .failure(error)
        }
    }
}
