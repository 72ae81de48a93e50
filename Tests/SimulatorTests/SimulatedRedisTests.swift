import Simulator
import Testing
import Trace

// The simulated Redis, command by command, against REDIS.md.

private let token1 = Token(worker: 1, call: 1)
private let token2 = Token(worker: 2, call: 1)
private let v1 = CacheValue(version: 1)
private let v2 = CacheValue(version: 2)

@Test("GET: nil for a missing key, the bytes for a present one")
func getShapes() {
    var redis = SimulatedRedis()
    #expect(redis.execute(.get(key: "k"), nowMicroseconds: 0) == .null)
    redis.store("k", value: v1.bytes, deadlineMilliseconds: nil)
    #expect(redis.execute(.get(key: "k"), nowMicroseconds: 0) == .bulk(v1.bytes))
}

@Test("a key is there at exactly its deadline millisecond and gone one millisecond later")
func deadlineEdge() {
    var redis = SimulatedRedis()
    // SET NX PX 5000 at 1.999ms: when = floor(1999us / 1000) + 5000 = 5001ms.
    #expect(redis.execute(.acquire(key: "k", token: token1, ttlMilliseconds: 5_000), nowMicroseconds: 1_999) == .ok)
    #expect(redis.peek("lease:k")?.deadlineMilliseconds == 5_001)
    // At 5001.999ms: floor = 5001, not > 5001: still there (PTTL 0).
    #expect(redis.execute(.get(key: "lease:k"), nowMicroseconds: 5_001_999) == .bulk(token1.bytes))
    // At 5002.000ms: floor = 5002 > 5001: gone; an NX acquire now succeeds.
    #expect(redis.execute(.get(key: "lease:k"), nowMicroseconds: 5_002_000) == .null)
    #expect(redis.execute(.acquire(key: "k", token: token2, ttlMilliseconds: 5_000), nowMicroseconds: 5_002_000) == .ok)
}

@Test("SET NX on a held lease is nil and keeps the holder and its deadline")
func acquireContended() {
    var redis = SimulatedRedis()
    #expect(redis.execute(.acquire(key: "k", token: token1, ttlMilliseconds: 5_000), nowMicroseconds: 0) == .ok)
    #expect(redis.execute(.acquire(key: "k", token: token2, ttlMilliseconds: 5_000), nowMicroseconds: 10_000) == .null)
    #expect(redis.peek("lease:k") == SimulatedRedis.Entry(value: token1.bytes, deadlineMilliseconds: 5_000))
}

@Test("SET EX replaces the value and sets a deadline in seconds; a TTL of 0 is refused")
func setEx() {
    var redis = SimulatedRedis()
    redis.store("k", value: v1.bytes, deadlineMilliseconds: nil)
    #expect(redis.execute(.set(key: "k", value: v2, ttlSeconds: 300), nowMicroseconds: 2_500) == .ok)
    #expect(redis.peek("k") == SimulatedRedis.Entry(value: v2.bytes, deadlineMilliseconds: 300_002))
    #expect(
        redis.execute(.set(key: "k", value: v1, ttlSeconds: 0), nowMicroseconds: 0)
            == .error("ERR invalid expire time in 'set' command"))
    #expect(
        redis.execute(.acquire(key: "x", token: token1, ttlMilliseconds: 0), nowMicroseconds: 0)
            == .error("ERR invalid expire time in 'set' command"))
}

@Test("A TTL whose milliseconds or deadline overflow 64 bits is refused as Redis 7 refuses it, not trapped on")
func ttlOverflow() {
    var redis = SimulatedRedis()
    let invalid = Reply.error("ERR invalid expire time in 'set' command")
    #expect(redis.execute(.set(key: "k", value: v1, ttlSeconds: Int.max), nowMicroseconds: 0) == invalid)
    #expect(redis.execute(.set(key: "k", value: v1, ttlSeconds: Int.max / 1_000), nowMicroseconds: 5_000_000) == invalid)
    #expect(redis.execute(.acquire(key: "k", token: token1, ttlMilliseconds: Int.max), nowMicroseconds: 1_000) == invalid)
    #expect(
        redis.execute(.fencedWrite(key: "k", value: v1, token: token1, ttlSeconds: Int.max), nowMicroseconds: 0)
            == .integer(0), "no lease: the script refuses before it reads the TTL")
    #expect(redis.peek("k") == nil)
}

@Test("DEL counts removed keys; an expired key counts 0")
func delete() {
    var redis = SimulatedRedis()
    #expect(redis.execute(.delete(key: "k"), nowMicroseconds: 0) == .integer(0))
    redis.store("k", value: v1.bytes, deadlineMilliseconds: 10)
    #expect(redis.execute(.delete(key: "k"), nowMicroseconds: 11_000) == .integer(0))
    redis.store("k", value: v1.bytes, deadlineMilliseconds: 10)
    #expect(redis.execute(.delete(key: "k"), nowMicroseconds: 10_999) == .integer(1))
    #expect(redis.peek("k") == nil)
}

