import LeaseCore
import Testing
import Trace

// Drives the state machine through the actions it returns (STYLE 15): each test feeds inputs and pins the exact
// actions, for every preset and every branch.

private let key = "user:1"
private let token = Token(worker: 1, call: 1)
private let v1 = CacheValue(version: 1)
private let v2 = CacheValue(version: 2)

private func call(_ preset: Preset) -> EvictAndReload {
    EvictAndReload(key: key, token: token, variant: preset.variant)
}

private func call(_ variant: ProtocolVariant) -> EvictAndReload {
    EvictAndReload(key: key, token: token, variant: variant)
}

private let acquire = Command.acquire(key: key, token: token, ttlMilliseconds: 5_000)
private let releaseScript = Command.release(key: key, token: token)

/// Runs a lease preset up to the origin load: GET hits v1, the lease is taken at t=2ms.
private func loading(_ preset: Preset) -> EvictAndReload {
    var machine = call(preset)
    #expect(machine.start(nowMicroseconds: 0).array == [.send(.get(key: key))])
    #expect(machine.receive(.bulk(v1.bytes), nowMicroseconds: 1_000).array == [.send(acquire)])
    let actions = machine.receive(.ok, nowMicroseconds: 2_000).array
    if let timeout = preset.variant.originTimeoutMicroseconds {
        #expect(actions == [.startLoad(key: key), .armTimer(deadlineMicroseconds: 2_000 + timeout)])
        #expect(machine.timerDeadlineMicroseconds == 2_000 + timeout)
    } else {
        #expect(actions == [.startLoad(key: key)])
        #expect(machine.timerDeadlineMicroseconds == nil)
    }
    #expect(machine.isLoading)
    return machine
}

private let leasePresets: [Preset] = [.pr4821, .pr4821Timeout, .fenced]

// MARK: - Read

@Test("a miss returns at once, for every preset")
func missReturns() {
    for preset in Preset.allCases {
        var machine = call(preset)
        #expect(machine.start(nowMicroseconds: 0).array == [.send(.get(key: key))], "\(preset)")
        #expect(machine.receive(.null, nowMicroseconds: 1).array == [.finish(.miss)], "\(preset)")
        #expect(machine.outcome == .miss)
        #expect(machine.releaseResult == nil)
    }
}

@Test("a wrong-type or error reply to the read ends the call with an error")
func readErrors() {
    for preset in Preset.allCases {
        var machine = call(preset)
        _ = machine.start(nowMicroseconds: 0)
        #expect(machine.receive(.integer(3), nowMicroseconds: 1).array == [.finish(.error(.unexpectedReply))])
        var other = call(preset)
        _ = other.start(nowMicroseconds: 0)
        #expect(other.receive(.error("WRONGTYPE"), nowMicroseconds: 1).array == [.finish(.error(.serverError))])
    }
}

// MARK: - Contended

@Test("a held lease serves the stale value, with no load and no release")
func contendedServesStale() {
    for preset in leasePresets {
        var machine = call(preset)
        _ = machine.start(nowMicroseconds: 0)
        #expect(machine.receive(.bulk(v1.bytes), nowMicroseconds: 1).array == [.send(acquire)], "\(preset)")
        #expect(machine.receive(.null, nowMicroseconds: 2).array == [.finish(.stale(v1, .contended))], "\(preset)")
        #expect(machine.releaseResult == nil)
    }
}

// MARK: - Fresh reload

@Test("pr-4821 reloads: load, SET EX, compare-and-delete release, fresh")
func pr4821Reloads() {
    var machine = loading(.pr4821)
    #expect(
        machine.originLoaded(v2, nowMicroseconds: 3_000).array
            == [.send(.set(key: key, value: v2, ttlSeconds: 300))])
    #expect(machine.receive(.ok, nowMicroseconds: 4_000).array == [.send(releaseScript)])
    #expect(machine.receive(.integer(1), nowMicroseconds: 5_000).array == [.finish(.fresh(v2, leaseLost: false))])
    #expect(machine.releaseResult == .released)
}

