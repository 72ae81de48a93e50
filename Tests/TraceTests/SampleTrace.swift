import Trace

/// Hand-written events covering every event kind, every command, reply shape and outcome, with their exact text
/// and JSON lines: the fixture the format tests pin.
enum SampleTrace {
    static let lease = Command.acquire(key: "user:1", token: Token(worker: 1, call: 1), ttlMilliseconds: 5_000)

    /// Each event beside its text line.
    static let textLines: [(TraceEvent, String)] = [
        (event(0, .worker(1), .call(key: "user:1", call: 1)),
         "     0.000 w1     call user:1 1"),
        (event(1_000, .worker(1), .exec(.get(key: "user:1"), .bulk(Array("v1".utf8)))),
         "     1.000 w1     exec GET user:1 -> v1"),
        (event(2_000, .worker(1), .exec(lease, .ok)),
         "     2.000 w1     exec SET lease:user:1 w1.1 PX 5000 NX -> OK"),
        (event(3_000, .worker(1), .loadStart(key: "user:1", version: 1)),
         "     3.000 w1     load-start user:1 v1"),
        (event(3_500, .writer("writer"), .write(key: "user:1", version: 2)),
         "     3.500 writer write user:1 v2"),
        (event(3_600, .writer("writer"), .exec(.delete(key: "user:1"), .integer(1))),
         "     3.600 writer exec DEL user:1 -> 1"),
        (event(4_000, .worker(1), .pause(.afterLoad)),
         "     4.000 w1     pause after-load"),
        (event(5_002_000, .server, .expire(key: "lease:user:1")),
         "  5002.000 server expire lease:user:1"),
        (event(6_000_000, .worker(1), .resume(.afterLoad)),
         "  6000.000 w1     resume after-load"),
        (event(6_000_000, .worker(1), .loadEnd(key: "user:1", version: 1)),
         "  6000.000 w1     load-end user:1 v1"),
        (event(6_001_000, .worker(1), .exec(.set(key: "user:1", value: CacheValue(version: 1), ttlSeconds: 300), .ok)),
         "  6001.000 w1     exec SET user:1 v1 EX 300 -> OK"),
        (event(6_002_000, .worker(1), .exec(.release(key: "user:1", token: Token(worker: 1, call: 1)), .integer(0))),
         "  6002.000 w1     exec EVAL release lease:user:1 w1.1 -> 0"),
        (event(6_003_000, .worker(1), .return(.fresh(CacheValue(version: 1), leaseLost: false))),
         "  6003.000 w1     return fresh v1"),
        (event(7_000_001, .worker(2), .exec(
            .fencedWrite(key: "user:1", value: CacheValue(version: 2), token: Token(worker: 2, call: 1), ttlSeconds: 300),
            .null)),
         "  7000.001 w2     exec EVAL fenced-write user:1 lease:user:1 v2 w2.1 300 -> nil"),
        (event(7_000_010, .worker(2), .replyLost(
            .acquire(key: "user:1", token: Token(worker: 2, call: 1), ttlMilliseconds: 5_000))),
         "  7000.010 w2     reply-lost SET lease:user:1 w2.1 PX 5000 NX"),
        (event(7_000_100, .worker(2), .commandTimeout(.get(key: "user:1"))),
         "  7000.100 w2     command-timeout GET user:1"),
        (event(7_001_000, .worker(2), .connectionLost(.delete(key: "lease:user:1"))),
         "  7001.000 w2     connection-lost DEL lease:user:1"),
        (event(7_002_000, .worker(2), .loadFail(key: "user:1", reason: "connection refused")),
         "  7002.000 w2     load-fail user:1 \"connection refused\""),
        (event(7_003_000, .worker(2), .originTimeout(key: "user:1")),
         "  7003.000 w2     origin-timeout user:1"),
        (event(7_004_000, .server, .restart),
         "  7004.000 server restart"),
        (event(7_005_000, .worker(2), .return(.fresh(CacheValue(version: 3), leaseLost: true))),
         "  7005.000 w2     return fresh v3 lease-lost"),
        (event(7_005_000, .worker(3), .return(.stale(CacheValue(version: 2), .contended))),
         "  7005.000 w3     return stale v2 contended"),
        (event(7_005_000, .worker(4), .return(.stale(CacheValue(version: 2), .originFailed))),
         "  7005.000 w4     return stale v2 origin-failed"),
        (event(7_005_000, .worker(5), .return(.stale(CacheValue(version: 2), .originTimeout))),
         "  7005.000 w5     return stale v2 origin-timeout"),
        (event(7_005_000, .worker(6), .return(.miss)),
         "  7005.000 w6     return miss"),
        (event(7_005_000, .worker(7), .return(.error(.commandTimeout))),
         "  7005.000 w7     return error command-timeout"),
        (event(7_006_000, .worker(1), .exec(
            .get(key: "user:1"), .error("WRONGTYPE Operation against a key holding the wrong kind of value"))),
         "  7006.000 w1     exec GET user:1 -> ERR(\"WRONGTYPE Operation against a key holding the wrong kind of value\")"),
        (event(7_007_000, .worker(1), .exec(.get(key: "user:1"), .other("array"))),
         "  7007.000 w1     exec GET user:1 -> OTHER(array)"),
        // Bulks that would read as another shape are quoted; a status that is not a status word is wrapped.
        (event(7_008_000, .worker(1), .exec(.get(key: "user:1"), .bulk(Array("OK".utf8)))),
         "  7008.000 w1     exec GET user:1 -> \"OK\""),
        (event(7_008_000, .worker(1), .exec(.get(key: "user:1"), .bulk(Array("nil".utf8)))),
         "  7008.000 w1     exec GET user:1 -> \"nil\""),
        (event(7_008_000, .worker(1), .exec(.get(key: "user:1"), .bulk(Array("12".utf8)))),
         "  7008.000 w1     exec GET user:1 -> \"12\""),
        (event(7_008_000, .worker(1), .exec(.get(key: "user:1"), .bulk(Array("ERR(x)".utf8)))),
         "  7008.000 w1     exec GET user:1 -> \"ERR(x)\""),
        (event(7_008_000, .worker(1), .exec(.get(key: "user:1"), .bulk([0x00, 0x0A, 0x22, 0x5C, 0xFF, 0x20]))),
         "  7008.000 w1     exec GET user:1 -> \"\\x00\\x0a\\\"\\\\\\xff \""),
        (event(7_008_000, .worker(1), .exec(.get(key: "user:1"), .bulk([]))),
         "  7008.000 w1     exec GET user:1 -> \"\""),
        (event(7_009_000, .worker(1), .exec(.get(key: "user:1"), .status("Background saving started"))),
         "  7009.000 w1     exec GET user:1 -> STATUS(\"Background saving started\")"),
        (event(7_009_000, .worker(1), .exec(.get(key: "user:1"), .integer(-42))),
         "  7009.000 w1     exec GET user:1 -> -42"),
        // Keys that need quoting are quoted, the lease key whole.
        (event(7_010_000, .worker(1), .exec(
            .acquire(key: "a b", token: Token("t\"1"), ttlMilliseconds: 5_000), .ok)),
         "  7010.000 w1     exec SET \"lease:a b\" \"t\\\"1\" PX 5000 NX -> OK"),
        // Times past the fixed width and long actor names grow the line.
        (event(12_345_678_901, .worker(12), .call(key: "user:2", call: 3)),
         "12345678.901 w12    call user:2 3"),
        (event(-1, .writer("writer-east"), .write(key: "user:2", version: 4)),
         "    -0.001 writer-east write user:2 v4"),
    ]

    static var events: [TraceEvent] { textLines.map(\.0) }

    static func event(_ time: Int64, _ actor: Actor, _ kind: EventKind) -> TraceEvent {
        TraceEvent(timeMicroseconds: time, actor: actor, kind: kind)
    }
}
