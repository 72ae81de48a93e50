import Simulator
import Trace

/// The simulated states a real server could be in, given every reply so far and the time brackets they came in.
///
/// ## Tolerance
/// A real command runs at one unknown instant inside its bracket `[t0, t1]` (server `TIME` before and after it, on
/// the same connection). A reply counts as a difference only when **no** instant of the bracket explains it:
///
/// - The simulated Redis reads time only as the millisecond `floor(now_us / 1000)`, and a reply (and the next
///   state) changes only where that millisecond passes a deadline: at `when + 1` for some stored `when`. So the
///   instants worth trying are the bracket's first millisecond, each `when + 1` inside the bracket, and its last
///   millisecond; every other instant behaves like one of these. This is exact, not a sampling.
/// - A TTL-setting command (`SET ... PX`, `SET ... EX`, the fenced write) also stores `millisecond + ttl`, which
///   differs at every millisecond. The bracket reads `PEXPIRETIME` of the key right after the command, and the
///   millisecond `PEXPIRETIME - ttl` is tried too; a state whose deadline disagrees with `PEXPIRETIME` is dropped
///   (unless the key may have expired before the read, `-2` with a deadline before the bracket's end). Without a
///   pin, every millisecond of the bracket is tried, up to ``DiffLimits/unpinnedBracketMillisecondsMaximum``.
/// - Every (state, instant) pair whose reply equals the real reply survives as a possible next state. States that
///   agree on every key alive at the bracket's end are merged (time only moves forward, so an entry expired by
///   then can never matter again). At most ``DiffLimits/candidateStatesMaximum`` are kept; more is counted in
///   ``droppedStateCount`` and reported, since a dropped state could have explained a later reply.
///
/// - Redis 7.0 reads its clock more than once in one command: expiry checks use the time cached when the command
///   (or the script) started, but `SET ... PX/EX` adds the TTL to a fresh `mstime()` (Redis 7.2 moved it to the
///   command's snapshot). So when no single instant explains a TTL-setting command that answered `+OK`, the checks
///   are tried at one candidate millisecond and the TTL at a later one of the bracket, the one `PEXPIRETIME` pins.
///   Such a reply is "explained by the TTL clock", counted apart from timing: the simulated Redis, which runs a
///   command at one instant, cannot give it by itself.
///
/// A reply that the bracket's first millisecond already explains "agreed"; one that only a later instant explains
/// is a difference "explained by timing".
public struct CandidateStates: Sendable {
    /// The possible simulated states, in a fixed order (the order they were found in).
    public private(set) var states: [SimulatedRedis]
    /// How many times a state or an instant was dropped at a bound (see ``DiffLimits``).
    public private(set) var droppedStateCount = 0

    /// Whether a reply may be explained by Redis 7.0's later TTL clock (``Verdict/explainedByTTLClock``).
    public let allowsLaterTTLClock: Bool

    /// Starts from an empty Redis, like a fresh key prefix.
    public init(allowsLaterTTLClock: Bool = true) {
        states = [SimulatedRedis()]
        self.allowsLaterTTLClock = allowsLaterTTLClock
    }

    /// How one real reply compared.
    public enum Verdict: Hashable, Sendable {
        /// The simulated Redis gives the real reply at the bracket's start.
        case agreedAtStart
        /// Only a later instant inside the bracket gives the real reply.
        case explainedByTiming
        /// Only expiry checks at one instant and the new TTL from a later one (Redis 7.0's two clock readings) give
        /// the real reply and deadline.
        case explainedByTTLClock
        /// No possible state at no instant of the bracket gives it: the simulated replies at the bracket's start
        /// and end (one per possible state, without repeats) are kept for the report.
        case unexplained(simulatedAtStart: [Reply], simulatedAtEnd: [Reply])
    }

    /// The key whose `PEXPIRETIME` pins a command's deadline, for commands that set a TTL.
    public static func inspectedKey(of command: Command) -> String? {
        switch command {
        case .acquire(let key, _, _): return Command.leaseKey(of: key)
        case .set(let key, _, _), .fencedWrite(let key, _, _, _): return key
        case .get, .delete, .release: return nil
        }
    }

    /// The TTL a command sets, in milliseconds, or nil.
    static func ttlMilliseconds(of command: Command) -> Int64? {
        switch command {
        case .acquire(_, _, let ttl): return Int64(ttl)
        case .set(_, _, let ttl), .fencedWrite(_, _, _, let ttl): return Int64(ttl) * 1_000
        case .get, .delete, .release: return nil
        }
    }

    // MARK: - Advancing

    /// Keeps the states that explain `observation`'s reply to `command`, and says how it compared.
    ///
    /// - Parameter simulatedReplyOverride: a test hook: when set, every simulated reply of this step is replaced by
    ///   it, to check that a wrong simulated reply is reported.
    /// - Returns: the verdict; after `.unexplained` the states are left as they were (the caller stops comparing).
    public mutating func advance(
        _ command: Command, observation: RealObservation, simulatedReplyOverride: Reply? = nil
    ) -> Verdict {
        var next: [SimulatedRedis] = []
        var seen: Set<Fingerprint> = []
        var agreedAtStart = false
        let startMillisecond = observation.startMillisecond
        let endMicroseconds = observation.endMicroseconds
        for state in states {
            for millisecond in candidateMilliseconds(state, command: command, observation: observation) {
                var candidate = state
                let instant = max(observation.startMicroseconds, millisecond * 1_000)
                var reply = candidate.execute(command, nowMicroseconds: instant)
                if let simulatedReplyOverride { reply = simulatedReplyOverride }
                guard reply == observation.reply,
                    Self.inspectionAgrees(candidate, command: command, millisecond: millisecond, observation: observation)
                else { continue }
                if millisecond == startMillisecond { agreedAtStart = true }
                let fingerprint = Fingerprint(candidate, aliveAtMicroseconds: endMicroseconds)
                guard seen.insert(fingerprint).inserted else { continue }
                if next.count == DiffLimits.candidateStatesMaximum {
                    droppedStateCount += 1
                    continue
                }
                next.append(candidate)
            }
        }
        if next.isEmpty && allowsLaterTTLClock {
            next = statesWithLaterTTLClock(command, observation: observation, override: simulatedReplyOverride)
            if !next.isEmpty {
                states = next
                return .explainedByTTLClock
            }
        }
        if next.isEmpty {
            return .unexplained(
                simulatedAtStart: simulatedReplies(command, at: observation.startMicroseconds, simulatedReplyOverride),
                simulatedAtEnd: simulatedReplies(command, at: observation.endMicroseconds, simulatedReplyOverride))
        }
        states = next
        return agreedAtStart ? .agreedAtStart : .explainedByTiming
    }

