import LeaseCache
import LeaseCore
import Logging
import MetricsTestKit
import RedisClient
import Synchronization
import Testing
import Trace

// Integration tests: LeaseCache against a private redis-server that each test starts on a free loopback port and
// always stops.

/// A private server, a direct connection to inspect it, and a cache on it with one variant.
private struct Fixture {
    let server: RedisServerProcess
    let admin: RedisConnection

    init() throws {
        server = try RedisServerProcess()
        admin = try RedisConnection(
            host: server.host, port: server.port, connectTimeoutMicroseconds: 1_000_000,
            commandTimeoutMicroseconds: 5_000_000)
    }

    func cache(
        _ variant: ProtocolVariant, origin: @escaping LeaseCache.Origin, connections: Int = 1,
        metrics: TestMetrics = TestMetrics()
    ) throws -> LeaseCache {
        let logger = quietLogger()
        return try LeaseCache(
            configuration: LeaseCacheConfiguration(
                host: server.host, port: server.port, connections: connections, variant: variant),
            origin: origin, tokens: SymbolicTokenGenerator(worker: 1), logger: logger, metricsFactory: metrics)
    }

    func get(_ key: String) throws -> RedisReply {
        try admin.send(strings: ["GET", key])
    }

    func set(_ key: String, _ value: String) throws {
        _ = try admin.send(strings: ["SET", key, value])
    }

    func stop() {
        admin.close()
        server.stop()
    }
}

private func counter(_ metrics: TestMetrics, _ label: String) -> Int64 {
    (try? metrics.expectCounter(label).totalValue) ?? 0
}

@Test("pr-4821 reloads: the key holds the fresh value, the lease is gone, reloaded is counted")
func pr4821ReloadsForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    let metrics = TestMetrics()
    let cache = try fixture.cache(Preset.pr4821.variant, origin: { _ in CacheValue(version: 2) }, metrics: metrics)
    let result = await cache.evictAndReloadResult("user:1")
    #expect(result.outcome == .fresh(CacheValue(version: 2), leaseLost: false))
    #expect(result.releaseResult == .released)
    #expect(try fixture.get("user:1") == .bulk(Array("v2".utf8)))
    #expect(try fixture.get("lease:user:1") == .null)
    // The value carries the cache TTL: some of the 300 s left, whatever the machine's speed (no time limit here).
    let ttl = try fixture.admin.send(strings: ["PTTL", "user:1"]).integer(command: "PTTL")
    #expect(ttl > 0 && ttl <= 300_000)
    #expect(counter(metrics, "cache.evict.reloaded") == 1)
    #expect(counter(metrics, "cache.evict.release_lost") == 0)
}

@Test("every preset and release style completes a reload against Redis")
func everyVariantForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    var variants = Preset.allCases.map { ($0.rawValue, $0.variant) }
    for style in ReleaseStyle.allCases {
        var variant = Preset.pr4821.variant
        variant.release = style
        variants.append((style.rawValue, variant))
    }
    for (name, variant) in variants {
        let key = "k:\(name)"
        try fixture.set(key, "v1")
        let cache = try fixture.cache(variant, origin: { _ in CacheValue(version: 7) })
        let result = await cache.evictAndReloadResult(key)
        #expect(result.outcome == .fresh(CacheValue(version: 7), leaseLost: false), "\(name)")
        #expect(try fixture.get(key) == .bulk(Array("v7".utf8)), "\(name)")
        #expect(try fixture.get("lease:" + key) == .null, "\(name)")
        if variant.lock == .lease {
            #expect(result.releaseResult == .released, "\(name)")
        }
    }
}

@Test("a miss loads nothing")
func missForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let loads = Atomic<Int>(0)
    let cache = try fixture.cache(
        Preset.pr4821.variant,
        origin: { _ in
            loads.add(1, ordering: .relaxed)
            return CacheValue(version: 2)
        })
    #expect(await cache.evictAndReloadResult("absent").outcome == .miss)
    #expect(try await cache.evictAndReload("absent") == nil)
    #expect(loads.load(ordering: .relaxed) == 0)
}

@Test("a held lease serves stale, counts contended, and leaves the other's lease alone")
func contendedForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    try fixture.set("lease:user:1", "w9.1")
    let metrics = TestMetrics()
    let cache = try fixture.cache(Preset.pr4821.variant, origin: { _ in CacheValue(version: 2) }, metrics: metrics)
    #expect(await cache.evictAndReloadResult("user:1").outcome == .stale(CacheValue(version: 1), .contended))
    #expect(try fixture.get("lease:user:1") == .bulk(Array("w9.1".utf8)))
    #expect(try fixture.get("user:1") == .bulk(Array("v1".utf8)))
    #expect(counter(metrics, "cache.evict.contended") == 1)
}