@Test("fenced writes through the script and reports a refused write as lease-lost")
func fencedWrite() {
    let fencedWrite = Command.fencedWrite(key: key, value: v2, token: token, ttlSeconds: 300)
    var stored = loading(.fenced)
    #expect(stored.originLoaded(v2, nowMicroseconds: 3_000).array == [.send(fencedWrite)])
    #expect(stored.receive(.ok, nowMicroseconds: 4_000).array == [.send(releaseScript)])
    #expect(stored.receive(.integer(1), nowMicroseconds: 5_000).array == [.finish(.fresh(v2, leaseLost: false))])

    var refused = loading(.fenced)
    #expect(refused.originLoaded(v2, nowMicroseconds: 3_000).array == [.send(fencedWrite)])
    #expect(refused.receive(.integer(0), nowMicroseconds: 4_000).array == [.send(releaseScript)])
    #expect(refused.receive(.integer(-1), nowMicroseconds: 5_000).array == [.finish(.fresh(v2, leaseLost: true))])
    #expect(refused.releaseResult == .noLease)
}

@Test("pre-review evicts with DEL and takes no lease")
func preReviewEvicts() {
    var machine = call(.preReview)
    #expect(machine.start(nowMicroseconds: 0).array == [.send(.get(key: key))])
    #expect(machine.receive(.bulk(v1.bytes), nowMicroseconds: 1).array == [.send(.delete(key: key))])
    #expect(machine.receive(.integer(1), nowMicroseconds: 2).array == [.startLoad(key: key)])
    #expect(
        machine.originLoaded(v2, nowMicroseconds: 3).array == [.send(.set(key: key, value: v2, ttlSeconds: 300))])
    #expect(machine.receive(.ok, nowMicroseconds: 4).array == [.finish(.fresh(v2, leaseLost: false))])
    #expect(machine.releaseResult == nil)
}

@Test("pre-review serves stale when the origin fails, with nothing to release")
func preReviewOriginFails() {
    var machine = call(.preReview)
    _ = machine.start(nowMicroseconds: 0)
    _ = machine.receive(.bulk(v1.bytes), nowMicroseconds: 1)
    _ = machine.receive(.integer(0), nowMicroseconds: 2)
    #expect(machine.originFailed(nowMicroseconds: 3).array == [.finish(.stale(v1, .originFailed))])
}

// MARK: - Release results

@Test("compare-and-delete: 1 released, 0 another owner, -1 no lease; the outcome stays fresh")
func compareAndDeleteResults() {
    let cases: [(Int64, ReleaseResult)] = [(1, .released), (0, .anotherOwner), (-1, .noLease)]
    for (reply, expected) in cases {
        var machine = loading(.pr4821)
        _ = machine.originLoaded(v2, nowMicroseconds: 3_000)
        _ = machine.receive(.ok, nowMicroseconds: 4_000)
        #expect(
            machine.receive(.integer(reply), nowMicroseconds: 5_000).array == [.finish(.fresh(v2, leaseLost: false))])
        #expect(machine.releaseResult == expected, "reply \(reply)")
    }
}

@Test("get-then-delete: our token is deleted, another token or none is left alone")
func getThenDelete() {
    var variant = Preset.pr4821.variant
    variant.release = .getThenDelete
    let leaseKey = Command.leaseKey(of: key)

    func reloaded() -> EvictAndReload {
        var machine = call(variant)
        _ = machine.start(nowMicroseconds: 0)
        _ = machine.receive(.bulk(v1.bytes), nowMicroseconds: 1)
        _ = machine.receive(.ok, nowMicroseconds: 2)
        _ = machine.originLoaded(v2, nowMicroseconds: 3)
        #expect(machine.receive(.ok, nowMicroseconds: 4).array == [.send(.get(key: leaseKey))])
        return machine
    }

    var ours = reloaded()
    #expect(ours.receive(.bulk(token.bytes), nowMicroseconds: 5).array == [.send(.delete(key: leaseKey))])
    #expect(ours.receive(.integer(1), nowMicroseconds: 6).array == [.finish(.fresh(v2, leaseLost: false))])
    #expect(ours.releaseResult == .released)

    var expiredBetween = reloaded()
    _ = expiredBetween.receive(.bulk(token.bytes), nowMicroseconds: 5)
    #expect(expiredBetween.receive(.integer(0), nowMicroseconds: 6).array == [.finish(.fresh(v2, leaseLost: false))])
    #expect(expiredBetween.releaseResult == .noLease)

    var another = reloaded()
    #expect(
        another.receive(.bulk(Token(worker: 2, call: 1).bytes), nowMicroseconds: 5).array
            == [.finish(.fresh(v2, leaseLost: false))])
    #expect(another.releaseResult == .anotherOwner)

    var none = reloaded()
    #expect(none.receive(.null, nowMicroseconds: 5).array == [.finish(.fresh(v2, leaseLost: false))])
    #expect(none.releaseResult == .noLease)
}

