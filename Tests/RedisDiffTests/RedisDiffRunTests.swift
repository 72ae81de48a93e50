import RedisClient
import Simulator
import Testing
import Trace

@testable import RedisDiff

/// Whole runs against a private redis-server (each test starts its own and always stops it).
@Suite struct RedisDiffRunTests {
    @Test func threeHundredSequencesHaveNoUnexplainedDifference() throws {
        let seed: UInt64 = 2026
        let report = try withRedisServer { server throws in
            try RedisDiff.run(
                DiffConfiguration(
                    sequences: 300, seed: seed, host: server.host, port: server.port, connections: 8,
                    keyPrefix: "leaselab:diff:test-agree:"))
        }
        #expect(report.sequencesRun == 300)
        #expect(report.unexplainedCount == 0, "SEED=\(seed): \(report.differences.map(\.description))")
        #expect(report.counts.droppedStateCount == 0, "SEED=\(seed)")
        #expect(report.counts.commandsCompared >= 300 * 2, "SEED=\(seed)")
        #expect(report.counts.deadlineLookupsAimed > 0, "SEED=\(seed)")
        #expect(report.lines.last == "300 sequences, \(report.counts.commandsCompared) commands, 0 unexplained differences")
    }

    @Test func aBrokenSimulatedReplyIsReportedWithItsSeedAndStep() throws {
        let runSeed: UInt64 = 7
        let faultyStep = 2
        let injected = Reply.error("ERR injected by the test")
        let report = try withRedisServer { server throws in
            try RedisDiff.run(
                DiffConfiguration(
                    sequences: 12, seed: runSeed, host: server.host, port: server.port, connections: 3,
                    keyPrefix: "leaselab:diff:test-fault:", fault: SimulatedReplyFault(stepIndex: faultyStep, reply: injected)))
        }
        // Every sequence whose step 2 compares a reply (a command or a lookup, not a wait) must report it there.
        var expected: [(index: Int, seed: UInt64)] = []
        for index in 0..<12 {
            let seed = DiffSequence.seed(runSeed: runSeed, index: index)
            if case .wait = DiffSequence.generate(seed: seed).steps[faultyStep] { continue }
            expected.append((index, seed))
        }
        #expect(!expected.isEmpty)
        #expect(report.unexplainedCount == expected.count)
        #expect(report.differences.map(\.sequenceIndex) == expected.map(\.index))
        #expect(report.differences.map(\.sequenceSeed) == expected.map(\.seed))
        for difference in report.differences {
            #expect(difference.stepIndex == faultyStep)
            #expect(difference.simulatedAtStart == [injected] && difference.simulatedAtEnd == [injected])
            #expect(difference.observation.reply != injected)
            #expect(difference.description.contains("seed \(difference.sequenceSeed) step \(faultyStep): "))
        }
        #expect(report.lines.last == "12 sequences, \(report.counts.commandsCompared) commands, \(expected.count) unexplained differences")
        #expect(report.lines.contains { $0.hasPrefix("  sequence \(expected[0].index) seed \(expected[0].seed) step 2: ") })
    }

    /// Lookups aimed into millisecond `when` (the key is alive) and `when + 1` (gone): whenever the bracket fell
    /// wholly inside the aimed millisecond, the real reply is the exact one and the simulated Redis agrees at the
    /// bracket's start. Repeated until each case has landed at least once (wall-clock aim can miss).
    @Test func lookupsAtAndOneMillisecondAfterADeadlineAgree() throws {
        let token = Token("t0")
        let sequence = DiffSequence(
            seed: 0, keys: ["k0", "k1", "k2"], tokens: [token],
            steps: [
                .command(.acquire(key: "k0", token: token, ttlMilliseconds: 3)),
                .lookupNearDeadline(key: "lease:k0", offset: .at),
                .command(.acquire(key: "k1", token: token, ttlMilliseconds: 3)),
                .lookupNearDeadline(key: "lease:k1", offset: .justAfter),
                .command(.acquire(key: "k2", token: token, ttlMilliseconds: 3)),
                .lookupNearDeadline(key: "lease:k2", offset: .acrossTheExpiry),
            ])
        var landedAt = 0
        var landedAfter = 0
        var straddled = 0
        try withRedisServer { server throws in
            let connection = try server.makeConnection()
            defer { connection.close() }
            for attempt in 0..<200 where landedAt < 3 || landedAfter < 3 {
                let runner = SequenceRunner(
                    connection: connection, keyPrefix: "leaselab:diff:test-deadline:\(attempt):", fault: nil,
                    recordSteps: true)
                let outcome = try runner.run(sequence, index: attempt)
                #expect(outcome.difference == nil, "attempt \(attempt): \(String(describing: outcome.difference))")
                for record in outcome.records {
                    guard let when = record.aimedDeadlineMilliseconds else { continue }
                    let first = record.observation.startMillisecond
                    let last = record.observation.endMillisecond
                    switch record.stepIndex {
                    case 1 where first == when && last == when:
                        landedAt += 1
                        #expect(record.observation.reply == .bulk(token.bytes))
                        #expect(record.verdict == .agreedAtStart)
                    case 3 where first == when + 1 && last == when + 1:
                        landedAfter += 1
                        #expect(record.observation.reply == .null)
                        #expect(record.verdict == .agreedAtStart)
                    case 5 where first == when && last == when + 1:
                        straddled += 1
                        #expect(record.verdict != .explainedByTTLClock)
                    default:
                        break
                    }
                }
            }
        }
        #expect(landedAt >= 3)
        #expect(landedAfter >= 3)
        // The simulated Redis on its own, at the exact instants.
        var redis = SimulatedRedis()
        #expect(redis.execute(.acquire(key: "k", token: token, ttlMilliseconds: 3), nowMicroseconds: 5_000_700) == .ok)
        #expect(redis.execute(.get(key: "lease:k"), nowMicroseconds: 5_003_000) == .bulk(token.bytes))
        #expect(redis.execute(.get(key: "lease:k"), nowMicroseconds: 5_003_999) == .bulk(token.bytes))
        #expect(redis.execute(.get(key: "lease:k"), nowMicroseconds: 5_004_000) == .null)
        print("deadline lookups landed: at \(landedAt), after \(landedAfter), straddling \(straddled)")
    }

    @Test func aRunLeavesNoKeyUnderItsPrefix() throws {
        try withRedisServer { server throws in
            let connection = try server.makeConnection()
            defer { connection.close() }
            _ = try connection.send("SET", "outside:the:prefix", "kept")
            let report = try RedisDiff.run(
                DiffConfiguration(
                    sequences: 20, seed: 3, host: server.host, port: server.port, connections: 2,
                    keyPrefix: "leaselab:diff:test-clean:"))
            #expect(report.sequencesRun == 20)
            #expect(try connection.send("KEYS", "leaselab:diff:*") == .array([]))
            #expect(try connection.send("GET", "outside:the:prefix") == .bulk(Array("kept".utf8)))
        }
    }
}
