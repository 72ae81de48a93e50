import LeaseCache
import RealRedis
import Stress
import Testing
import Trace

/// The history checker on hand-made histories: each property broken once, on purpose, so the checker cannot pass
/// vacuously; and a clean history of the same shape that breaks nothing.
@Suite struct HistoryCheckerTests {
    static let bounds = HistoryChecker.Bounds(leaseHoldMicroseconds: 2_000_000, callLatencyMicroseconds: 7_000_000)
    static let start: Int64 = 1_795_708_717_000_000

    /// `at` milliseconds after the start, on the server's clock.
    static func ms(_ at: Int64) -> Int64 { start + at * 1_000 }

    static func exec(_ at: Int64, _ client: String, _ command: Command, _ reply: Reply) -> ServerEvent {
        .exec(serverMicroseconds: ms(at), client: client, command: .protocolCommand(command), reply: reply)
    }

    static func call(_ token: String, key: String = "k", returnedAt: Int64, outcome: Outcome = .fresh(CacheValue(version: 2), leaseLost: false), durationMilliseconds: Int64 = 5)
        -> CallRecord
    {
        CallRecord(
            token: Token(token), key: key, worker: 1, returnMicroseconds: ms(returnedAt),
            result: EvictionResult(
                outcome: outcome, releaseResult: nil, failure: nil, durationMicroseconds: durationMilliseconds * 1_000))
    }

    static func check(
        _ events: [ServerEvent], calls: [CallRecord] = [], loads: [RecordingOrigin.Load] = [], endAt: Int64 = 1_000
    ) -> HistoryChecker.Findings {
        HistoryChecker(bounds: bounds).check(
            HistoryChecker.Input(
                events: events, calls: calls, loads: loads, clockOffset: .zero, endServerMicroseconds: ms(endAt)))
    }

    /// One whole, clean reload of `k` by w1.1 from 10 ms: GET, acquire, SET v2, release.
    static let cleanReload: [ServerEvent] = [
        .exec(serverMicroseconds: ms(0), client: "c0", command: .seed(key: "k", value: Array("v1".utf8), ttlMilliseconds: nil), reply: .ok),
        exec(10, "c1", .get(key: "k"), .bulk(Array("v1".utf8))),
        exec(11, "c1", .acquire(key: "k", token: Token("w1.1"), ttlMilliseconds: 5_000), .ok),
        exec(13, "c1", .set(key: "k", value: CacheValue(version: 2), ttlSeconds: 300), .ok),
        exec(14, "c1", .release(key: "k", token: Token("w1.1")), .integer(1)),
    ]

    @Test func aCleanHistoryBreaksNothing() {
        let findings = Self.check(
            Self.cleanReload, calls: [Self.call("w1.1", returnedAt: 15)],
            loads: [.init(key: "k", version: 2, caller: Token("w1.1"), startMicroseconds: Self.ms(11), endMicroseconds: Self.ms(12))])
        #expect(findings.violations.isEmpty, "\(findings.violations)")
        #expect(findings.counts.values.allSatisfy { $0 == 0 })
        #expect(findings.leasesLeft.isEmpty)
        #expect(findings.longestLeaseHoldMicroseconds == 3_000)
    }