    /// The states that explain a TTL-setting command's `+OK` when its checks ran at one millisecond of the bracket
    /// and its TTL was added to a later one: the millisecond `PEXPIRETIME - ttl`.
    private mutating func statesWithLaterTTLClock(
        _ command: Command, observation: RealObservation, override: Reply?
    ) -> [SimulatedRedis] {
        guard observation.reply == .ok, let key = Self.inspectedKey(of: command),
            let ttl = Self.ttlMilliseconds(of: command), let pinned = observation.expireTimeMilliseconds, pinned >= 0
        else { return [] }
        let ttlMillisecond = pinned - ttl
        guard ttlMillisecond <= observation.endMillisecond else { return [] }
        var next: [SimulatedRedis] = []
        var seen: Set<Fingerprint> = []
        for state in states {
            for millisecond in candidateMilliseconds(state, command: command, observation: observation)
            where millisecond < ttlMillisecond {
                var candidate = state
                let reply =
                    override ?? candidate.execute(command, nowMicroseconds: max(observation.startMicroseconds, millisecond * 1_000))
                guard reply == .ok, let entry = candidate.peek(key) else { continue }
                candidate.store(key, value: entry.value, deadlineMilliseconds: pinned)
                guard Self.inspectionAgrees(candidate, command: command, millisecond: ttlMillisecond, observation: observation),
                    seen.insert(Fingerprint(candidate, aliveAtMicroseconds: observation.endMicroseconds)).inserted
                else { continue }
                if next.count == DiffLimits.candidateStatesMaximum {
                    droppedStateCount += 1
                    continue
                }
                next.append(candidate)
            }
        }
        return next
    }

    /// The replies each possible state gives at `instant`, without repeats, leaving the states untouched.
    public func simulatedReplies(_ command: Command, at instant: Int64, _ override: Reply? = nil) -> [Reply] {
        var replies: [Reply] = []
        for state in states {
            var copy = state
            let reply = override ?? copy.execute(command, nowMicroseconds: instant)
            if !replies.contains(reply) { replies.append(reply) }
        }
        return replies
    }

    // MARK: - Instants

    /// The milliseconds of the bracket at which `state` can behave differently (see the type's doc comment).
    mutating func candidateMilliseconds(
        _ state: SimulatedRedis, command: Command, observation: RealObservation
    ) -> [Int64] {
        let first = observation.startMillisecond
        let last = observation.endMillisecond
        var milliseconds: [Int64] = [first]
        for when in state.sortedDeadlinesMilliseconds where when + 1 > first && when + 1 <= last {
            milliseconds.append(when + 1)
        }
        if let ttl = Self.ttlMilliseconds(of: command) {
            if let pinned = observation.expireTimeMilliseconds, pinned >= 0 {
                let millisecond = pinned - ttl
                if millisecond > first && millisecond <= last { milliseconds.append(millisecond) }
            } else if last > first {
                let bound = Int64(DiffLimits.unpinnedBracketMillisecondsMaximum)
                if last - first >= bound { droppedStateCount += 1 }
                milliseconds.append(contentsOf: (first + 1)...min(last, first + bound - 1))
            }
        }
        if last > first { milliseconds.append(last) }
        var unique: [Int64] = []
        for millisecond in milliseconds.sorted() where unique.last != millisecond { unique.append(millisecond) }
        return unique
    }

    /// Whether a state, just after running `command` at `millisecond`, agrees with the real `PEXPIRETIME`.
    static func inspectionAgrees(
        _ state: SimulatedRedis, command: Command, millisecond: Int64, observation: RealObservation
    ) -> Bool {
        guard let key = inspectedKey(of: command), let real = observation.expireTimeMilliseconds else { return true }
        let simulated = state.expireTimeMilliseconds(of: key, nowMicroseconds: millisecond * 1_000)
        if real == simulated { return true }
        // The key expired between the command and the PEXPIRETIME that followed it inside the bracket.
        return real == -2 && simulated >= 0 && simulated < observation.endMillisecond
    }

    // MARK: - Merging

    /// A state as far as the future can tell: its keys alive at the bracket's end.
    struct Fingerprint: Hashable {
        var keys: [String]
        var entries: [SimulatedRedis.Entry]

        init(_ state: SimulatedRedis, aliveAtMicroseconds instant: Int64) {
            keys = []
            entries = []
            for (key, entry) in state.sortedEntries
            where !SimulatedRedis.isExpired(deadlineMilliseconds: entry.deadlineMilliseconds, nowMicroseconds: instant) {
                keys.append(key)
                entries.append(entry)
            }
        }
    }
}
