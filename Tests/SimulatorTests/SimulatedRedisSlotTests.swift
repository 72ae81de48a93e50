@testable import Simulator
import Testing
import Trace

// The simulated Redis by slot (the simulator's hot path) against the same Redis by key name (every other caller):
// the same replies, the same stored state, the same deadlines and expiries. Both run one command body, so this
// pins the routing (a slot reaches the key its name reaches); SimulatedRedisTests pin the commands' semantics.

/// The cache keys the sequences use (their lease keys are named by the commands that name them). Scenarios refuse
/// cache keys that start `lease:`; ``leaseNamedKeySlot()`` covers such a name on its own.
private let plainNames = ["k", "j", "user:1"]

/// A random command of the protocol (and the by-name lease commands of the other release styles) on `names`.
private func randomCommand(_ generator: inout SplitMix64) -> Command {
    let key = plainNames[Int(generator.next(below: UInt64(plainNames.count)))]
    let token = Token(worker: Int(generator.next(below: 2)) + 1, call: 1)
    let value = CacheValue(version: Int(generator.next(below: 3)))
    let ttl = Int(generator.next(below: 4))  // 0 is refused, as Redis refuses it
    switch generator.next(below: 8) {
    case 0: return .get(key: key)
    case 1: return .get(key: Command.leaseKey(of: key))
    case 2: return .acquire(key: key, token: token, ttlMilliseconds: ttl * 1_000)
    case 3: return .set(key: key, value: value, ttlSeconds: ttl)
    case 4: return .delete(key: key)
    case 5: return .delete(key: Command.leaseKey(of: key))
    case 6: return .release(key: key, token: token)
    default: return .fencedWrite(key: key, value: value, token: token, ttlSeconds: ttl)
    }
}

/// The key a command names, and whether that name is a lease key's (`lease:<key>` of a GET or DEL).
private func namedKey(_ command: Command) -> String {
    switch command {
    case .get(let key), .delete(let key), .set(let key, _, _), .acquire(let key, _, _), .release(let key, _),
        .fencedWrite(let key, _, _, _):
        return key
    }
}

@Test("by slot and by name, seeded command sequences give the same replies, state, deadlines and expiries")
func slotAgreesWithName() {
    for seed in UInt64(0)..<200 {
        var generator = SplitMix64(seed: seed)
        var byName = SimulatedRedis()
        var bySlot = SimulatedRedis()
        var slots: [String: Int] = [:]
        for name in plainNames { slots[name] = bySlot.slot(of: name) }
        var now: Int64 = 0
        for step in 0..<60 {
            now += Int64(generator.next(below: 1_500_000))
            let command = randomCommand(&generator)
            let key = namedKey(command)
            let expected = byName.execute(command, nowMicroseconds: now)
            // As the simulator does: a command naming a plain key goes by slot, one naming a key that starts
            // `lease:` by name.
            let reply =
                key.hasPrefix("lease:")
                ? bySlot.execute(command, nowMicroseconds: now)
                : bySlot.execute(command, slot: slots[key]!, nowMicroseconds: now)
            #expect(reply == expected, "seed \(seed) step \(step): \(command)")
            #expect(bySlot.sortedEntries.map(\.key) == byName.sortedEntries.map(\.key), "seed \(seed) step \(step)")
            #expect(bySlot.sortedEntries.map(\.entry) == byName.sortedEntries.map(\.entry), "seed \(seed) step \(step)")
            for name in plainNames {
                let slot = slots[name]!
                // A name that starts `lease:` is a lease key itself: its slot's own entry is never used.
                if !name.hasPrefix("lease:") {
                    #expect(bySlot.deadline(slot: slot, lease: false) == byName.deadline(of: name), "seed \(seed)")
                }
                #expect(
                    bySlot.deadline(slot: slot, lease: true) == byName.deadline(of: Command.leaseKey(of: name)),
                    "seed \(seed)")
            }
            if generator.next(below: 10) == 0 {
                let name = plainNames[Int(generator.next(below: UInt64(plainNames.count)))]
                let lease = generator.next(below: 2) == 1 || name.hasPrefix("lease:")
                let fullName = lease ? Command.leaseKey(of: name) : name
                if let deadline = byName.deadline(of: fullName) {
                    let removed = bySlot.expire(slot: slots[name]!, lease: lease, deadlineMilliseconds: deadline)
                    #expect(removed == byName.expire(fullName, deadlineMilliseconds: deadline), "seed \(seed)")
                }
            }
            if generator.next(below: 40) == 0 {
                byName.restart()
                bySlot.restart()
            }
        }
    }
}

@Test("a key whose name starts lease: has a slot of its own, and its lease is lease:lease:<key>")
func leaseNamedKeySlot() {
    var redis = SimulatedRedis()
    let slot = redis.slot(of: "lease:x")
    #expect(redis.slot(of: "x") != slot)
    let reply = redis.execute(.acquire(key: "lease:x", token: Token("t"), ttlMilliseconds: 5_000), nowMicroseconds: 0)
    #expect(reply == .ok)
    #expect(redis.peek("lease:lease:x")?.value == Token("t").bytes)
    #expect(redis.deadline(slot: slot, lease: true) == 5_000)
    #expect(redis.peek("lease:x") == nil)
    #expect(redis.peek("x") == nil)
    #expect(redis.sortedEntries.map(\.key) == ["lease:lease:x"])
}

@Test("a lookup of a key never stored finds nothing and stores nothing")
func unknownKeyLookups() {
    var redis = SimulatedRedis()
    let found = redis.lookup("nowhere", nowMicroseconds: 0)
    #expect(found == nil)
    #expect(redis.peek("lease:nowhere") == nil)
    #expect(redis.deadline(of: "nowhere") == nil)
    let expired = redis.expire("nowhere", deadlineMilliseconds: 0)
    #expect(!expired)
    let reply = redis.execute(.get(key: "nowhere"), nowMicroseconds: 0)
    #expect(reply == .null)
    #expect(redis.sortedEntries.isEmpty)
}