@Test("delete release: DEL whatever holds the lease")
func deleteRelease() {
    var variant = Preset.pr4821.variant
    variant.release = .delete
    for (reply, expected) in [(Int64(1), ReleaseResult.released), (0, .noLease)] {
        var machine = call(variant)
        _ = machine.start(nowMicroseconds: 0)
        _ = machine.receive(.bulk(v1.bytes), nowMicroseconds: 1)
        _ = machine.receive(.ok, nowMicroseconds: 2)
        _ = machine.originLoaded(v2, nowMicroseconds: 3)
        #expect(machine.receive(.ok, nowMicroseconds: 4).array == [.send(.delete(key: Command.leaseKey(of: key)))])
        #expect(machine.receive(.integer(reply), nowMicroseconds: 5).array == [.finish(.fresh(v2, leaseLost: false))])
        #expect(machine.releaseResult == expected)
    }
}

// MARK: - Origin failure and timeout

@Test("an origin failure releases, then serves stale")
func originFailure() {
    for preset in leasePresets {
        var machine = loading(preset)
        #expect(machine.originFailed(nowMicroseconds: 3_000).array == [.send(releaseScript)], "\(preset)")
        #expect(
            machine.receive(.integer(1), nowMicroseconds: 4_000).array == [.finish(.stale(v1, .originFailed))],
            "\(preset)")
    }
}

@Test("the origin timeout: a no-op one microsecond before the deadline, fires at the deadline")
func originTimeoutAtDeadline() {
    var machine = loading(.pr4821Timeout)
    let deadline = 2_000 + 2_000_000 as Int64
    #expect(machine.handleTimeout(nowMicroseconds: deadline - 1).isEmpty)
    #expect(machine.isLoading)
    #expect(machine.handleTimeout(nowMicroseconds: deadline).array == [.stopLoad, .send(releaseScript)])
    #expect(machine.abandonedLoad)
    // The origin's late answer is ignored, during the release and after it.
    #expect(machine.originLoaded(v2, nowMicroseconds: deadline + 10).isEmpty)
    #expect(
        machine.receive(.integer(1), nowMicroseconds: deadline + 20).array == [.finish(.stale(v1, .originTimeout))])
    #expect(machine.originFailed(nowMicroseconds: deadline + 30).isEmpty)
    #expect(machine.handleTimeout(nowMicroseconds: deadline + 40).isEmpty)
}

@Test("a load that answers one microsecond before the deadline wins; the timer is then a no-op")
func originAnswersBeforeDeadline() {
    var machine = loading(.pr4821Timeout)
    let deadline = 2_000 + 2_000_000 as Int64
    #expect(
        machine.originLoaded(v2, nowMicroseconds: deadline - 1).array
            == [.send(.set(key: key, value: v2, ttlSeconds: 300))])
    #expect(machine.handleTimeout(nowMicroseconds: deadline).isEmpty)
    #expect(machine.receive(.ok, nowMicroseconds: deadline + 1).array == [.send(releaseScript)])
}