@Test("fenced: a write after the lease was taken over is refused and the release finds another owner")
func fencedRefusedForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    let host = fixture.server.host
    let port = fixture.server.port
    let metrics = TestMetrics()
    // The origin runs while we hold the lease; it hands the lease to another token, as if ours expired.
    let cache = try fixture.cache(
        Preset.fenced.variant,
        origin: { _ in
            let other = try RedisConnection(
                host: host, port: port, connectTimeoutMicroseconds: 1_000_000, commandTimeoutMicroseconds: 1_000_000)
            defer { other.close() }
            _ = try other.send(strings: ["SET", "lease:user:1", "w9.1"])
            return CacheValue(version: 2)
        }, metrics: metrics)
    let result = await cache.evictAndReloadResult("user:1")
    #expect(result.outcome == .fresh(CacheValue(version: 2), leaseLost: true))
    #expect(result.releaseResult == .anotherOwner)
    #expect(try fixture.get("user:1") == .bulk(Array("v1".utf8)))
    #expect(try fixture.get("lease:user:1") == .bulk(Array("w9.1".utf8)))
    #expect(counter(metrics, "cache.evict.release_lost") == 1)
}

@Test("an origin failure releases and serves stale")
func originFailureForReal() async throws {
    struct OriginDown: Error {}
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    let metrics = TestMetrics()
    let cache = try fixture.cache(Preset.pr4821.variant, origin: { _ in throw OriginDown() }, metrics: metrics)
    #expect(await cache.evictAndReloadResult("user:1").outcome == .stale(CacheValue(version: 1), .originFailed))
    #expect(try fixture.get("lease:user:1") == .null)
    #expect(counter(metrics, "cache.evict.origin_failed") == 1)
}

@Test("the origin timeout cancels a slow origin, releases and serves stale")
func originTimeoutForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    var variant = Preset.pr4821Timeout.variant
    variant.originTimeoutMicroseconds = 50_000
    let cancelled = Atomic<Bool>(false)
    let metrics = TestMetrics()
    let cache = try fixture.cache(
        variant,
        origin: { _ in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                cancelled.store(true, ordering: .relaxed)
                throw error
            }
            return CacheValue(version: 2)
        }, metrics: metrics)
    #expect(await cache.evictAndReloadResult("user:1").outcome == .stale(CacheValue(version: 1), .originTimeout))
    #expect(try fixture.get("lease:user:1") == .null)
    #expect(try fixture.get("user:1") == .bulk(Array("v1".utf8)))
    #expect(counter(metrics, "cache.evict.origin_timeout") == 1)
    // Cancellation reaches the origin promptly; poll without a time limit on the test itself.
    while !cancelled.load(ordering: .relaxed) {
        try await Task.sleep(for: .milliseconds(1))
    }
}

@Test("an origin that ignores cancellation does not hold the call past its timeout")
func uncooperativeOriginForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    var variant = Preset.pr4821Timeout.variant
    variant.originTimeoutMicroseconds = 20_000
    let release = Mutex<CheckedContinuation<Void, Never>?>(nil)
    let cache = try fixture.cache(
        variant,
        origin: { _ in
            // Never finishes until the test lets it, whatever cancellation says.
            await withCheckedContinuation { continuation in
                release.withLock { $0 = continuation }
            }
            return CacheValue(version: 2)
        })
    #expect(await cache.evictAndReloadResult("user:1").outcome == .stale(CacheValue(version: 1), .originTimeout))
    while release.withLock({ $0 == nil }) {
        try await Task.sleep(for: .milliseconds(1))
    }
    release.withLock { $0?.resume() }
}

@Test("a wrong-type key gives a server-error outcome naming the server, not a crash")
func wrongTypeForReal() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    _ = try fixture.admin.send(strings: ["LPUSH", "user:1", "x"])
    let cache = try fixture.cache(Preset.pr4821.variant, origin: { _ in CacheValue(version: 2) })
    let result = await cache.evictAndReloadResult("user:1")
    #expect(result.outcome == .error(.serverError))
    let failure = try #require(result.failure)
    #expect(failure.hasPrefix("127.0.0.1:\(fixture.server.port): GET user:1 got the error reply 'WRONGTYPE"))
    #expect(!failure.contains("\n"))
    await #expect(throws: LeaseCacheError.self) {
        try await cache.evictAndReload("user:1")
    }
}

@Test("an unreachable Redis gives error outcomes whose line names host:port")
func unreachableRedis() async throws {
    let server = try RedisServerProcess()
    let port = server.port
    server.stop()  // nothing listens there now
    let logger = quietLogger()
    let cache = try LeaseCache(
        configuration: LeaseCacheConfiguration(host: "127.0.0.1", port: port, connections: 2),
        origin: { _ in CacheValue(version: 2) }, logger: logger)
    let result = await cache.evictAndReloadResult("user:1")
    #expect(result.outcome == .error(.connectionLost))
    let failure = try #require(result.failure)
    #expect(failure.contains("127.0.0.1:\(port)"))
    #expect(!failure.contains("\n"))
    do {
        _ = try await cache.evictAndReload("user:1")
        Issue.record("an unreachable server did not throw")
    } catch {
        #expect(error.description.contains("127.0.0.1:\(port)"))
        #expect(error.reason == .connectionLost)
    }
}

