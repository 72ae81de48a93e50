import Foundation
import Testing

@testable import RedisClient

#if canImport(Glibc)
import Glibc
#endif

@Suite struct RedisServerProcessTests {
    @Test func stopIsIdempotentAndCleansUp() throws {
        let server = try RedisServerProcess()
        let connection = try server.makeConnection()
        #expect(try connection.send("PING") == .status("PONG"))
        #expect(server.description == "127.0.0.1:\(server.port)")
        #expect(FileManager.default.fileExists(atPath: server.directory + "/owner"))
        #expect(try String(contentsOfFile: server.directory + "/redis.pid", encoding: .utf8) == String(server.pid))
        server.stop()
        server.stop()
        #expect(!FileManager.default.fileExists(atPath: server.directory))
        #expect(Glibc.kill(server.pid, 0) == -1 && errno == ESRCH)
        #expect(redisError { () throws(RedisError) in try server.makeConnection() }?.kind == .couldNotConnect)
    }

    @Test func killThenStop() throws {
        let server = try RedisServerProcess()
        server.kill()
        server.kill()
        #expect(Glibc.kill(server.pid, 0) == -1 && errno == ESRCH)
        #expect(FileManager.default.fileExists(atPath: server.directory))
        server.stop()
        #expect(!FileManager.default.fileExists(atPath: server.directory))
    }

    @Test func stopWithAPasswordShutsDownPolitely() throws {
        let server = try RedisServerProcess(password: "pw-for-shutdown")
        let connection = try server.makeConnection()
        #expect(try connection.send("PING") == .status("PONG"))
        server.stop()
        #expect(Glibc.kill(server.pid, 0) == -1 && errno == ESRCH)
    }

    @Test func badExtraArgumentIsAStartupErrorWithTheLogLine() {
        do {
            let server = try RedisServerProcess(extraArguments: ["--no-such-option", "1"])
            server.stop()
            Issue.record("redis-server accepted --no-such-option")
        } catch {
            #expect(error.description.contains("during startup"), "\(error)")
            #expect(error.description.contains("no-such-option"), "\(error)")
        }
    }

    @Test func notInstalledSaysHowToInstall() {
        #expect(RedisServerProcessError.notInstalled.isNotInstalled)
        #expect(
            RedisServerProcessError.notInstalled.description
                == "redis-server not found; install it: apt-get install -y redis-server")
    }

    /// A dead owner's server is killed and its directory removed; a live owner's entry is left alone.
    @Test func staleEntriesOfDeadOwnersAreCleanedUp() throws {
        let parent = NSTemporaryDirectory() + "leaselab-redis-cleanup-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: parent) }

        // A pid that is certainly dead: a child we spawned and reaped.
        let deadPID = try RedisServerProcess.spawn(["/bin/true"], logPath: "/dev/null")
        #expect(RedisServerProcess.waitForExit(deadPID, timeoutMilliseconds: 5_000))

        let staleDirectory = parent + "/\(deadPID)-stale"
        try FileManager.default.createDirectory(atPath: staleDirectory, withIntermediateDirectories: true)
        try "\(deadPID) 1\n".write(toFile: staleDirectory + "/owner", atomically: true, encoding: .utf8)
        let port = try RedisServerProcess.freeLoopbackPort()
        let executable = try #require(RedisServerProcess.findExecutable("redis-server"))
        let orphanPID = try RedisServerProcess.spawn(
            [executable, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", staleDirectory],
            logPath: staleDirectory + "/redis.log")
        defer { RedisServerProcess.killAndReap(orphanPID) }
        // Wait until it serves: by then Redis has rewritten its process title, as a real leftover would have.
        #expect(RedisServerProcess.waitUntilAnswering(pid: orphanPID, port: port, timeoutMilliseconds: 5_000) == .answering)
        try String(orphanPID).write(toFile: staleDirectory + "/redis.pid", atomically: true, encoding: .utf8)

        let liveDirectory = parent + "/\(getpid())-live"
        try FileManager.default.createDirectory(atPath: liveDirectory, withIntermediateDirectories: true)
        try "\(getpid()) \(RedisServerProcess.processStartTime(getpid()) ?? "-")\n"
            .write(toFile: liveDirectory + "/owner", atomically: true, encoding: .utf8)

        // A live redis-server whose owner is alive, in an entry that must survive.
        let livePort = try RedisServerProcess.freeLoopbackPort()
        let livePID = try RedisServerProcess.spawn(
            [executable, "--port", String(livePort), "--bind", "127.0.0.1", "--save", "", "--dir", liveDirectory],
            logPath: liveDirectory + "/redis.log")
        defer { RedisServerProcess.killAndReap(livePID) }
        try String(livePID).write(toFile: liveDirectory + "/redis.pid", atomically: true, encoding: .utf8)
        #expect(RedisServerProcess.waitUntilAnswering(pid: livePID, port: livePort, timeoutMilliseconds: 5_000) == .answering)

        RedisServerProcess.removeStaleEntries(under: parent)

        #expect(RedisServerProcess.waitForExit(orphanPID, timeoutMilliseconds: 5_000))
        #expect(!FileManager.default.fileExists(atPath: staleDirectory))
        #expect(FileManager.default.fileExists(atPath: liveDirectory))
        #expect(RedisServerProcess.reapIfExited(livePID) == nil)
    }
}
