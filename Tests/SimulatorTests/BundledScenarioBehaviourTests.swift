import Simulator
import Testing
import Trace

// Each bundled scenario's seed-0 trace shows its failure (or its absence) under each listed protocol, asserted on
// the events themselves: which command, which reply, which outcome.

private let key = "user:1"
private let leaseKey = "lease:user:1"
private func v(_ version: Int) -> CacheValue { CacheValue(version: version) }
private func token(_ worker: Int, _ call: Int) -> Token { Token(worker: worker, call: call) }

@Test("happy path: one reload, the lease taken and released, fresh")
func happyPath() throws {
    for name in ["pr-4821", "pr-4821-timeout", "fenced"] {
        let result = try simulate("happy-path", name)
        #expect(result.limitReached == nil)
        #expect(result.contains(.worker(1), .exec(.acquire(key: key, token: token(1, 1), ttlMilliseconds: 5_000), .ok)))
        #expect(result.contains(.worker(1), .exec(.release(key: key, token: token(1, 1)), .integer(1))), "\(name)")
        guard case .fresh(_, leaseLost: false)? = result.outcome(worker: 1, call: 1) else {
            Issue.record("\(name): \(dump(result.events))")
            continue
        }
    }
}

@Test("lease expiry from a slow origin: pr-4821's late SET overwrites the newer value")
func leaseExpirySlowOrigin() throws {
    let result = try simulate("lease-expiry-slow-origin", "pr-4821")
    // w1's lease expires while it loads; w2 takes a new one and stores v2.
    let expire = try #require(result.index(.server, .expire(key: leaseKey)), "\(dump(result.events))")
    let w2Acquire = try #require(
        result.index(.worker(2), .exec(.acquire(key: key, token: token(2, 1), ttlMilliseconds: 5_000), .ok)))
    let w2Store = try #require(result.index(.worker(2), .exec(.set(key: key, value: v(2), ttlSeconds: 300), .ok)))
    // w1's load of v1 is still running when w2's starts: two loaders.
    let w1LoadEnd = try #require(result.index(.worker(1), .loadEnd(key: key, version: 1)))
    let w2LoadStart = try #require(result.index(.worker(2), .loadStart(key: key, version: 2)))
    #expect(expire < w2Acquire && w2LoadStart < w1LoadEnd)
    // Then w1's late SET puts the older v1 over v2, and its release finds no lease.
    let w1Store = try #require(result.index(.worker(1), .exec(.set(key: key, value: v(1), ttlSeconds: 300), .ok)))
    #expect(w2Store < w1Store)
    #expect(result.contains(.worker(1), .exec(.release(key: key, token: token(1, 1)), .integer(-1))))
    #expect(result.outcome(worker: 1, call: 1) == .fresh(v(1), leaseLost: false))
}

@Test("lease expiry from a slow origin: fenced refuses the late write")
func leaseExpirySlowOriginFenced() throws {
    let result = try simulate("lease-expiry-slow-origin", "fenced")
    #expect(
        result.contains(
            .worker(1), .exec(.fencedWrite(key: key, value: v(1), token: token(1, 1), ttlSeconds: 300), .integer(0))),
        "\(dump(result.events))")
    #expect(result.outcome(worker: 1, call: 1) == .fresh(v(1), leaseLost: true))
    #expect(!result.events.contains { $0.actor == .worker(1) && $0.kind == .exec(.set(key: key, value: v(1), ttlSeconds: 300), .ok) })
}

