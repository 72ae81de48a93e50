import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private `redis-server` on a free loopback port, for tests, demos and benchmarks.
///
/// Each server gets its own port and its own directory under a common parent
/// (`<tmp>/leaselab-redis/<owner pid>-<uuid>`), runs with `--save '' --appendonly no` so nothing outlives it, and
/// is stopped with `SHUTDOWN NOSAVE` then SIGKILL by pid. Signals are not trusted for the polite part: a child
/// started from a concurrency thread can inherit a blocked SIGTERM (TOOLCHAIN.md). The server is spawned with
/// `posix_spawn` and an empty signal mask anyway, and reaped with `waitpid` under a bound.
///
/// A test process that dies leaves its server running; the directory records the owner's pid (and start time on
/// Linux) and the server's pid, and every new start kills and removes entries whose owner is gone.
///
/// `Sendable`: the mutable part (running, exited, stopped) sits behind a `Mutex`, so `stop()`, `kill()` and
/// `deinit` may race from different tasks and still act once.
public final class RedisServerProcess: Sendable, CustomStringConvertible {
    // MARK: - Properties

    public let host = "127.0.0.1"
    public let port: Int
    /// The server's process id.
    public let pid: Int32
    /// The server's private directory (its `--dir`, log and pid files).
    public let directory: String
    /// The `--requirepass` it was started with, so that ``makeConnection(commandTimeoutMicroseconds:)`` and
    /// ``stop()`` can authenticate.
    public let password: String?

    /// Where the server is in its life.
    enum Lifecycle {
        /// Spawned and not yet reaped.
        case running
        /// Killed and reaped; its directory is still there.
        case exited
        /// Reaped and its directory removed (or left for the next run's cleanup if it could not be reaped).
        case stopped
    }

    private let lifecycle = Mutex(Lifecycle.running)

    // MARK: - Bounds (STYLE 10)

    /// How many free ports to try when another process takes the port first.
    static let portAttemptsMaximum = 5
    /// How long `stop()` waits after SHUTDOWN NOSAVE before SIGKILL.
    static let shutdownWaitMilliseconds = 2_000
    /// How long to wait for the kernel to let a SIGKILLed server be reaped.
    static let killWaitMilliseconds = 5_000
    /// Pause between checks while waiting for startup or exit.
    static let pollIntervalMicroseconds: UInt32 = 5_000

    /// "host:port".
    public var description: String { "\(host):\(port)" }

    // MARK: - Start

    /// Starts a server and waits until it answers PING.
    ///
    /// - Parameters:
    ///   - password: passed as `--requirepass`; ``stop()`` and ``makeConnection(commandTimeoutMicroseconds:)`` use it.
    ///   - extraArguments: appended after the fixed arguments, e.g. `["--enable-debug-command", "local"]`.
    ///   - startupTimeoutMilliseconds: the bound on waiting for the first PING reply.
    public init(password: String? = nil, extraArguments: [String] = [], startupTimeoutMilliseconds: Int = 5_000)
        throws(RedisServerProcessError)
    {
        guard let executable = Self.findExecutable("redis-server") else { throw .notInstalled }
        let parent = Self.commonParentDirectory
        Self.removeStaleEntries(under: parent)
        var lastReason = "no attempt made"
        for _ in 1...Self.portAttemptsMaximum {
            let port: Int
            do { port = try Self.freeLoopbackPort() } catch { lastReason = error.reason; continue }
            let directory = try Self.makePrivateDirectory(under: parent)
            var arguments = [
                executable, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory, "--daemonize", "no", "--loglevel", "warning",
            ]
            if let password { arguments += ["--requirepass", password] }
            arguments += extraArguments
            let pid = try Self.spawn(arguments, logPath: directory + "/redis.log")
            try? String(pid).write(toFile: directory + "/redis.pid", atomically: true, encoding: .utf8)
            switch Self.waitUntilAnswering(pid: pid, port: port, timeoutMilliseconds: startupTimeoutMilliseconds) {
            case .answering:
                self.port = port
                self.pid = pid
                self.directory = directory
                self.password = password
                return
            case .exited(let status):
                let logLine = Self.logSummary(directory)
                let portTaken = Self.log(directory).contains("Address already in use")
                try? FileManager.default.removeItem(atPath: directory)
                if portTaken {
                    lastReason = "port \(port): \(logLine)"
                    continue
                }
                throw .exitedDuringStartup(port: port, exitStatus: status, logLine: logLine)
            case .silent:
                let logLine = Self.logSummary(directory)
                Self.killAndReap(pid)
                try? FileManager.default.removeItem(atPath: directory)
                throw .didNotAnswer(port: port, waitedMilliseconds: startupTimeoutMilliseconds, logLine: logLine)
            }
        }
        throw .noFreePort(attempts: Self.portAttemptsMaximum, reason: lastReason)
    }

    deinit {
        stop()
    }

    // MARK: - Use

    /// A new connection to this server, authenticated when it was started with a password.
    public func makeConnection(commandTimeoutMicroseconds: Int64 = 1_000_000) throws(RedisError) -> RedisConnection {
        try RedisConnection.session(
            host: host, port: port, password: password, commandTimeoutMicroseconds: commandTimeoutMicroseconds)
    }

    // MARK: - Stop

    /// Stops the server (SHUTDOWN NOSAVE over a fresh connection, a short wait, then SIGKILL by pid) and removes
    /// its directory. Idempotent; also called from deinit.
    public func stop() {
        lifecycle.withLock { lifecycle in
            switch lifecycle {
            case .running:
                requestShutdown()
                if !Self.waitForExit(pid, timeoutMilliseconds: Self.shutdownWaitMilliseconds) {
                    guard Self.killAndReap(pid) else {
                        // Unreapable for now: keep the directory so the next run's cleanup finds the pid.
                        lifecycle = .stopped
                        return
                    }
                }
                try? FileManager.default.removeItem(atPath: directory)
                lifecycle = .stopped
            case .exited:
                try? FileManager.default.removeItem(atPath: directory)
                lifecycle = .stopped
            case .stopped:
                return
            }
        }
    }

    /// SIGKILLs the server at once, for tests of a server dying mid-session. ``stop()`` still removes the directory.
    public func kill() {
        lifecycle.withLock { lifecycle in
            switch lifecycle {
            case .running:
                Self.killAndReap(pid)
                lifecycle = .exited
            case .exited, .stopped:
                return
            }
        }
    }

    /// Best effort: the server may be stuck, or already gone; the wait and SIGKILL that follow cover both.
    private func requestShutdown() {
        guard
            let connection = try? RedisConnection(
                host: host, port: port, connectTimeoutMicroseconds: 500_000, commandTimeoutMicroseconds: 2_000_000)
        else { return }
        if let password { try? connection.authenticate(password: password) }
        // The server closes the connection instead of answering: a connection-lost error is the success case.
        _ = try? connection.send("SHUTDOWN", "NOSAVE")
        connection.close()
    }
}