    @Test func aStaleOverwriteIsFoundWithItsContext() {
        // w2.1 stores v3; then w1.1, whose lease expired mid-load, stores its older v2 over it.
        let events = Self.cleanReload.prefix(3) + [
            .expire(serverMicroseconds: Self.ms(5_012), key: "lease:k"),
            Self.exec(5_100, "c2", .acquire(key: "k", token: Token("w2.1"), ttlMilliseconds: 5_000), .ok),
            Self.exec(5_110, "c2", .set(key: "k", value: CacheValue(version: 3), ttlSeconds: 300), .ok),
            Self.exec(5_111, "c2", .release(key: "k", token: Token("w2.1")), .integer(1)),
            Self.exec(7_000, "c1", .set(key: "k", value: CacheValue(version: 2), ttlSeconds: 300), .ok),
            Self.exec(7_001, "c1", .release(key: "k", token: Token("w1.1")), .integer(-1)),
        ]
        let findings = Self.check(Array(events), endAt: 8_000)
        let stale = findings.violations.filter { $0.property == .noStaleOverwrite }
        #expect(stale.count == 1)
        #expect(stale.first?.summary == "v2 replaced the newer v3 cached in k")
        #expect(stale.first?.serverMicroseconds == Self.ms(7_000))
        let culprit = stale.first?.context.filter(\.isCulprit)
        #expect(culprit?.map(\.text) == ["exec SET k v2 EX 300 -> OK"])
        // Three events before, the culprit, and the one after: the same key only.
        #expect(stale.first?.context.count == 5)
        #expect(stale.first?.context.map(\.text) == [
            "exec SET lease:k w2.1 PX 5000 NX -> OK", "exec SET k v3 EX 300 -> OK", "exec EVAL release lease:k w2.1 -> 1",
            "exec SET k v2 EX 300 -> OK", "exec EVAL release lease:k w1.1 -> -1",
        ])
        // The lease expired under w1.1 after 5 s > the 2 s bound.
        #expect(findings.counts[.boundedLeaseHold] == 1)
        #expect(findings.counts[.ownerOnlyRelease, default: 0] == 0)
    }

    @Test func aReleaseOfAnotherWorkersLeaseIsFound() {
        // get-then-delete style: w1.1's lease expired, w2.1 took it, then w1.1's connection DELs the lease key.
        let events: [ServerEvent] = Array(Self.cleanReload.prefix(3)) + [
            .expire(serverMicroseconds: Self.ms(5_012), key: "lease:k"),
            Self.exec(5_100, "c2", .acquire(key: "k", token: Token("w2.1"), ttlMilliseconds: 5_000), .ok),
            Self.exec(5_200, "c1", .get(key: "lease:k"), .bulk(Array("w2.1".utf8))),
            Self.exec(5_201, "c1", .delete(key: "lease:k"), .integer(1)),
            // And a release script that (in a broken server or script) deleted w3.1's lease for w2.1.
            Self.exec(5_300, "c3", .acquire(key: "k", token: Token("w3.1"), ttlMilliseconds: 5_000), .ok),
            Self.exec(5_301, "c2", .release(key: "k", token: Token("w2.1")), .integer(1)),
        ]
        let findings = Self.check(events, endAt: 6_000)
        let foreign = findings.violations.filter { $0.property == .ownerOnlyRelease }
        #expect(foreign.map(\.summary) == [
            "w1.1 deleted lease:k, which w2.1 held",
            "w2.1 deleted lease:k, which w3.1 held",
        ])
        #expect(foreign.first?.context.contains { $0.isCulprit && $0.text == "exec DEL lease:k -> 1" } == true)
        #expect(foreign.first?.context.contains { $0.actor == "w2" } == true, "clients are named by their tokens")
    }

    @Test func anOrphanedLeaseIsFoundBothWays() {
        // w1.1's call returned at 12 ms with an error after its acquire was applied: its lease stays until the
        // TTL. w2.1 on another key takes a lease and is still holding it when every call has returned.
        let events: [ServerEvent] = [
            Self.exec(10, "c1", .get(key: "k"), .bulk(Array("v1".utf8))),
            Self.exec(11, "c1", .acquire(key: "k", token: Token("w1.1"), ttlMilliseconds: 100), .ok),
            .expire(serverMicroseconds: Self.ms(112), key: "lease:k"),
            Self.exec(200, "c2", .get(key: "j"), .bulk(Array("v1".utf8))),
            Self.exec(201, "c2", .acquire(key: "j", token: Token("w2.1"), ttlMilliseconds: 5_000), .ok),
        ]
        let findings = Self.check(
            events,
            calls: [
                Self.call("w1.1", returnedAt: 12, outcome: .error(.commandTimeout)),
                Self.call("w2.1", key: "j", returnedAt: 250, outcome: .error(.connectionLost)),
            ],
            endAt: 300)
        let orphans = findings.violations.filter { $0.property == .noOrphanedLease }
        #expect(orphans.count == 2)
        #expect(orphans.map(\.key) == ["k", "j"])
        #expect(orphans[0].summary.contains("outlived its call (returned error command-timeout) by 100.000 ms until it was expired"))
        #expect(orphans[1].summary.contains("was still there when every call had returned"))
        #expect(findings.leasesLeft == ["lease:j"])
    }

    @Test func aReleaseJustBeforeTheReturnIsNoOrphan() {
        // The release runs on the server before its reply reaches the client: never an orphan, even with a clock
        // offset as uncertain as the bracket allows.
        let findings = HistoryChecker(bounds: Self.bounds).check(
            HistoryChecker.Input(
                events: Self.cleanReload, calls: [Self.call("w1.1", returnedAt: 14)], loads: [],
                clockOffset: ClockOffset(serverMinusClientMicroseconds: 0, uncertaintyMicroseconds: 200),
                endServerMicroseconds: Self.ms(100)))
        #expect(findings.counts[.noOrphanedLease, default: 0] == 0)
    }

    @Test func overlappingLoadsBreakSingleLoader() {
        func load(_ caller: String, _ start: Int64, _ end: Int64?) -> RecordingOrigin.Load {
            .init(key: "k", version: 1, caller: Token(caller), startMicroseconds: Self.ms(start), endMicroseconds: end.map(Self.ms))
        }
        // w2.1 overlaps w1.1; w3.1 starts exactly when w2.1 ends (not an overlap); w4.1 overlaps a load that never
        // answered (a cancelled caller's load still counts).
        let loads = [load("w1.1", 10, 20), load("w2.1", 15, 30), load("w3.1", 30, nil), load("w4.1", 500, 510)]
        let findings = Self.check(Self.cleanReload, loads: loads)
        let overlaps = findings.violations.filter { $0.property == .singleLoader }
        #expect(overlaps.map(\.summary) == [
            "w2.1 started loading k (v1) while w1.1's load (v1) was in flight: 2 loads at once",
            "w4.1 started loading k (v1) while w3.1's load (v1) was in flight: 2 loads at once",
        ])
        let lines = overlaps[0].context
        #expect(lines.filter(\.isCulprit).map(\.text) == ["load-start k v1 (w2.1)"])
        #expect(lines.map(\.serverMicroseconds) == lines.map(\.serverMicroseconds).sorted())
        #expect(lines.contains { $0.text == "exec SET k v2 EX 300 -> OK" })
    }

    @Test func slowCallsBreakBoundedLatency() {
        let findings = Self.check(
            Self.cleanReload,
            calls: [Self.call("w1.1", returnedAt: 15), Self.call("w2.1", returnedAt: 8_000, durationMilliseconds: 7_001)])
        #expect(findings.violations.filter { $0.property == .boundedLatency }.map(\.summary) == [
            "w2.1 took 7001.000 ms (bound 7000.000 ms) and returned fresh v2"
        ])
    }

    @Test func keptViolationsAreBoundedButAllAreCounted() {
        let loads = (0..<(HistoryChecker.keptPerPropertyMaximum + 50)).map { index in
            RecordingOrigin.Load(
                key: "k", version: 1, caller: Token(worker: index + 1, call: 1), startMicroseconds: Self.ms(Int64(index)),
                endMicroseconds: nil)
        }
        let findings = Self.check([], loads: loads)
        #expect(findings.counts[.singleLoader] == HistoryChecker.keptPerPropertyMaximum + 49)
        #expect(findings.violations.count == HistoryChecker.keptPerPropertyMaximum)
    }

    @Test func theReplayIsCheckedAgainstTheCallsOutcomes() {
        // w1.1 reloaded (its acquire OK): agrees. w2.1 says contended, but the replay answered its acquire OK;
        // w3.1 says fresh but never acquired; w4.1 ended in an error: not judged.
        let events = Self.cleanReload + [
            Self.exec(20, "c2", .acquire(key: "k", token: Token("w2.1"), ttlMilliseconds: 5_000), .ok),
        ]
        let findings = Self.check(
            events,
            calls: [
                Self.call("w1.1", returnedAt: 15),
                Self.call("w2.1", returnedAt: 21, outcome: .stale(CacheValue(version: 2), .contended)),
                Self.call("w3.1", returnedAt: 22),
                Self.call("w4.1", returnedAt: 23, outcome: .error(.connectionLost)),
            ])
        #expect(findings.disagreementCount == 2)
        #expect(findings.disagreements == [
            "w2.1 returned stale v2 contended but the replayed history has its acquire answered OK (expected nil)",
            "w3.1 returned fresh v2 but the replayed history has no acquire of it (expected OK)",
        ])
        // Without a lease no call acquires, and a fresh call without an acquire is right.
        let unlocked = HistoryChecker(bounds: Self.bounds, lock: .none).check(
            HistoryChecker.Input(
                events: [Self.exec(10, "c1", .get(key: "k"), .null)], calls: [Self.call("w3.1", returnedAt: 22)],
                loads: [], clockOffset: .zero, endServerMicroseconds: Self.ms(100)))
        #expect(unlocked.disagreementCount == 0)
    }
}
