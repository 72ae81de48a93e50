import Simulator
import Testing
import Trace

@testable import RedisDiff

/// The timing tolerance, on made-up brackets: no server, every instant chosen.
@Suite struct CandidateStatesTests {
    let token = Token("t0")

    /// A lease `lease:k` held by `t0` with deadline 1_000_005 ms, taken in a bracket inside millisecond 1_000_000.
    func leased() -> CandidateStates {
        var states = CandidateStates()
        let verdict = states.advance(
            .acquire(key: "k", token: token, ttlMilliseconds: 5),
            observation: RealObservation(
                startMicroseconds: 1_000_000_100, endMicroseconds: 1_000_000_120, reply: .ok,
                expireTimeMilliseconds: 1_000_005))
        #expect(verdict == .agreedAtStart)
        return states
    }

    @Test func aLookupStraddlingTheExpiryIsExplainedEitherWay() {
        // The bracket runs from the last µs of millisecond `when` into `when + 1`.
        let get = Command.get(key: "lease:k")
        func observe(_ reply: Reply) -> RealObservation {
            RealObservation(
                startMicroseconds: 1_000_005_990, endMicroseconds: 1_000_006_010, reply: reply, expireTimeMilliseconds: nil)
        }
        var alive = leased()
        #expect(alive.advance(get, observation: observe(.bulk(token.bytes))) == .agreedAtStart)
        var gone = leased()
        #expect(gone.advance(get, observation: observe(.null)) == .explainedByTiming)
        var wrong = leased()
        #expect(
            wrong.advance(get, observation: observe(.bulk(Array("t9".utf8))))
                == .unexplained(simulatedAtStart: [.bulk(token.bytes)], simulatedAtEnd: [.null]))
    }

    @Test func aLookupInsideOneMillisecondHasNoTolerance() {
        let get = Command.get(key: "lease:k")
        // Exactly at the deadline's millisecond: alive, and only alive.
        var atDeadline = leased()
        let at = RealObservation(
            startMicroseconds: 1_000_005_000, endMicroseconds: 1_000_005_999, reply: .null, expireTimeMilliseconds: nil)
        #expect(
            atDeadline.advance(get, observation: at)
                == .unexplained(simulatedAtStart: [.bulk(token.bytes)], simulatedAtEnd: [.bulk(token.bytes)]))
        // One millisecond after: gone, and only gone.
        var after = leased()
        let justAfter = RealObservation(
            startMicroseconds: 1_000_006_000, endMicroseconds: 1_000_006_050, reply: .bulk(token.bytes),
            expireTimeMilliseconds: nil)
        #expect(after.advance(get, observation: justAfter) == .unexplained(simulatedAtStart: [.null], simulatedAtEnd: [.null]))
    }

    @Test func pexpiretimePinsTheMillisecondOfATTLSettingCommand() {
        let acquire = Command.acquire(key: "k", token: token, ttlMilliseconds: 5)
        func observe(expireTime: Int64) -> RealObservation {
            RealObservation(
                startMicroseconds: 1_000_000_990, endMicroseconds: 1_000_001_010, reply: .ok,
                expireTimeMilliseconds: expireTime)
        }
        var first = CandidateStates()
        #expect(first.advance(acquire, observation: observe(expireTime: 1_000_005)) == .agreedAtStart)
        #expect(first.states.map { $0.deadline(of: "lease:k") } == [1_000_005])
        var second = CandidateStates()
        #expect(second.advance(acquire, observation: observe(expireTime: 1_000_006)) == .explainedByTiming)
        #expect(second.states.map { $0.deadline(of: "lease:k") } == [1_000_006])
        var outside = CandidateStates()
        #expect(
            outside.advance(acquire, observation: observe(expireTime: 1_000_007))
                == .unexplained(simulatedAtStart: [.ok], simulatedAtEnd: [.ok]))
    }

    /// The case `leaselab diff-redis --sequences 2000` found on redis-server 7.0.15 (sequence 1060, seed
    /// 3498449451580844626, step 21): the fenced write's GET saw the lease alive in millisecond 117 (the script's
    /// frozen time), and its SET EX 1 added the TTL to millisecond 118 (a fresh clock reading).
    @Test func aFencedWriteWhoseTTLComesFromALaterClockReadingIsExplainedByTheTTLClock() {
        var states = CandidateStates()
        let acquire = Command.acquire(key: "k1", token: token, ttlMilliseconds: 17)
        let taken = RealObservation(
            startMicroseconds: 100_100, endMicroseconds: 100_120, reply: .ok, expireTimeMilliseconds: 117)
        #expect(states.advance(acquire, observation: taken) == .agreedAtStart)
        let write = Command.fencedWrite(key: "k1", value: CacheValue("v22"), token: token, ttlSeconds: 1)
        let stored = RealObservation(
            startMicroseconds: 117_995, endMicroseconds: 118_012, reply: .ok, expireTimeMilliseconds: 1_118)
        var lenient = states
        #expect(lenient.advance(write, observation: stored) == .explainedByTTLClock)
        #expect(lenient.states.map { $0.deadline(of: "k1") } == [1_118])
        // Strict: one instant per command, as the simulated Redis runs it, explains neither reply and deadline.
        var strict = CandidateStates(allowsLaterTTLClock: false)
        #expect(strict.advance(acquire, observation: taken) == .agreedAtStart)
        #expect(strict.advance(write, observation: stored) == .unexplained(simulatedAtStart: [.ok], simulatedAtEnd: [.integer(0)]))
        // A deadline no clock reading inside the bracket gives stays unexplained.
        var beyond = states
        let tooLate = RealObservation(
            startMicroseconds: 117_995, endMicroseconds: 118_012, reply: .ok, expireTimeMilliseconds: 1_119)
        #expect(beyond.advance(write, observation: tooLate) == .unexplained(simulatedAtStart: [.ok], simulatedAtEnd: [.integer(0)]))
        // Refused at 118 (lease gone) is plain timing.
        var refused = states
        let zero = RealObservation(
            startMicroseconds: 117_995, endMicroseconds: 118_012, reply: .integer(0), expireTimeMilliseconds: -2)
        #expect(refused.advance(write, observation: zero) == .explainedByTiming)
    }

    @Test func anInjectedSimulatedReplyIsUnexplainedEvenWhenRedisAgreed() {
        var states = leased()
        let observation = RealObservation(
            startMicroseconds: 1_000_001_000, endMicroseconds: 1_000_001_020, reply: .bulk(token.bytes),
            expireTimeMilliseconds: nil)
        #expect(
            states.advance(.get(key: "lease:k"), observation: observation, simulatedReplyOverride: .error("ERR injected"))
                == .unexplained(simulatedAtStart: [.error("ERR injected")], simulatedAtEnd: [.error("ERR injected")]))
    }

    @Test func statesThatDifferOnlyInExpiredKeysAreMerged() {
        // Unpinned (no PEXPIRETIME), two milliseconds give two deadlines for lease:k; once both have passed, one
        // state remains.
        var states = CandidateStates()
        let acquire = Command.acquire(key: "k", token: token, ttlMilliseconds: 1)
        let unpinned = RealObservation(
            startMicroseconds: 1_000_000_500, endMicroseconds: 1_000_001_500, reply: .ok, expireTimeMilliseconds: nil)
        #expect(states.advance(acquire, observation: unpinned) == .agreedAtStart)
        #expect(states.states.count == 2)
        let later = RealObservation(
            startMicroseconds: 1_000_010_000, endMicroseconds: 1_000_010_010, reply: .null, expireTimeMilliseconds: nil)
        #expect(states.advance(.get(key: "k"), observation: later) == .agreedAtStart)
        #expect(states.states.count == 1)
    }
}
