import LeaseCore
import RealRedis
import RedisClient
import Simulator
import Testing
import Trace

/// The history of a real run read back as protocol commands, and replayed for replies and expiries.
@Suite struct ServerOrderReplayTests {
    static let prefix = "run:"

    /// A MONITOR line for `command` as LeaseCore sends it, at `milliseconds` past an epoch second.
    static func line(_ command: Command, atMilliseconds milliseconds: Int64, client: String = "127.0.0.1:1") -> MonitorLine {
        MonitorLine(
            serverMicroseconds: 1_700_000_000_000_000 + milliseconds * 1_000, database: 0, source: .client(client),
            arguments: command.redisArguments(keyPrefix: prefix))
    }

    @Test func decodesEveryCommandOfTheProtocolAndFoldsScriptLines() throws {
        let token = Token(worker: 1, call: 1)
        let commands: [Command] = [
            .get(key: "user:1"), .acquire(key: "user:1", token: token, ttlMilliseconds: 5_000),
            .set(key: "user:1", value: CacheValue(version: 2), ttlSeconds: 300), .delete(key: "user:1"),
            .release(key: "user:1", token: token),
            .fencedWrite(key: "user:1", value: CacheValue(version: 3), token: token, ttlSeconds: 300),
        ]
        var lines: [MonitorLine] = []
        for (index, command) in commands.enumerated() {
            lines.append(Self.line(command, atMilliseconds: Int64(index)))
            if case .release = command {
                lines.append(MonitorLine(serverMicroseconds: lines.last!.serverMicroseconds, database: 0, source: .lua,
                    arguments: [Array("get".utf8), Array("run:lease:user:1".utf8)]))
            }
        }
        let history = try ServerHistory(lines: lines, keyPrefix: Self.prefix)
        #expect(history.entries.map(\.command) == commands.map { .protocolCommand($0) })
        #expect(history.entries.allSatisfy { $0.client == "127.0.0.1:1" })
    }

    @Test func refusesALineThatIsNotTheProtocol() throws {
        let stray = MonitorLine(serverMicroseconds: 1, database: 0, source: .client("c"),
            arguments: [Array("SET".utf8), Array("run:lease:k".utf8), Array("t".utf8), Array("EX".utf8), Array("5".utf8)])
        #expect(throws: HistoryError.self) { try ServerHistory(lines: [stray], keyPrefix: Self.prefix) }
        let orphanScriptLine = MonitorLine(serverMicroseconds: 1, database: 0, source: .lua,
            arguments: [Array("get".utf8), Array("run:k".utf8)])
        #expect(throws: HistoryError.self) { try ServerHistory(lines: [orphanScriptLine], keyPrefix: Self.prefix) }
    }

    @Test func computesRepliesAndExpiriesAtTheServersTimes() throws {
        let w1 = Token(worker: 1, call: 1)
        let w2 = Token(worker: 2, call: 1)
        let lines = [
            Self.line(.acquire(key: "k", token: w1, ttlMilliseconds: 100), atMilliseconds: 0),
            Self.line(.acquire(key: "k", token: w2, ttlMilliseconds: 100), atMilliseconds: 100),  // at the deadline: held
            Self.line(.acquire(key: "k", token: w2, ttlMilliseconds: 100), atMilliseconds: 101),  // a millisecond later
            Self.line(.release(key: "k", token: w1), atMilliseconds: 150),
            Self.line(.release(key: "k", token: w2), atMilliseconds: 160),
        ]
        let replay = ServerOrderReplay.replay(try ServerHistory(lines: lines, keyPrefix: Self.prefix))
        let epoch: Int64 = 1_700_000_000_000_000
        let expected: [ServerEvent] = [
            .exec(serverMicroseconds: epoch, client: "127.0.0.1:1", command: .protocolCommand(.acquire(key: "k", token: w1, ttlMilliseconds: 100)), reply: .ok),
            .exec(serverMicroseconds: epoch + 100_000, client: "127.0.0.1:1", command: .protocolCommand(.acquire(key: "k", token: w2, ttlMilliseconds: 100)), reply: .null),
            .expire(serverMicroseconds: epoch + 101_000, key: "lease:k"),
            .exec(serverMicroseconds: epoch + 101_000, client: "127.0.0.1:1", command: .protocolCommand(.acquire(key: "k", token: w2, ttlMilliseconds: 100)), reply: .ok),
            .exec(serverMicroseconds: epoch + 150_000, client: "127.0.0.1:1", command: .protocolCommand(.release(key: "k", token: w1)), reply: .integer(0)),
            .exec(serverMicroseconds: epoch + 160_000, client: "127.0.0.1:1", command: .protocolCommand(.release(key: "k", token: w2)), reply: .integer(1)),
        ]
        #expect(replay.events == expected)
    }

