import Simulator
import Trace

/// One random command sequence: a few keys, a few tokens, and 5 to 40 steps, all drawn from one seed.
///
/// The steps are drawn up front and never depend on a reply, so a seed alone replays the same sequence (the waits
/// of a lookup near a deadline are measured at run time, but the step itself is fixed).
public struct DiffSequence: Hashable, Sendable {
    /// The seed everything here was drawn from; printed with every difference so that the sequence can be rerun.
    public let seed: UInt64
    /// The cache keys, unprefixed (`k0`, `k1`, ...); their lease keys are `lease:<key>`.
    public let keys: [String]
    /// The tokens lease commands use (`t0`, `t1`, ...).
    public let tokens: [Token]
    /// The steps, in order.
    public let steps: [DiffStep]

    public init(seed: UInt64, keys: [String], tokens: [Token], steps: [DiffStep]) {
        precondition(!keys.isEmpty && !tokens.isEmpty, "a sequence needs a key and a token")
        self.seed = seed
        self.keys = keys
        self.tokens = tokens
        self.steps = steps
    }

    /// Every key the sequence can touch, cache keys and lease keys, sorted: what its cleanup deletes.
    public var allKeys: [String] {
        (keys + keys.map(Command.leaseKey(of:))).sorted()
    }

    /// The seed of sequence `index` of a run seeded with `runSeed`: SplitMix64's output for a distinct stream, so
    /// neighbouring sequences are unrelated and any one can be rerun from its own seed.
    public static func seed(runSeed: UInt64, index: Int) -> UInt64 {
        var generator = SplitMix64(seed: runSeed &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        return generator.next()
    }

    // MARK: - Generation

    /// How often each kind of step is drawn, out of the total of the weights.
    enum StepKind: CaseIterable {
        case getCacheKey, getLeaseKey, acquire, set, deleteCacheKey, deleteLeaseKey, release, fencedWrite
        case lookupNearDeadline, wait

        var weight: UInt64 {
            switch self {
            case .getCacheKey: return 8
            case .getLeaseKey: return 8
            case .acquire: return 18
            case .set: return 5
            case .deleteCacheKey: return 3
            case .deleteLeaseKey: return 3
            case .release: return 12
            case .fencedWrite: return 12
            case .lookupNearDeadline: return 14
            case .wait: return 12
            }
        }
    }

    /// The sequence a seed gives.
    public static func generate(seed: UInt64) -> DiffSequence {
        var random = SplitMix64(seed: seed)
        let keyCount = Int(random.next(in: 1, 3))
        let tokenCount = Int(random.next(in: 2, 3))
        let keys = (0..<keyCount).map { "k\($0)" }
        let tokens = (0..<tokenCount).map { Token("t\($0)") }
        let stepCount = Int(
            random.next(in: Int64(DiffLimits.stepsPerSequenceMinimum), Int64(DiffLimits.stepsPerSequenceMaximum)))
        let totalWeight = StepKind.allCases.reduce(0) { $0 + $1.weight }
        var steps: [DiffStep] = []
        steps.reserveCapacity(stepCount)
        // The key the last TTL-setting step aimed at: lookups near a deadline go there, where a deadline likely is.
        var lastTTLKey: String?
        for index in 0..<stepCount {
            var draw = random.next(below: totalWeight)
            var kind = StepKind.wait
            for candidate in StepKind.allCases {
                if draw < candidate.weight {
                    kind = candidate
                    break
                }
                draw -= candidate.weight
            }
            let key = keys[Int(random.next(below: UInt64(keyCount)))]
            let token = tokens[Int(random.next(below: UInt64(tokenCount)))]
            let value = CacheValue(version: index + 1)
            switch kind {
            case .getCacheKey:
                steps.append(.command(.get(key: key)))
            case .getLeaseKey:
                steps.append(.command(.get(key: Command.leaseKey(of: key))))
            case .acquire:
                // 1 to 50 ms, so that deadlines pass within the sequence.
                let ttl = Int(random.next(in: 1, 50))
                lastTTLKey = Command.leaseKey(of: key)
                steps.append(.command(.acquire(key: key, token: token, ttlMilliseconds: ttl)))
            case .set:
                if random.next(below: 16) == 0 { lastTTLKey = key }
                steps.append(.command(.set(key: key, value: value, ttlSeconds: Int(random.next(in: 1, 2)))))
            case .deleteCacheKey:
                steps.append(.command(.delete(key: key)))
            case .deleteLeaseKey:
                steps.append(.command(.delete(key: Command.leaseKey(of: key))))
            case .release:
                steps.append(.command(.release(key: key, token: token)))
            case .fencedWrite:
                let ttl = Int(random.next(in: 1, 2))
                if random.next(below: 16) == 0 { lastTTLKey = key }
                steps.append(.command(.fencedWrite(key: key, value: value, token: token, ttlSeconds: ttl)))
            case .lookupNearDeadline:
                // The last key given a TTL; a cache key (seconds-long TTL, a long wait) only now and then.
                let offset = DeadlineOffset.allCases[Int(random.next(below: UInt64(DeadlineOffset.allCases.count)))]
                steps.append(.lookupNearDeadline(key: lastTTLKey ?? Command.leaseKey(of: key), offset: offset))
            case .wait:
                steps.append(.wait(milliseconds: Int(random.next(in: 1, Int64(DiffLimits.waitStepMaximumMilliseconds)))))
            }
        }
        return DiffSequence(seed: seed, keys: keys, tokens: tokens, steps: steps)
    }
}