@Test("lease expiry from a slow origin: the 2 s origin timeout stops w1 waiting, but its load runs on")
func leaseExpirySlowOriginTimeout() throws {
    let result = try simulate("lease-expiry-slow-origin", "pr-4821-timeout")
    let timeout = try #require(result.index(.worker(1), .originTimeout(key: key)))
    #expect(result.events[timeout].timeMicroseconds - result.events[try #require(result.index(.worker(1), .loadStart(key: key, version: 1)))].timeMicroseconds == 2_000_000)
    #expect(result.outcome(worker: 1, call: 1) == .stale(v(1), .originTimeout))
    // w1 released at the timeout, so w2 reloads without an expiry, while w1's abandoned load is still running.
    #expect(result.contains(.worker(1), .exec(.release(key: key, token: token(1, 1)), .integer(1))))
    let w2LoadStart = try #require(result.index(.worker(2), .loadStart(key: key, version: 2)))
    let w1LoadEnd = try #require(result.index(.worker(1), .loadEnd(key: key, version: 1)))
    #expect(w2LoadStart < w1LoadEnd)
    #expect(!result.contains(.worker(1), .exec(.set(key: key, value: v(1), ttlSeconds: 300), .ok)))
}

@Test("lease expiry from a pause: the paused worker's SET overwrites the newer value under pr-4821")
func leaseExpiryPause() throws {
    let result = try simulate("lease-expiry-pause", "pr-4821")
    let pause = try #require(result.index(.worker(1), .pause(.afterLoad)), "\(dump(result.events))")
    let resume = try #require(result.index(.worker(1), .resume(.afterLoad)))
    let w2Store = try #require(result.index(.worker(2), .exec(.set(key: key, value: v(2), ttlSeconds: 300), .ok)))
    let w1Store = try #require(result.index(.worker(1), .exec(.set(key: key, value: v(1), ttlSeconds: 300), .ok)))
    #expect(pause < w2Store && w2Store < resume && resume < w1Store)
    let fenced = try simulate("lease-expiry-pause", "fenced")
    #expect(fenced.outcome(worker: 1, call: 1) == .fresh(v(1), leaseLost: true))
}

@Test("stale set after invalidation: the reload read v1 before the write and stores it after the DEL")
func staleSetAfterInvalidation() throws {
    for name in ["pr-4821", "fenced"] {
        let result = try simulate("stale-set-after-invalidation", name)
        let loadStart = try #require(result.index(.worker(1), .loadStart(key: key, version: 1)), "\(name)")
        let invalidate = try #require(
            result.events.firstIndex { if case .exec(.delete(key), _) = $0.kind, case .writer = $0.actor { return true }; return false })
        let store = try #require(
            result.events.firstIndex {
                $0.actor == .worker(1)
                    && ($0.kind == .exec(.set(key: key, value: v(1), ttlSeconds: 300), .ok)
                        || $0.kind == .exec(.fencedWrite(key: key, value: v(1), token: token(1, 1), ttlSeconds: 300), .ok))
            }, "\(name): \(dump(result.events))")
        #expect(loadStart < invalidate && invalidate < store, "\(name)")
    }
}

@Test("non-atomic release: get-then-delete deletes w2's lease, compare-and-delete does not")
func nonAtomicRelease() throws {
    let broken = try simulate("non-atomic-release", "get-then-delete")
    let read = try #require(broken.index(.worker(1), .exec(.get(key: leaseKey), .bulk(token(1, 1).bytes))), "\(dump(broken.events))")
    let w2Acquire = try #require(
        broken.index(.worker(2), .exec(.acquire(key: key, token: token(2, 1), ttlMilliseconds: 5_000), .ok)))
    let delete = try #require(broken.index(.worker(1), .exec(.delete(key: leaseKey), .integer(1))))
    #expect(read < w2Acquire && w2Acquire < delete)
    // With w2's lease gone, w1's next call takes the lease while w2 is still loading.
    let w1Again = try #require(
        broken.index(.worker(1), .exec(.acquire(key: key, token: token(1, 2), ttlMilliseconds: 5_000), .ok)))
    let w2LoadEnd = try #require(broken.index(.worker(2), .loadEnd(key: key, version: 1)))
    #expect(w1Again < w2LoadEnd)

    let atomic = try simulate("non-atomic-release", "compare-and-delete")
    #expect(!atomic.events.contains { $0.kind == .pause(.beforeReleaseDelete) })
    #expect(atomic.outcome(worker: 1, call: 2) == .stale(v(1), .contended))
    #expect(atomic.contains(.worker(2), .exec(.release(key: key, token: token(2, 1)), .integer(1))))
}

