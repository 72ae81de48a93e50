import LeaseCache
import Logging
import RedisClient
import RedisRun
import Synchronization
import Testing
import Trace

// The event loop under LeaseCache: pipelining on and off, and a command timeout on a connection that carries
// several calls' commands. Each test starts its own redis-server.


/// Runs `calls` calls at once on one connection, each on a key of its own that holds `v1`; returns the outcomes
/// and the most commands the connection had in flight at once.
private func concurrentCalls(
    pipelining: Bool, calls: Int, callsPerConnection: Int = 64
) async throws -> (outcomes: [Outcome], mostInFlight: Int) {
    let server = try RedisServerProcess()
    defer { server.stop() }
    let admin = try server.makeConnection()
    defer { admin.close() }
    for index in 0..<calls { _ = try admin.send("SET", "k:\(index)", "v1") }
    let cache = try LeaseCache(
        configuration: LeaseCacheConfiguration(
            host: server.host, port: server.port, connections: 1, pipelining: pipelining,
            callsPerConnection: callsPerConnection, variant: Preset.pr4821.variant),
        origin: { _ in CacheValue(version: 2) }, logger: quietLogger())
    #expect(await cache.openConnections().isEmpty)
    let outcomes = await withTaskGroup(of: Outcome.self) { group in
        for index in 0..<calls {
            group.addTask { await cache.evictAndReloadResult("k:\(index)").outcome }
        }
        return await group.reduce(into: []) { $0.append($1) }
    }
    for index in 0..<calls {
        #expect(try admin.send("GET", "k:\(index)") == .bulk(Array("v2".utf8)), "k:\(index) reloaded")
        #expect(try admin.send("EXISTS", "lease:k:\(index)") == .integer(0), "lease:k:\(index) released")
    }
    #expect(cache.commandsSent == 4 * calls)
    return (outcomes, cache.deepestPipeline)
}

@Test("without pipelining a connection carries one command at a time, and every call still reloads")
func withoutPipeliningOneCommandAtATime() async throws {
    let (outcomes, most) = try await concurrentCalls(pipelining: false, calls: 64)
    #expect(outcomes.allSatisfy { $0 == .fresh(CacheValue(version: 2), leaseLost: false) })
    #expect(most == 1)
}

@Test("with pipelining, calls sharing a connection overlap their commands, and every call still reloads")
func withPipeliningCallsOverlap() async throws {
    let (outcomes, most) = try await concurrentCalls(pipelining: true, calls: 64)
    #expect(outcomes.allSatisfy { $0 == .fresh(CacheValue(version: 2), leaseLost: false) })
    #expect(most > 1, "64 calls started together on one connection never had two commands in flight")
}

@Test("several loops drive several connections: every call reloads, each connection on its loop")
func severalLoops() async throws {
    let server = try RedisServerProcess()
    defer { server.stop() }
    let admin = try server.makeConnection()
    defer { admin.close() }
    for index in 0..<64 { _ = try admin.send("SET", "m:\(index)", "v1") }
    let cache = try LeaseCache(
        configuration: LeaseCacheConfiguration(
            host: server.host, port: server.port, connections: 4, threads: 2, variant: Preset.pr4821.variant),
        origin: { _ in CacheValue(version: 2) }, logger: quietLogger())
    #expect(await cache.openConnections().isEmpty)
    let outcomes = await withTaskGroup(of: Outcome.self) { group in
        for index in 0..<64 {
            group.addTask { await cache.evictAndReloadResult("m:\(index)").outcome }
        }
        return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(outcomes.allSatisfy { $0 == .fresh(CacheValue(version: 2), leaseLost: false) })
    #expect(cache.commandsSent == 4 * 64)
    #expect(throws: LeaseCacheError.self) {
        _ = try LeaseCache(
            configuration: LeaseCacheConfiguration(connections: 2, threads: 3), origin: { _ in CacheValue(version: 1) })
    }
}

@Test("calls beyond callsPerConnection wait their turn: with one slot, one call's command at a time")
func callsBeyondTheLimitWait() async throws {
    let (outcomes, most) = try await concurrentCalls(pipelining: true, calls: 16, callsPerConnection: 1)
    #expect(outcomes.allSatisfy { $0 == .fresh(CacheValue(version: 2), leaseLost: false) })
    #expect(most == 1, "one call at a time on the connection, so nothing to pipeline")
}

