import Testing
import Trace

@testable import RedisDiff

/// The generator: a seed gives one sequence, always.
@Suite struct DiffSequenceTests {
    @Test func theSameSeedGeneratesTheSameSequence() {
        for seed: UInt64 in [0, 1, 42, 0xDEAD_BEEF, .max] {
            #expect(DiffSequence.generate(seed: seed) == DiffSequence.generate(seed: seed), "seed \(seed)")
        }
        #expect(DiffSequence.generate(seed: 1) != DiffSequence.generate(seed: 2))
        #expect(DiffSequence.seed(runSeed: 1, index: 0) == DiffSequence.seed(runSeed: 1, index: 0))
        #expect(DiffSequence.seed(runSeed: 1, index: 0) != DiffSequence.seed(runSeed: 1, index: 1))
    }

    /// Pinned, so that a change to the generator (which changes what every printed seed means) is noticed.
    @Test func seedOneIsPinned() {
        let sequence = DiffSequence.generate(seed: 1)
        #expect(sequence.keys == ["k0", "k1"])
        #expect(sequence.steps.count == 39)
        #expect(sequence.steps.prefix(4).map(\.description) == ["DEL lease:k0", "wait 4ms", "SET k1 v3 EX 1", "GET lease:k1"])
    }

    @Test func sequencesStayInBoundsAndDrawEveryKindOfStep() {
        var kinds: Set<String> = []
        for index in 0..<500 {
            let seed = DiffSequence.seed(runSeed: 9, index: index)
            let sequence = DiffSequence.generate(seed: seed)
            #expect(
                (DiffLimits.stepsPerSequenceMinimum...DiffLimits.stepsPerSequenceMaximum).contains(sequence.steps.count),
                "seed \(seed)")
            for step in sequence.steps {
                switch step {
                case .command(let command):
                    kinds.insert(String(command.description.prefix(while: { $0 != " " })) + kindSuffix(command))
                    if case .acquire(_, _, let ttl) = command { #expect((1...50).contains(ttl), "seed \(seed)") }
                case .lookupNearDeadline(_, let offset): kinds.insert("lookup \(offset)")
                case .wait(let milliseconds):
                    kinds.insert("wait")
                    #expect((1...DiffLimits.waitStepMaximumMilliseconds).contains(milliseconds), "seed \(seed)")
                }
            }
        }
        #expect(
            kinds == [
                "GET cache", "GET lease", "SET lease", "SET cache", "DEL cache", "DEL lease", "EVAL release",
                "EVAL fenced-write", "lookup just before", "lookup at", "lookup just after", "lookup across", "wait",
            ])
    }

    private func kindSuffix(_ command: Command) -> String {
        switch command {
        case .get(let key), .delete(let key): return key.hasPrefix("lease:") ? " lease" : " cache"
        case .acquire: return " lease"
        case .set: return " cache"
        case .release: return " release"
        case .fencedWrite: return " fenced-write"
        }
    }
}