@Test("pre-review with an origin timeout serves stale with nothing to release")
func preReviewTimeout() {
    var variant = Preset.preReview.variant
    variant.originTimeoutMicroseconds = 100
    var machine = call(variant)
    _ = machine.start(nowMicroseconds: 0)
    _ = machine.receive(.bulk(v1.bytes), nowMicroseconds: 1)
    #expect(
        machine.receive(.integer(1), nowMicroseconds: 2).array
            == [.startLoad(key: key), .armTimer(deadlineMicroseconds: 102)])
    #expect(machine.handleTimeout(nowMicroseconds: 102).array == [.stopLoad, .finish(.stale(v1, .originTimeout))])
}

// MARK: - Command failures

@Test("a command failure on the read, the evict or the acquire ends the call with no release")
func failureBeforeTheTry() {
    for failure in CommandFailure.allCases {
        for preset in Preset.allCases {
            var reading = call(preset)
            _ = reading.start(nowMicroseconds: 0)
            #expect(
                reading.commandFailed(failure, nowMicroseconds: 1).array == [.finish(.error(failure.errorReason))])

            var second = call(preset)  // the DEL of pre-review, the acquire of the others
            _ = second.start(nowMicroseconds: 0)
            _ = second.receive(.bulk(v1.bytes), nowMicroseconds: 1)
            #expect(
                second.commandFailed(failure, nowMicroseconds: 2).array == [.finish(.error(failure.errorReason))])
            #expect(second.releaseResult == nil)
        }
    }
}

@Test("a command failure on the write still releases, then ends in the write's error")
func failureOnWrite() {
    for failure in CommandFailure.allCases {
        for preset in leasePresets {
            var machine = loading(preset)
            _ = machine.originLoaded(v2, nowMicroseconds: 3_000)
            #expect(machine.commandFailed(failure, nowMicroseconds: 4_000).array == [.send(releaseScript)])
            #expect(
                machine.receive(.integer(1), nowMicroseconds: 5_000).array == [.finish(.error(failure.errorReason))])
        }
        var preReview = call(.preReview)
        _ = preReview.start(nowMicroseconds: 0)
        _ = preReview.receive(.bulk(v1.bytes), nowMicroseconds: 1)
        _ = preReview.receive(.integer(1), nowMicroseconds: 2)
        _ = preReview.originLoaded(v2, nowMicroseconds: 3)
        #expect(preReview.commandFailed(failure, nowMicroseconds: 4).array == [.finish(.error(failure.errorReason))])
    }
}

@Test("a command failure on the release replaces the outcome with its error")
func failureOnRelease() {
    for failure in CommandFailure.allCases {
        for preset in leasePresets {
            var machine = loading(preset)
            _ = machine.originLoaded(v2, nowMicroseconds: 3_000)
            _ = machine.receive(.ok, nowMicroseconds: 4_000)
            #expect(
                machine.commandFailed(failure, nowMicroseconds: 5_000).array == [.finish(.error(failure.errorReason))])
            #expect(machine.releaseResult == nil)
        }
    }
}

@Test("wrong-type replies to the write and the release are errors, and the write's still releases")
func wrongTypeLater() {
    var write = loading(.pr4821)
    _ = write.originLoaded(v2, nowMicroseconds: 3_000)
    #expect(write.receive(.integer(5), nowMicroseconds: 4_000).array == [.send(releaseScript)])
    #expect(write.receive(.integer(1), nowMicroseconds: 5_000).array == [.finish(.error(.unexpectedReply))])

    var release = loading(.pr4821)
    _ = release.originLoaded(v2, nowMicroseconds: 3_000)
    _ = release.receive(.ok, nowMicroseconds: 4_000)
    #expect(release.receive(.bulk([1]), nowMicroseconds: 5_000).array == [.finish(.error(.unexpectedReply))])

    var acquire = call(.pr4821)
    _ = acquire.start(nowMicroseconds: 0)
    _ = acquire.receive(.bulk(v1.bytes), nowMicroseconds: 1)
    #expect(acquire.receive(.integer(1), nowMicroseconds: 2).array == [.finish(.error(.unexpectedReply))])
}

// MARK: - Knobs

