/// Why a private redis-server could not be started, as one line: where, what, and what to do.
public struct RedisServerProcessError: Error, CustomStringConvertible, Sendable {
    private enum Base: Sendable {
        /// No `redis-server` on PATH (or the standard bin directories).
        case notInstalled
        /// The private directory under the common parent could not be made.
        case cannotCreateDirectory(path: String, reason: String)
        /// posix_spawn failed; `reason` is strerror.
        case spawnFailed(executable: String, reason: String)
        /// The server exited before answering PING; `logLine` is the last line it wrote.
        case exitedDuringStartup(port: Int, exitStatus: String, logLine: String)
        /// The server kept running but did not answer PING within the bound.
        case didNotAnswer(port: Int, waitedMilliseconds: Int, logLine: String)
        /// Every port tried was taken by someone else between finding it free and the server binding it.
        case noFreePort(attempts: Int, reason: String)
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    static let notInstalled = RedisServerProcessError(.notInstalled)

    static func cannotCreateDirectory(path: String, reason: String) -> Self {
        Self(.cannotCreateDirectory(path: path, reason: reason))
    }

    static func spawnFailed(executable: String, reason: String) -> Self {
        Self(.spawnFailed(executable: executable, reason: reason))
    }

    static func exitedDuringStartup(port: Int, exitStatus: String, logLine: String) -> Self {
        Self(.exitedDuringStartup(port: port, exitStatus: exitStatus, logLine: logLine))
    }

    static func didNotAnswer(port: Int, waitedMilliseconds: Int, logLine: String) -> Self {
        Self(.didNotAnswer(port: port, waitedMilliseconds: waitedMilliseconds, logLine: logLine))
    }

    static func noFreePort(attempts: Int, reason: String) -> Self {
        Self(.noFreePort(attempts: attempts, reason: reason))
    }

    /// True when redis-server is not installed, for callers that skip rather than fail.
    public var isNotInstalled: Bool {
        switch base {
        case .notInstalled: return true
        case .cannotCreateDirectory, .spawnFailed, .exitedDuringStartup, .didNotAnswer, .noFreePort: return false
        }
    }

    public var description: String {
        switch base {
        case .notInstalled:
            return "redis-server not found; install it: apt-get install -y redis-server"
        case .cannotCreateDirectory(let path, let reason):
            return "\(path): cannot create the server's directory: \(reason); check that the temp directory is writable"
        case .spawnFailed(let executable, let reason):
            return "\(executable): cannot start: \(reason); check the installation of redis-server"
        case .exitedDuringStartup(let port, let exitStatus, let logLine):
            return "127.0.0.1:\(port): redis-server \(exitStatus) during startup: \(logLine); "
                + "check the extra arguments given to it"
        case .didNotAnswer(let port, let waitedMilliseconds, let logLine):
            return "127.0.0.1:\(port): redis-server did not answer PING within \(waitedMilliseconds) ms "
                + "(last log line: \(logLine)); is the machine overloaded? raise the startup timeout"
        case .noFreePort(let attempts, let reason):
            return "127.0.0.1: no free port after \(attempts) attempts: \(reason); free some ports or retry"
        }
    }
}
