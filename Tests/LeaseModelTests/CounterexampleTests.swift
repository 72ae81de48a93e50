import LeaseModel
import Testing
import Trace

// The shortest counterexample of each failure a bundled scenario is about, pinned event by event: the trace a
// reviewer reads. Breadth-first search makes each the shortest in actions; with ties, the first in the model's
// fixed action order (earliest delay options first).

@Test("lease expiry mid-reload under pr-4821: two loaders, and w1's late SET puts v1 over w2's v2")
func leaseExpiryMidReload() throws {
    let report = try cachedReport("lease-expiry-slow-origin", "pr-4821")
    #expect(report.statistics.distinctStates == 1225)
    let prefix = [
        event(0, w1, .call(key: key, call: 1)),
        event(1, w1, .exec(.get(key: key), .bulk(v(1).bytes))),
        event(3, w1, .exec(acquire(1, 1), .ok)),
        event(4, w1, .loadStart(key: key, version: 1)),
        event(3_000, .writer("writer"), .write(key: key, version: 2)),
        event(5_004, .server, .expire(key: leaseKey)),
        event(5_500, w2, .call(key: key, call: 1)),
        event(5_501, w2, .exec(.get(key: key), .bulk(v(1).bytes))),
        event(5_503, w2, .exec(acquire(2, 1), .ok)),
        event(5_504, w2, .loadStart(key: key, version: 2)),
    ]
    let twoLoaders = try #require(counterexample(report, .singleLoader))
    #expect(twoLoaders.events == prefix, "\(lines(twoLoaders.events))")

    let overwrite = try #require(counterexample(report, .noStaleOverwrite))
    #expect(
        overwrite.events == prefix + [
            event(5_554, w2, .loadEnd(key: key, version: 2)),
            event(5_555, w2, .exec(set(2), .ok)),
            event(5_557, w2, .exec(.release(key: key, token: token(2, 1)), .integer(1))),
            event(5_558, w2, .return(.fresh(v(2), leaseLost: false))),
            event(7_004, w1, .loadEnd(key: key, version: 1)),
            event(7_005, w1, .exec(set(1), .ok)),
        ], "\(lines(overwrite.events))")
    #expect(report.verdict(.ownerOnlyRelease) == .holds)
}

@Test("lease expiry mid-reload under fenced: the late write is refused, so no stale overwrite")
func leaseExpiryMidReloadFenced() throws {
    let report = try cachedReport("lease-expiry-slow-origin", "fenced")
    #expect(report.statistics.distinctStates == 1535)
    #expect(report.verdict(.noStaleOverwrite) == .holds)
    #expect(counterexample(report, .singleLoader) != nil)
    guard case .reached(let refused) = report.verdict(.fencedWriteRefused) else {
        Issue.record("the fenced write is never refused")
        return
    }
    #expect(
        refused.events.suffix(2) == [
            event(7_004, w1, .loadEnd(key: key, version: 1)),
            event(7_005, w1, .exec(.fencedWrite(key: key, value: v(1), token: token(1, 1), ttlSeconds: 300), .integer(0))),
        ], "\(lines(refused.events))")
}

@Test("stale set after invalidation: the reload read v1 before the write and stores it after the DEL")
func staleSetAfterInvalidation() throws {
    let report = try cachedReport("stale-set-after-invalidation", "pr-4821")
    #expect(report.statistics.distinctStates == 217)
    let path = try #require(counterexample(report, .freshAfterQuiescence))
    #expect(
        path.events == [
            event(0, w1, .call(key: key, call: 1)),
            event(1, w1, .exec(.get(key: key), .bulk(v(1).bytes))),
            event(3, w1, .exec(acquire(1, 1), .ok)),
            event(4, w1, .loadStart(key: key, version: 1)),
            event(100, .writer("cms"), .write(key: key, version: 2)),
            event(100, .writer("cms"), .exec(.delete(key: key), .integer(1))),
            event(204, w1, .loadEnd(key: key, version: 1)),
            event(205, w1, .exec(set(1), .ok)),
            event(207, w1, .exec(.release(key: key, token: token(1, 1)), .integer(1))),
            event(208, w1, .return(.fresh(v(1), leaseLost: false))),
        ], "\(lines(path.events))")
    #expect(report.verdict(.noStaleOverwrite) == .holds)

    let preReview = try cachedReport("stale-set-after-invalidation", "pre-review")
    #expect(preReview.statistics.distinctStates == 82)
    #expect(counterexample(preReview, .freshAfterQuiescence)?.events.count == 9)
}