@Test("every knob reaches the commands: lease TTL, cache TTL, origin timeout")
func knobsReachCommands() {
    var variant = Preset.pr4821Timeout.variant
    variant.leaseTTLMilliseconds = 1_234
    variant.cacheTTLSeconds = 42
    variant.originTimeoutMicroseconds = 777
    var machine = call(variant)
    _ = machine.start(nowMicroseconds: 0)
    #expect(
        machine.receive(.bulk(v1.bytes), nowMicroseconds: 10).array
            == [.send(.acquire(key: key, token: token, ttlMilliseconds: 1_234))])
    #expect(
        machine.receive(.ok, nowMicroseconds: 20).array
            == [.startLoad(key: key), .armTimer(deadlineMicroseconds: 797)])
    #expect(
        machine.originLoaded(v2, nowMicroseconds: 30).array == [.send(.set(key: key, value: v2, ttlSeconds: 42))])
}

@Test("the presets hold the knobs of DESIGN.md's table")
func presetTable() {
    #expect(Preset.preReview.variant.lock == .none)
    #expect(Preset.pr4821.variant.lock == .lease)
    #expect(Preset.pr4821.variant.leaseTTLMilliseconds == 5_000)
    #expect(Preset.pr4821.variant.originTimeoutMicroseconds == nil)
    #expect(Preset.pr4821Timeout.variant.originTimeoutMicroseconds == 2_000_000)
    #expect(Preset.fenced.variant.write == .fenced)
    for preset in Preset.allCases {
        #expect(preset.variant.cacheTTLSeconds == 300)
        #expect(preset.variant.commandTimeoutMicroseconds == 1_000_000)
        #expect(preset.variant.problems.isEmpty)
    }
    // fenced differs from pr-4821 in the write alone.
    var fencedAsPlain = Preset.fenced.variant
    fencedAsPlain.write = .plain
    #expect(fencedAsPlain == Preset.pr4821.variant)
}

@Test("an incoherent variant names its knob")
func incoherentVariant() {
    var variant = Preset.preReview.variant
    variant.write = .fenced
    variant.leaseTTLMilliseconds = 0
    #expect(variant.problems.map(\.knob) == ["write", "lease-ttl"])
}

@Test("a call whose token is named by worker and call acts exactly as one given that token, on every preset")
func symbolicTokenActsAsGiven() {
    let symbolic = Token(worker: 3, call: 7)
    for preset in Preset.allCases {
        var given = EvictAndReload(key: key, token: symbolic, variant: preset.variant)
        var named = EvictAndReload(key: key, worker: 3, call: 7, variant: preset.variant)
        #expect(named.token == symbolic)
        // A hit, the lease taken (or the key evicted), the origin loads v2, the write and the release succeed:
        // every step's actions the same, so every command carries the same token.
        let lockReply: Reply = preset.variant.lock == .lease ? .ok : .integer(1)
        var steps: [(given: Actions, named: Actions)] = []
        steps.append((given.start(nowMicroseconds: 0), named.start(nowMicroseconds: 0)))
        steps.append((given.receive(.bulk(v1.bytes), nowMicroseconds: 1_000), named.receive(.bulk(v1.bytes), nowMicroseconds: 1_000)))
        steps.append((given.receive(lockReply, nowMicroseconds: 2_000), named.receive(lockReply, nowMicroseconds: 2_000)))
        steps.append((given.originLoaded(v2, nowMicroseconds: 3_000), named.originLoaded(v2, nowMicroseconds: 3_000)))
        steps.append((given.receive(.ok, nowMicroseconds: 4_000), named.receive(.ok, nowMicroseconds: 4_000)))
        for (index, step) in steps.enumerated() {
            #expect(step.named == step.given, "\(preset) step \(index)")
        }
        #expect(named.outcome == given.outcome, "\(preset)")
    }
    var pr4821 = EvictAndReload(key: key, worker: 3, call: 7, variant: Preset.pr4821.variant)
    _ = pr4821.start(nowMicroseconds: 0)
    #expect(
        pr4821.receive(.bulk(v1.bytes), nowMicroseconds: 1_000).array
            == [.send(.acquire(key: key, token: symbolic, ttlMilliseconds: 5_000))])
}