@Test("Redis killed mid-run: every call still ends, in errors naming host:port, without a hang")
func redisKilledMidRun() async throws {
    let fixture = try Fixture()
    try fixture.set("user:1", "v1")
    let killed = Atomic<Bool>(false)
    let server = fixture.server
    let cache = try fixture.cache(
        Preset.pr4821.variant,
        origin: { _ in
            if !killed.exchange(true, ordering: .relaxed) {
                server.kill()
            }
            return CacheValue(version: 2)
        }, connections: 2)
    let first = await cache.evictAndReloadResult("user:1")
    // The write after the kill fails; the release (on a new connection) fails too; the call ends in an error.
    guard case .error(let reason) = first.outcome else {
        Issue.record("expected an error, got \(first.outcome)")
        return
    }
    #expect(reason == .connectionLost)
    #expect(first.failure?.contains("127.0.0.1:\(server.port)") == true)
    let later = await cache.evictAndReloadResult("user:1")
    #expect(later.outcome == .error(.connectionLost))
    fixture.admin.close()
    server.stop()
}

/// A service's task-local context (a tracing context, a logger's metadata), as an origin would read it.
private enum ServiceContext {
    @TaskLocal static var requestID: String?
}

@Test(
    "the origin runs in the caller's task context, with or without an origin timeout to race, pinned or not",
    arguments: [false, true], [false, true])
func originSeesTheCallersTaskLocals(timeout: Bool, pinned: Bool) async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    let seen = Mutex<[String?]>([])
    var variant = timeout ? Preset.pr4821Timeout.variant : Preset.pr4821.variant
    if timeout {
        // Far from firing: the origin answers at once, but on the shared pool, which other tests keep busy.
        variant.leaseTTLMilliseconds = 120_000
        variant.originTimeoutMicroseconds = 60_000_000
    }
    let cache = try fixture.cache(
        variant,
        origin: { _ in
            seen.withLock { $0.append(ServiceContext.requestID) }
            return CacheValue(version: 2)
        })
    let executor: (any TaskExecutor)? = pinned ? cache.connectionExecutors[0] : nil
    let outcome = await Task(executorPreference: executor) {
        await ServiceContext.$requestID.withValue("request-7") {
            await cache.evictAndReloadResult("user:1").outcome
        }
    }.value
    #expect(outcome == .fresh(CacheValue(version: 2), leaseLost: false))
    #expect(seen.withLock { $0 } == ["request-7"])
}

@Test("a caller pinned to a connection makes its calls on that connection, with no hop to another")
func pinnedCallsStayOnTheirConnection() async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    for number in 1...6 { try fixture.set("user:\(number)", "v1") }
    let cache = try fixture.cache(Preset.pr4821.variant, origin: { _ in CacheValue(version: 2) }, connections: 3)
    for (position, executor) in cache.connectionExecutors.enumerated() {
        let before = cache.commandsSentByConnection
        let outcomes = await Task(executorPreference: executor) {
            var outcomes: [Outcome] = []
            for number in (2 * position + 1)...(2 * position + 2) {
                outcomes.append(await cache.evictAndReloadResult("user:\(number)").outcome)
            }
            return outcomes
        }.value
        #expect(outcomes.allSatisfy { $0 == .fresh(CacheValue(version: 2), leaseLost: false) })
        let sent = zip(cache.commandsSentByConnection, before).map { $0 - $1 }
        // Two reloads: GET, SET NX PX, SET EX and the release each, all on the pinned connection.
        #expect(sent == (0..<3).map { $0 == position ? 8 : 0 }, "connection \(position): \(sent)")
    }
}

@Test(
    "an origin load sees its call's token (LeaseCache.loadingToken), with and without an origin timeout; nil outside",
    arguments: [Preset.pr4821, .pr4821Timeout])
func anOriginLoadSeesItsCallsToken(preset: Preset) async throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    try fixture.set("user:1", "v1")
    let seen = Mutex<[Token?]>([])
    let cache = try fixture.cache(
        preset.variant,
        origin: { _ in
            seen.withLock { $0.append(LeaseCache.loadingToken) }
            return CacheValue(version: 2)
        })
    let first = await cache.evictAndReloadResult("user:1")
    let chosen = await cache.evictAndReloadResult("user:1", token: Token(worker: 7, call: 3))
    #expect(first.outcome == .fresh(CacheValue(version: 2), leaseLost: false))
    #expect(chosen.outcome == .fresh(CacheValue(version: 2), leaseLost: false))
    #expect(seen.withLock { $0 } == [Token(worker: 1, call: 1), Token(worker: 7, call: 3)])
    #expect(LeaseCache.loadingToken == nil)
}