@Test("a command timeout fails every command in flight on its connection, and the next call uses a fresh one")
func aTimeoutFailsTheWholePipeline() async throws {
    let server = try RedisServerProcess()
    defer { server.stop() }
    // Between the cache and Redis, a proxy that, once armed, holds back every reply on the connections then open:
    // the commands are executed and their replies never come.
    let proxy = try ReplyHoldingProxy(upstreamHost: server.host, upstreamPort: server.port)
    defer { proxy.close() }
    var variant = Preset.pr4821.variant
    variant.commandTimeoutMicroseconds = 100_000
    let cache = try LeaseCache(
        configuration: LeaseCacheConfiguration(
            host: proxy.host, port: proxy.port, connections: 1, pipelining: true, variant: variant),
        origin: { _ in CacheValue(version: 2) }, logger: quietLogger())
    #expect(await cache.openConnections().isEmpty)
    // The kernel completes a connect before the proxy's thread accepts it: arm once the proxy holds it.
    for _ in 0..<2_000 where proxy.upstreamAddresses.isEmpty {
        try await Task.sleep(for: .milliseconds(5))
    }
    try #require(proxy.upstreamAddresses.count == 1, "the proxy never accepted the cache's connection")
    proxy.arm(.holdBackReply)
    let results = await withTaskGroup(of: EvictionResult.self) { group in
        for index in 0..<8 {
            group.addTask { await cache.evictAndReloadResult("t:\(index)") }
        }
        return await group.reduce(into: []) { $0.append($1) }
    }
    let outcomes = results.map(\.outcome)
    // The oldest command on the held connection times out and takes the others in flight with it; a call whose
    // command was handed over after the break goes out on a new connection, which the proxy serves: a miss.
    #expect(outcomes.contains(.error(.commandTimeout)), "\(outcomes)")
    #expect(
        outcomes.allSatisfy { $0 == .error(.commandTimeout) || $0 == .error(.connectionLost) || $0 == .miss },
        "\(outcomes)")
    #expect(results.compactMap(\.failure).allSatisfy { $0.contains("\(proxy.host):\(proxy.port)") })
    #expect(await cache.evictAndReloadResult("t:0").outcome == .miss)
    #expect(proxy.upstreamAddresses.count == 2, "one connection before the timeout, one after")
}

/// A log of what the calls sent and where they were, shared with the origin.
private final class OrderLog: LeaseCallProbe {
    let lines = Mutex<[String]>([])

    func note(_ line: String) { lines.withLock { $0.append(line) } }
    func reached(_ point: PausePoint, key: String) async { note("reached \(point.rawValue) \(key)") }
    func willSend(_ command: Command) { note("send \(command)") }
    func received(_ result: Result<Reply, RedisError>, to command: Command) {}
    func originTimedOut(key: String) {}
}

@Test(
    "a call back from the origin goes on ahead of a flood of calls waiting to start on its loop, pinned or not",
    arguments: [false, true])
func aLoadedCallGoesOnAheadOfAFlood(pinned: Bool) async throws {
    let server = try RedisServerProcess()
    defer { server.stop() }
    let admin = try server.makeConnection()
    defer { admin.close() }
    _ = try admin.send("SET", "user:1", "v1")
    let log = OrderLog()
    // The holder's origin waits at a gate; the flood's creator opens it from the loop's own thread, right after
    // queueing 20,000 calls there, so the holder's next job is queued on the loop after all of theirs.
    let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
    let cache = try LeaseCache(
        configuration: LeaseCacheConfiguration(
            host: server.host, port: server.port, connections: 1, callsPerConnection: 1_024,
            variant: Preset.pr4821.variant, probe: log),
        origin: { _ in
            await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } }
            return CacheValue(version: 2)
        }, logger: quietLogger())
    #expect(await cache.openConnections().isEmpty)
    let executor = cache.connectionExecutors[0]
    // Pinned or not, the holder's task waits for its call on the loop, and its origin runs there.
    let holder = Task(executorPreference: pinned ? executor : nil) { await cache.evictAndReloadResult("user:1") }
    // The holder has its lease and waits at the gate.
    for _ in 0..<10_000 where gate.withLock({ $0 == nil }) {
        try await Task.sleep(for: .milliseconds(1))
    }
    await Task(executorPreference: executor) {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<20_000 {
                group.addTask { _ = await cache.evictAndReloadResult("flood:\(index)") }
            }
            // On the loop's thread, in the same job: the holder's answer is queued there now, after the flood.
            let waiting = gate.withLock { held in defer { held = nil }; return held }
            log.note("origin answered user:1")
            waiting?.resume()
        }
    }.value
    #expect(await holder.value.outcome == .fresh(CacheValue(version: 2), leaseLost: false))
    let lines = log.lines.withLock { $0 }
    let answered = try #require(lines.firstIndex(of: "origin answered user:1"))
    let resumed = try #require(lines.firstIndex(of: "reached after-load user:1"))
    let sendsBetween = lines[answered..<resumed].filter { $0.hasPrefix("send ") }.count
    // First come first served, the holder would wait behind the flood calls queued before its answer, and the
    // first 1,024 of them (the connection's admitted calls) would send their GET first; resumed ahead of them,
    // it goes on within a batch or two of the loop's (64 jobs each).
    #expect(sendsBetween < 300, "\(sendsBetween) commands went out between the origin's answer and the holder's step")
}
