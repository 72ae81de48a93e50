import RedisClient
import Testing

/// The monitor against a private server: order kept, other keys never kept, the end marker, the bound, refusals.
@Suite struct RedisMonitorTests {
    @Test func keepsItsPrefixInOrderAndDropsEverythingElse() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let monitor = try RedisMonitor(host: server.host, port: server.port, keyPrefix: "run1:")
        let client = try server.makeConnection()
        _ = try client.send("SET", "run1:a", "1")
        _ = try client.send("SET", "secret-key", "do-not-keep")
        _ = try client.send("GET", "run1:a")
        _ = try client.send("EVAL", "return redis.call('get', KEYS[1])", "1", "run1:a")
        _ = try client.send("DEL", "run1:a", "secret-key")
        _ = try client.send("PING")
        let record = monitor.finish()
        #expect(record.isWhole)
        let rendered = record.lines.map {
            $0.arguments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        }
        #expect(rendered == ["SET run1:a 1", "GET run1:a", "EVAL return redis.call('get', KEYS[1]) 1 run1:a", "get run1:a"])
        #expect(record.lines.allSatisfy { !$0.description.contains("secret") })
        #expect(record.dropped == 3)
        #expect(record.lines.map(\.serverMicroseconds) == record.lines.map(\.serverMicroseconds).sorted())
    }

    @Test func countsOverflowPastItsCapacity() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let monitor = try RedisMonitor(host: server.host, port: server.port, keyPrefix: "run2:", capacity: 3)
        let client = try server.makeConnection()
        for index in 0..<10 { _ = try client.send("SET", "run2:\(index)", "x") }
        let record = monitor.finish()
        #expect(record.lines.count == 3)
        #expect(record.overflow == 7)
        #expect(!record.isWhole)
    }

    @Test func aUserWithoutMonitorPermissionIsRefusedClearly() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let admin = try server.makeConnection()
        _ = try admin.send("ACL", "SETUSER", "limited", "on", ">pw", "~*", "+@all", "-monitor")
        #expect {
            _ = try RedisMonitor(host: server.host, port: server.port, username: "limited", password: "pw", keyPrefix: "r:")
        } throws: { error in
            let text = "\(error)"
            return (error as? RedisError)?.kind == .serverRefused && text.contains(server.description)
                && text.contains("MONITOR") && text.contains("+monitor") && !text.contains("pw ")
        }
    }

    @Test func aMissingPasswordIsNamedAsSuch() throws {
        let server = try RedisServerProcess(password: "secret-pw")
        defer { server.stop() }
        #expect {
            _ = try RedisMonitor(host: server.host, port: server.port, keyPrefix: "r:")
        } throws: { error in
            let text = "\(error)"
            return text.contains("AUTH failed: NOAUTH") && text.contains("check the password")
        }
    }

    @Test func aServerKilledMidStreamEndsTheRecordWithAnError() throws {
        let server = try RedisServerProcess()
        let monitor = try RedisMonitor(host: server.host, port: server.port, keyPrefix: "run3:")
        let client = try server.makeConnection()
        _ = try client.send("SET", "run3:a", "1")
        server.kill()
        let record = monitor.finish(timeoutSeconds: 2)
        guard case .failed(let error) = record.ending else {
            Issue.record("a killed server gave a complete record")
            return
        }
        #expect("\(error)".contains(server.description))
        #expect(record.lines.count <= 1)
    }

    @Test func closeWithoutFinishDoesNotHang() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let monitor = try RedisMonitor(host: server.host, port: server.port, keyPrefix: "run4:")
        monitor.close()
        let record = monitor.finish(timeoutSeconds: 2)
        #expect(!record.isWhole)
    }
}
