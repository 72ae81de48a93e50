import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finding the executable and a port, spawning, waiting for PING, and reaping.
extension RedisServerProcess {
    // MARK: - Executable and port

    /// The first executable `name` on PATH, then in the usual bin directories (Debian puts redis-server in
    /// /usr/bin, but a PATH stripped by a test runner should not hide it).
    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Why finding a free port failed: strerror of the failing call.
    struct PortError: Error {
        let reason: String
    }

    /// A port that was free a moment ago: bind 127.0.0.1:0, read the port the kernel chose, close. Another
    /// process can take it before the server binds it; the caller retries on "Address already in use".
    static func freeLoopbackPort() throws(PortError) -> Int {
        #if canImport(Glibc)
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw PortError(reason: "socket: " + String(cString: strerror(errno))) }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketFD, generic, length) == 0 && getsockname(socketFD, generic, &length) == 0
            }
        }
        guard bound else { throw PortError(reason: "bind 127.0.0.1:0: " + String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: - Spawn

    /// Starts `arguments[0]` with stdin from /dev/null and stdout and stderr into `logPath`.
    ///
    /// With an empty signal mask and default SIGTERM, SIGINT, SIGHUP and SIGPIPE: the child must not inherit a
    /// mask blocked by the spawning thread, nor the SIG_IGN for SIGPIPE that RedisConnection sets (an ignored
    /// signal survives exec). Descriptors from 3 up are closed so the server does not hold other connections open.
    static func spawn(_ arguments: [String], logPath: String) throws(RedisServerProcessError) -> Int32 {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signalNumber in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaultSignals, signalNumber) }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        #if canImport(Glibc)
        if let closeFrom = closeFromAction { _ = closeFrom(&actions, 3) }
        #endif

        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let result = argv.withUnsafeBufferPointer { argvBuffer in
            posix_spawn(&pid, arguments[0], &actions, &attributes, argvBuffer.baseAddress!, environ)
        }
        guard result == 0 else {
            throw .spawnFailed(executable: arguments[0], reason: String(cString: strerror(result)))
        }
        return pid
    }

    #if canImport(Glibc)
    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, looked up at run time because the Glibc module
    /// does not import it (it sits behind _GNU_SOURCE). hiredis 0.14 opens its sockets without SOCK_CLOEXEC, so
    /// without this every server would inherit the connections open in the test process at spawn time.
    private typealias CloseFromFunction =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFromAction: CloseFromFunction? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFromFunction.self)
    }()
    #endif

    // MARK: - Waiting

    /// How waiting for the first PING ended.
    enum Startup: Equatable {
        /// Some reply came back (with `--requirepass`, PING's NOAUTH error counts: the server is listening).
        case answering
        /// The child exited; the text says how ("exited with status 1", "was killed by signal 9").
        case exited(String)
        /// Still running, no reply within the bound.
        case silent
    }

    static func waitUntilAnswering(pid: Int32, port: Int, timeoutMilliseconds: Int) -> Startup {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        repeat {
            if let status = reapIfExited(pid) { return .exited(status) }
            if let connection = try? RedisConnection(
                host: "127.0.0.1", port: port, connectTimeoutMicroseconds: 200_000,
                commandTimeoutMicroseconds: 1_000_000),
                (try? connection.send("PING")) != nil
            {
                return .answering
            }
            usleep(pollIntervalMicroseconds)
        } while ContinuousClock.now < deadline
        if let status = reapIfExited(pid) { return .exited(status) }
        return .silent
    }

    /// Reaps `pid` if it has exited, saying how; nil while it runs. A pid that is not (or no longer) our child
    /// counts as exited: someone reaped it.
    static func reapIfExited(_ pid: Int32) -> String? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == 0 { return nil }
            if result == pid { return describeWaitStatus(status) }
            if errno == EINTR { continue }
            return "was reaped elsewhere (\(String(cString: strerror(errno))))"
        }
    }

    /// Polls for exit up to the bound; true once reaped.
    static func waitForExit(_ pid: Int32, timeoutMilliseconds: Int) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        repeat {
            if reapIfExited(pid) != nil { return true }
            usleep(pollIntervalMicroseconds)
        } while ContinuousClock.now < deadline
        return reapIfExited(pid) != nil
    }

    /// SIGKILL, then reap under ``killWaitMilliseconds``; true once reaped.
    @discardableResult
    static func killAndReap(_ pid: Int32) -> Bool {
        #if canImport(Glibc)
        _ = Glibc.kill(pid, SIGKILL)
        #else
        _ = Darwin.kill(pid, SIGKILL)
        #endif
        return waitForExit(pid, timeoutMilliseconds: killWaitMilliseconds)
    }

    private static func describeWaitStatus(_ status: Int32) -> String {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros that do not import; these are their Linux and BSD layouts.
        let signalNumber = status & 0x7f
        if signalNumber == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "was killed by signal \(signalNumber)"
    }

    /// The server's whole log, or "" when there is none.
    static func log(_ directory: String) -> String {
        (try? String(contentsOfFile: directory + "/redis.log", encoding: .utf8)) ?? ""
    }

    /// The last two non-empty lines of the server's log on one line, without Redis's "pid:role date # " prefix.
    ///
    /// Two, because Redis explains a fatal error over several lines: a bad argument ends with
    /// `>>> 'no-such-option "1"'` then `Bad directive or wrong number of arguments`, and a taken port with
    /// `...: bind: Address already in use` then `Failed listening on port P (TCP), aborting.`
    static func logSummary(_ directory: String) -> String {
        let lines = log(directory).split(whereSeparator: \.isNewline).map { line -> String in
            // "10723:M 26 Nov 2026 18:00:58.133 # text": keep "text".
            if line.first?.isNumber == true, let marker = line.range(of: " # ") ?? line.range(of: " * ") {
                return String(line[marker.upperBound...])
            }
            return String(line)
        }
        let summary = lines.filter { !$0.isEmpty }.suffix(2).joined(separator: " / ")
        return summary.isEmpty ? "(empty log)" : summary
    }
}
