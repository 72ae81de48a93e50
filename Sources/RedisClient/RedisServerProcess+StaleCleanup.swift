import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Private directories, and cleaning up what a dead test process left behind.
///
/// Layout: `<tmp>/leaselab-redis/<owner pid>-<uuid>/` holding `owner` ("<pid> <start time>"), `redis.pid` and
/// `redis.log`, and serving as the server's `--dir`. The owner's pid is in the name too, so an entry is attributable
/// from the moment it exists. An entry is stale when its owner is gone: a pid not running, or (Linux) running with
/// another start time, i.e. reused. Its server is SIGKILLed only after /proc shows a process named redis-server
/// whose working directory is that very directory (Redis chdir()s into `--dir`), so a reused server pid never takes
/// down an unrelated process. Not `/proc/<pid>/cmdline`: Redis rewrites its process title at startup to
/// "/usr/bin/redis-server 127.0.0.1:PORT", and the `--dir` argument is gone from it.
extension RedisServerProcess {
    /// `<tmp>/leaselab-redis`, shared by every process on the machine.
    static var commonParentDirectory: String {
        var temporary = NSTemporaryDirectory()
        while temporary.hasSuffix("/") && temporary.count > 1 { temporary.removeLast() }
        return temporary + "/leaselab-redis"
    }

    /// Makes `<parent>/<our pid>-<uuid>` and records us as its owner.
    static func makePrivateDirectory(under parent: String) throws(RedisServerProcessError) -> String {
        let ownerPID = getpid()
        let directory = parent + "/\(ownerPID)-\(UUID().uuidString.lowercased())"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let record = "\(ownerPID) \(processStartTime(ownerPID) ?? "-")\n"
            try record.write(toFile: directory + "/owner", atomically: true, encoding: .utf8)
        } catch {
            throw .cannotCreateDirectory(path: directory, reason: "\(error)")
        }
        return directory
    }

    /// Kills the servers of dead owners and removes their directories. Best effort: another process may be
    /// cleaning the same entry at the same time, so every failure is ignored.
    static func removeStaleEntries(under parent: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries.sorted() {
            let directory = parent + "/" + entry
            guard let ownerPID = Int32(entry.prefix(while: { $0 != "-" })), !isAlive(owner: ownerPID, directory) else {
                continue
            }
            if let text = try? String(contentsOfFile: directory + "/redis.pid", encoding: .utf8),
                let serverPID = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                isRedisServer(serverPID, workingIn: directory)
            {
                #if canImport(Glibc)
                _ = Glibc.kill(serverPID, SIGKILL)
                #else
                _ = Darwin.kill(serverPID, SIGKILL)
                #endif
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// True while the process that made `directory` still runs (same pid and, where known, same start time).
    private static func isAlive(owner pid: Int32, _ directory: String) -> Bool {
        #if canImport(Glibc)
        let exists = Glibc.kill(pid, 0) == 0 || errno == EPERM
        #else
        let exists = Darwin.kill(pid, 0) == 0 || errno == EPERM
        #endif
        guard exists else { return false }
        guard let record = try? String(contentsOfFile: directory + "/owner", encoding: .utf8) else {
            // Just created, owner file not written yet: the pid in the name is running, so leave it.
            return true
        }
        let fields = record.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, fields[1] != "-", let now = processStartTime(pid) else { return true }
        return String(fields[1]) == now
    }

    /// Field 22 of `/proc/<pid>/stat` (start time in clock ticks since boot); nil where there is no /proc.
    static func processStartTime(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)" come fields 3...; the command name may hold spaces and parentheses, hence lastIndex.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }

    /// True when /proc shows `pid` is a redis-server whose working directory is `directory`; false where there is
    /// no /proc, so that without proof nothing is killed.
    private static func isRedisServer(_ pid: Int32, workingIn directory: String) -> Bool {
        guard let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            name.trimmingCharacters(in: .whitespacesAndNewlines) == "redis-server",
            let workingDirectory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
            let resolvedDirectory = realpath(directory, nil)
        else { return false }
        defer { free(resolvedDirectory) }
        return workingDirectory == String(cString: resolvedDirectory)
    }
}
