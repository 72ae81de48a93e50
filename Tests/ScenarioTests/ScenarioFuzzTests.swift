import Foundation
import Testing

@testable import Scenario

/// Seeded mutations of the bundled scenarios: the loader never crashes or hangs, and either returns a scenario
/// that keeps its invariants or throws an error whose every problem has a position and a one-line message.
@Suite struct ScenarioFuzzTests {
    /// The base seed; iteration `i` uses `SplitMix64(seed: baseSeed &+ i)`, so any case replays alone.
    static let baseSeed: UInt64 = 0x4C45_4153_454C_4142
    /// Mutated files per bundled scenario.
    static let iterationsPerFile = 600

    /// Bytes that make YAML interesting: structure, quotes, anchors, tags, directives, breaks, odd encodings.
    static let tokens: [[UInt8]] = [
        "[", "]", "{", "}", ":", ": ", "- ", ",", "#", "&a ", "*a", "!!str ", "!x ", "%YAML 1.1\n", "---\n",
        "...\n", "'", "\"", "|\n", ">-\n", "? ", "\t", "\n", "\r\n", "  ", "~", "null", "-", "0", "99999999999999999999",
        "1.5", "ms", "us", "s", "w0", "w99", "lease:", "\\", "\u{FEFF}", "é", "\u{85}", "<<: ",
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0x01], [0x7F]]

    @Test func mutatedScenariosNeverCrash() throws {
        let paths = try TestSupport.bundledScenarioPaths()
        #expect(paths.count >= 8)
        print("SEED=0x\(String(Self.baseSeed, radix: 16)) iterations=\(Self.iterationsPerFile) files=\(paths.count)")
        var loaded = 0
        var refused = 0
        var iteration: UInt64 = 0
        for path in paths {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            for _ in 0..<Self.iterationsPerFile {
                iteration += 1
                var random = SplitMix64(seed: Self.baseSeed &+ iteration)
                let mutated = Self.mutate(original, &random)
                let label = "seed=0x\(String(Self.baseSeed &+ iteration, radix: 16)) iteration=\(iteration) file=\(path)"
                switch Self.outcome(mutated) {
                case .success(let scenario):
                    loaded += 1
                    scenario.checkInvariants()
                    #expect(!scenario.name.isEmpty, "\(label)")
                case .failure(let error):
                    refused += 1
                    #expect(!error.problems.isEmpty, "\(label)")
                    for problem in error.problems {
                        let fine = problem.line >= 1 && problem.column >= 1 && !problem.message.isEmpty
                            && !problem.message.contains("\n") && problem.path == "fuzz.yaml"
                        #expect(fine, "\(label): \(problem)")
                    }
                    #expect(error.description.split(separator: "\n", omittingEmptySubsequences: false).count
                            == error.problems.count, "\(label)")
                }
                // Loading is a function of the bytes: the same input gives the same answer.
                if iteration % 16 == 0 {
                    #expect(Self.outcome(mutated) == Self.outcome(mutated), "\(label)")
                }
            }
        }
        print("fuzz: \(loaded) loaded, \(refused) refused")
        // A fuzz that never reaches the decoder, or never gets past it, tests little.
        #expect(loaded > 0)
        #expect(refused > 0)
    }

    private static func outcome(_ bytes: [UInt8]) -> Result<Scenario, ScenarioError> {
        Result { () throws(ScenarioError) -> Scenario in try ScenarioLoader.load(bytes: bytes, path: "fuzz.yaml") }
    }

    /// One to four mutations: delete, duplicate or swap characters and lines, insert tokens or random bytes,
    /// truncate.
    static func mutate(_ original: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = original
        for _ in 0..<(1 + random.below(4)) {
            let position = random.below(bytes.count + 1)
            switch random.below(9) {
            case 0:  // delete a few bytes
                let end = min(bytes.count, position + 1 + random.below(8))
                bytes.removeSubrange(position..<end)
            case 1:  // duplicate a few bytes
                let end = min(bytes.count, position + 1 + random.below(16))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case 2:  // swap two bytes
                if !bytes.isEmpty {
                    bytes.swapAt(random.below(bytes.count), random.below(bytes.count))
                }
            case 3:  // insert a YAML-ish token
                bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: position)
            case 4:  // insert random bytes
                let count = 1 + random.below(4)
                bytes.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: position)
            case 5:  // truncate
                bytes.removeSubrange(position...)
            case 6, 7, 8:  // line edits: delete, duplicate, swap
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
                guard !lines.isEmpty else { continue }
                let first = random.below(lines.count)
                let second = random.below(lines.count)
                switch random.below(3) {
                case 0: lines.remove(at: first)
                case 1: lines.insert(lines[first], at: second)
                default: lines.swapAt(first, second)
                }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            default:
                preconditionFailure("mutation kinds are 0..<9")
            }
            if bytes.isEmpty { break }
        }
        return bytes
    }
}