@Test("the release script: 1 deleted ours, 0 another token, -1 no lease")
func releaseScript() {
    var redis = SimulatedRedis()
    #expect(redis.execute(.release(key: "k", token: token1), nowMicroseconds: 0) == .integer(-1))
    _ = redis.execute(.acquire(key: "k", token: token2, ttlMilliseconds: 5_000), nowMicroseconds: 0)
    #expect(redis.execute(.release(key: "k", token: token1), nowMicroseconds: 0) == .integer(0))
    #expect(redis.peek("lease:k")?.value == token2.bytes)
    #expect(redis.execute(.release(key: "k", token: token2), nowMicroseconds: 0) == .integer(1))
    #expect(redis.peek("lease:k") == nil)
}

@Test("the fenced write stores only under our lease")
func fencedWrite() {
    var redis = SimulatedRedis()
    redis.store("k", value: v1.bytes, deadlineMilliseconds: nil)
    #expect(redis.execute(.fencedWrite(key: "k", value: v2, token: token1, ttlSeconds: 300), nowMicroseconds: 0) == .integer(0))
    #expect(redis.peek("k")?.value == v1.bytes)
    _ = redis.execute(.acquire(key: "k", token: token1, ttlMilliseconds: 5_000), nowMicroseconds: 0)
    #expect(redis.execute(.fencedWrite(key: "k", value: v2, token: token2, ttlSeconds: 300), nowMicroseconds: 0) == .integer(0))
    #expect(redis.execute(.fencedWrite(key: "k", value: v2, token: token1, ttlSeconds: 300), nowMicroseconds: 1_000) == .ok)
    #expect(redis.peek("k") == SimulatedRedis.Entry(value: v2.bytes, deadlineMilliseconds: 300_001))
}

@Test("time is frozen inside a script: the lease checked and the TTL set use the one instant")
func scriptTimeFrozen() {
    var redis = SimulatedRedis()
    // The lease's deadline is 5000ms; the script runs at 5000.999ms, the last instant it is still ours.
    _ = redis.execute(.acquire(key: "k", token: token1, ttlMilliseconds: 5_000), nowMicroseconds: 0)
    #expect(redis.execute(.fencedWrite(key: "k", value: v2, token: token1, ttlSeconds: 1), nowMicroseconds: 5_000_999) == .ok)
    // The stored TTL counts from the same frozen instant: floor(5000.999) + 1000.
    #expect(redis.peek("k")?.deadlineMilliseconds == 6_000)
    #expect(redis.execute(.release(key: "k", token: token1), nowMicroseconds: 5_000_999) == .integer(1))
}

@Test("a restart empties Redis")
func restart() {
    var redis = SimulatedRedis()
    redis.store("k", value: v1.bytes, deadlineMilliseconds: nil)
    _ = redis.execute(.acquire(key: "k", token: token1, ttlMilliseconds: 5_000), nowMicroseconds: 0)
    redis.restart()
    #expect(redis.sortedEntries.isEmpty)
    #expect(redis.execute(.get(key: "k"), nowMicroseconds: 0) == .null)
}

@Test("expire removes a key only if it still has that deadline")
func expireEvent() {
    var redis = SimulatedRedis()
    _ = redis.execute(.acquire(key: "k", token: token1, ttlMilliseconds: 5_000), nowMicroseconds: 0)
    let early = redis.expire("lease:k", deadlineMilliseconds: 4_999)
    let due = redis.expire("lease:k", deadlineMilliseconds: 5_000)
    let again = redis.expire("lease:k", deadlineMilliseconds: 5_000)
    #expect(!early)
    #expect(due)
    #expect(!again)
}

@Test("SplitMix64 is the published generator, and its bounded draw stays in bounds")
func splitMix() {
    var generator = SplitMix64(seed: 0)
    // Reference values of SplitMix64 from seed 0.
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    var bounded = SplitMix64(seed: 42)
    for _ in 0..<10_000 {
        let value = bounded.next(in: -3, 7)
        #expect((-3...7).contains(value))
    }
}

@Test("the bare queue loop and the simulator's queue agree: a deterministic checksum per seed")
func bareQueueIsDeterministic() {
    let first = SimulatorBenchmark.bareQueue(events: 10_000, queueSize: 50, seed: 3)
    let second = SimulatorBenchmark.bareQueue(events: 10_000, queueSize: 50, seed: 3)
    #expect(first == second)
    #expect(first != SimulatorBenchmark.bareQueue(events: 10_000, queueSize: 50, seed: 4))
}

@Test("the benchmark scenario is what the issue asks: 100 workers, 100,000 calls, 10 keys, writers and faults")
func benchmarkScenarioShape() {
    let scenario = SimulatorBenchmark.scenario()
    #expect(scenario.workerCount == 100)
    #expect(scenario.calls.count == 100_000)
    #expect(scenario.keys.count == 10)
    #expect(!scenario.writes.isEmpty)
    #expect(!scenario.faults.isEmpty)
    #expect(zip(scenario.calls, scenario.calls.dropFirst()).allSatisfy { $0.atMicroseconds <= $1.atMicroseconds })
}
