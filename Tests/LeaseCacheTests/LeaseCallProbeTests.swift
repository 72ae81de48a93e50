import LeaseCache
import LeaseCore
import Logging
import RedisClient
import Synchronization
import Testing
import Trace

/// The probe seam: every command seen before it is sent and as it is answered, every pause point reached in the
/// call's order, and the call held while the probe holds it.
private final class RecordingProbe: LeaseCallProbe {
    let seen = Mutex<[String]>([])
    let holdAt: PausePoint
    let holdMilliseconds: Int

    init(holdAt: PausePoint, holdMilliseconds: Int) {
        self.holdAt = holdAt
        self.holdMilliseconds = holdMilliseconds
    }

    func reached(_ point: PausePoint, key: String) async {
        seen.withLock { $0.append("reached \(point.rawValue)") }
        if point == holdAt { try? await Task.sleep(for: .milliseconds(holdMilliseconds)) }
    }

    func willSend(_ command: Command) {
        seen.withLock { $0.append("send \(command)") }
    }

    func received(_ result: Result<Reply, RedisError>, to command: Command) {
        let answer = (try? result.get()).map(\.description) ?? "failure"
        seen.withLock { $0.append("got \(answer)") }
    }

    func originTimedOut(key: String) {
        seen.withLock { $0.append("origin timeout") }
    }
}

@Test("a probe sees each command and pause point in order, and holds the call where it pauses")
func probeSeesTheCallInOrder() async throws {
    let server = try RedisServerProcess()
    defer { server.stop() }
    let admin = try server.makeConnection()
    defer { admin.close() }
    _ = try admin.send("SET", "p:user:1", "v1")
    let probe = RecordingProbe(holdAt: .beforeWrite, holdMilliseconds: 150)
    let logger = quietLogger()
    let cache = try LeaseCache(
        configuration: LeaseCacheConfiguration(
            host: server.host, port: server.port, connections: 1, variant: Preset.pr4821.variant, keyPrefix: "p:",
            probe: probe),
        origin: { _ in CacheValue(version: 2) }, tokens: SymbolicTokenGenerator(worker: 1), logger: logger)
    #expect(await cache.openConnections().isEmpty)
    let started = ContinuousClock.now
    let result = await cache.evictAndReloadResult("user:1")
    #expect(ContinuousClock.now - started >= .milliseconds(150))
    #expect(result.outcome == .fresh(CacheValue(version: 2), leaseLost: false))
    #expect(probe.seen.withLock { $0 } == [
        "send GET user:1", "got v1",
        "reached before-acquire", "send SET lease:user:1 w1.1 PX 5000 NX", "got OK",
        "reached after-load",
        "reached before-write", "send SET user:1 v2 EX 300", "got OK",
        "reached before-release", "send EVAL release lease:user:1 w1.1", "got 1",
    ])
}