@Test("non-atomic release: get-then-delete deletes w2's lease; compare-and-delete never does")
func nonAtomicRelease() throws {
    let report = try cachedReport("non-atomic-release", "get-then-delete")
    #expect(report.statistics.distinctStates == 5769)
    let path = try #require(counterexample(report, .ownerOnlyRelease))
    #expect(
        path.events == [
            event(0, w1, .call(key: key, call: 1)),
            event(1, w1, .exec(.get(key: key), .bulk(v(1).bytes))),
            event(3, w1, .exec(acquire(1, 1), .ok)),
            event(4, w1, .loadStart(key: key, version: 1)),
            event(54, w1, .loadEnd(key: key, version: 1)),
            event(55, w1, .exec(set(1), .ok)),
            event(57, w1, .exec(.get(key: leaseKey), .bulk(token(1, 1).bytes))),
            event(58, w1, .pause(.beforeReleaseDelete)),
            event(5_004, .server, .expire(key: leaseKey)),
            event(5_500, w2, .call(key: key, call: 1)),
            event(5_501, w2, .exec(.get(key: key), .bulk(v(1).bytes))),
            event(5_503, w2, .exec(acquire(2, 1), .ok)),
            event(5_504, w2, .loadStart(key: key, version: 1)),
            event(6_058, w1, .resume(.beforeReleaseDelete)),
            event(6_059, w1, .exec(.delete(key: leaseKey), .integer(1))),
        ], "\(lines(path.events))")
    // With w2's lease gone, w1's next call takes the lease while w2 still loads.
    let twoLoaders = try #require(counterexample(report, .singleLoader))
    #expect(twoLoaders.events.prefix(15) == path.events[...])
    #expect(twoLoaders.events.last == event(6_504, w1, .loadStart(key: key, version: 1)))

    let atomic = try cachedReport("non-atomic-release", "compare-and-delete")
    #expect(atomic.statistics.distinctStates == 2033)
    #expect(atomic.verdict(.ownerOnlyRelease) == .holds)
    #expect(atomic.verdict(.singleLoader) == .holds)
}

@Test("pre-review stampede: two workers load at once; pr-4821 loads once")
func stampede() throws {
    let report = try cachedReport("stampede-pre-review", "pre-review")
    #expect(report.statistics.distinctStates == 13809)
    let path = try #require(counterexample(report, .singleLoader))
    #expect(
        path.events == [
            event(0, w1, .call(key: key, call: 1)),
            event(0, w2, .call(key: key, call: 1)),
            event(1, w3, .call(key: key, call: 1)),
            event(1, w1, .exec(.get(key: key), .bulk(v(1).bytes))),
            event(1, w2, .exec(.get(key: key), .bulk(v(1).bytes))),
            event(3, w1, .exec(.delete(key: key), .integer(1))),
            event(3, w2, .exec(.delete(key: key), .integer(0))),
            event(4, w1, .loadStart(key: key, version: 2)),
            event(4, w2, .loadStart(key: key, version: 2)),
        ], "\(lines(path.events))")
    #expect(report.figures.originLoads.first?.mostAtOnce == 3)

    let leased = try cachedReport("stampede-pre-review", "pr-4821")
    #expect(leased.verdict(.singleLoader) == .holds)
    #expect(leased.figures.originLoads.first?.mostInOneRun == 1)
}

@Test("lost acquire reply under pr-4821: the call errs without a release and leaves its lease behind")
func lostAcquireReply() throws {
    let report = try cachedReport("lost-acquire-reply", "pr-4821")
    #expect(report.statistics.distinctStates == 363)
    let path = try #require(counterexample(report, .noOrphanedLease))
    let lost = acquire(1, 1)
    #expect(
        path.events == [
            event(0, w1, .call(key: key, call: 1)),
            event(1, w1, .exec(.get(key: key), .bulk(v(1).bytes))),
            event(3, w1, .exec(lost, .ok)),
            event(3, w1, .replyLost(lost)),
            event(500, .writer("writer"), .write(key: key, version: 2)),
            event(1_002, w1, .commandTimeout(lost)),
            event(1_002, w1, .return(.error(.commandTimeout))),
        ], "\(lines(path.events))")
    // Pre-review takes no lease: the fault never fires and nothing is orphaned.
    let preReview = try cachedReport("lost-acquire-reply", "pre-review")
    #expect(preReview.verdict(.noOrphanedLease) == .holds)
}