    /// The whole path against a real server: what the monitor kept, replayed, gives the replies the client got.
    @Test func replayedRepliesMatchARealServer() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let monitor = try RedisMonitor(host: server.host, port: server.port, keyPrefix: Self.prefix)
        let client = try server.makeConnection()
        let w1 = Token(worker: 1, call: 1)
        let commands: [Command] = [
            .get(key: "k"), .acquire(key: "k", token: w1, ttlMilliseconds: 5_000),
            .acquire(key: "k", token: Token(worker: 2, call: 1), ttlMilliseconds: 5_000),
            .set(key: "k", value: CacheValue(version: 1), ttlSeconds: 300), .get(key: "k"),
            .fencedWrite(key: "k", value: CacheValue(version: 2), token: w1, ttlSeconds: 300),
            .release(key: "k", token: w1), .release(key: "k", token: w1), .delete(key: "k"),
        ]
        var received: [RedisReply] = []
        for command in commands { received.append(try client.send(command.redisArguments(keyPrefix: Self.prefix))) }
        let record = monitor.finish()
        #expect(record.isWhole)
        let replay = ServerOrderReplay.replay(try ServerHistory(lines: record.lines, keyPrefix: Self.prefix))
        let replayed: [Reply] = replay.events.compactMap {
            if case .exec(_, _, _, let reply) = $0 { return reply } else { return nil }
        }
        let expected: [Reply] = [.null, .ok, .null, .ok, .bulk(Array("v1".utf8)), .ok, .integer(1), .integer(-1), .integer(1)]
        #expect(replayed == expected)
        #expect(received.count == expected.count)
        for (real, simulated) in zip(received, expected) {
            switch (real, simulated) {
            case (.status(let a), .status(let b)): #expect(a == b)
            case (.null, .null): break
            case (.integer(let a), .integer(let b)): #expect(a == b)
            case (.bulk(let a), .bulk(let b)): #expect(a == b)
            default: Issue.record("real \(real) vs replayed \(simulated)")
            }
        }
    }

    /// The simulated Redis words a fenced write's invalid TTL as Redis 7.0 does, script SHA-1 included.
    @Test func invalidTTLInsideTheFencedWriteIsWordedAsTheServerWordsIt() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let client = try server.makeConnection()
        let token = Token(worker: 1, call: 1)
        _ = try client.send(Command.acquire(key: "k", token: token, ttlMilliseconds: 5_000).redisArguments(keyPrefix: Self.prefix))
        let write = Command.fencedWrite(key: "k", value: CacheValue(version: 1), token: token, ttlSeconds: 0)
        let real = try client.send(write.redisArguments(keyPrefix: Self.prefix))
        var simulated = SimulatedRedis()
        _ = simulated.execute(.acquire(key: "k", token: token, ttlMilliseconds: 5_000), nowMicroseconds: 0)
        #expect(simulated.execute(write, nowMicroseconds: 1_000) == .error(SimulatedRedis.fencedWriteInvalidExpireError))
        guard case .error(let message) = real else {
            Issue.record("a real fenced write with TTL 0 answered \(real)")
            return
        }
        #expect(message == SimulatedRedis.fencedWriteInvalidExpireError)
        let sha = try client.send(strings: ["SCRIPT", "LOAD", Scripts.fencedWrite])
        #expect(sha == .bulk(Array("a8214457974c5271c49c639516775cc53977e476".utf8)))
    }
}