@Test("lost acquire reply: the call errs without a release, the lease is orphaned until its TTL")
func lostAcquireReply() throws {
    for name in ["pr-4821", "fenced"] {
        let result = try simulate("lost-acquire-reply", name)
        let acquire = Command.acquire(key: key, token: token(1, 1), ttlMilliseconds: 5_000)
        #expect(result.contains(.worker(1), .exec(acquire, .ok)), "\(name)")
        #expect(result.contains(.worker(1), .replyLost(acquire)))
        #expect(result.contains(.worker(1), .commandTimeout(acquire)))
        #expect(result.outcome(worker: 1, call: 1) == .error(.commandTimeout))
        #expect(!result.events.contains { $0.actor == .worker(1) && { if case .exec(.release, _) = $0 { return true }; return false }($0.kind) })
        // w2 finds the orphaned lease and serves stale; after the expiry, it reloads.
        #expect(result.outcome(worker: 2, call: 1) == .stale(v(1), .contended))
        let expire = try #require(result.index(.server, .expire(key: leaseKey)))
        #expect(result.events[expire].timeMicroseconds > 5_000_000)
        guard case .fresh? = result.outcome(worker: 2, call: 2) else {
            Issue.record("\(name): w2's second call did not reload: \(dump(result.events))")
            continue
        }
    }
    let preReview = try simulate("lost-acquire-reply", "pre-review")
    #expect(!preReview.events.contains { if case .replyLost = $0.kind { return true }; return false })
}

@Test("stampede: pre-review loads once per worker at once; pr-4821 loads once")
func stampede() throws {
    let stampede = try simulate("stampede-pre-review", "pre-review")
    let loads = stampede.events.filter { if case .loadStart = $0.kind { return true }; return false }
    #expect(loads.count == 3, "\(dump(stampede.events))")
    let firstEnd = try #require(stampede.events.firstIndex { if case .loadEnd = $0.kind { return true }; return false })
    let lastStart = try #require(stampede.events.lastIndex { if case .loadStart = $0.kind { return true }; return false })
    #expect(lastStart < firstEnd)  // all three in flight at once

    let leased = try simulate("stampede-pre-review", "pr-4821")
    #expect(leased.events.filter { if case .loadStart = $0.kind { return true }; return false }.count == 1)
    #expect(leased.calls.filter { if case .stale(_, .contended) = $0.outcome { return true }; return false }.count == 2)
}

@Test("redis restart mid-reload: the lease is gone; the release finds none")
func redisRestart() throws {
    let result = try simulate("redis-restart-mid-reload", "pr-4821")
    let restart = try #require(result.index(.server, .restart), "\(dump(result.events))")
    let release = try #require(result.index(.worker(1), .exec(.release(key: key, token: token(1, 1)), .integer(-1))))
    #expect(restart < release)
    #expect(result.outcome(worker: 2, call: 1) == .miss)
}

@Test("every bundled scenario runs to its end under every protocol and seed 0..19, every call returning")
func everyScenarioCompletes() throws {
    let names = try FileManagerNames.scenarioNames()
    #expect(names.count >= 8)
    for name in names {
        let scenario = try bundledScenario(name)
        for named in scenario.protocols {
            for seed in 0..<20 as Range<UInt64> {
                let result = try simulate(name, named.name, seed: seed)
                #expect(result.limitReached == nil, "\(name) \(named.name) seed \(seed)")
                #expect(result.calls.count == scenario.calls.count, "\(name) \(named.name) seed \(seed)")
            }
        }
    }
}

@Test("the same seed gives the same trace; different seeds give different interleavings")
func seedsDetermineTraces() throws {
    let first = try simulate("stampede-pre-review", "pre-review", seed: 7)
    let again = try simulate("stampede-pre-review", "pre-review", seed: 7)
    #expect(first.events == again.events)
    var distinct = Set<[TraceEvent]>()
    for seed in 0..<20 as Range<UInt64> {
        distinct.insert(try simulate("stampede-pre-review", "pre-review", seed: seed).events)
    }
    #expect(distinct.count > 10)
}
