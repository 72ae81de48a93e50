import Foundation
import Testing

@testable import Scenario

/// Hostile input: huge, deep, binary, unreadable. Each gives a clear problem, never a crash or a hang.
@Suite struct ScenarioLimitTests {
    private func lines(_ bytes: [UInt8], limits: ScenarioLimits = .standard) -> [String] {
        do {
            _ = try ScenarioLoader.load(bytes: bytes, path: "t.yaml", limits: limits)
            return []
        } catch {
            return error.problems.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }

    /// A private scratch path for this test process: deterministic, no randomness.
    private func scratchPath(_ name: String) -> String {
        NSTemporaryDirectory() + "/leaselab-scenario-tests-\(getpid())-\(name)"
    }

    // MARK: - Size

    @Test func aFileOneBytePastTheLimitIsRefused() {
        let limit = ScenarioLimits.standard.maximumFileBytes
        let atLimit = [UInt8](repeating: UInt8(ascii: "#"), count: limit)
        #expect(lines(atLimit) == [
            "1:1: the file holds no YAML document; a scenario needs at least name, keys, workers and calls",
        ])
        #expect(lines(atLimit + [UInt8(ascii: "#")]) == [
            "1:1: the file holds more than 1048576 bytes; a scenario is limited to 1048576 bytes, split it or trim it",
        ])
    }

    @Test func aHugeFileOnDiskIsRefusedWithoutReadingItAll() throws {
        let path = scratchPath("huge.yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: UInt8(ascii: "#"), count: 3 << 20).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("loaded a 3 MiB file")
        } catch {
            #expect(error.problems.map(\.kind) == [.tooLarge])
            #expect(error.problems.map(\.path) == [path])
        }
    }

    // MARK: - Paths that are not scenario files

    @Test func unreadablePaths() {
        let missing = scratchPath("does-not-exist.yaml")
        #expect(throws: ScenarioError(problems: [ScenarioProblem(
            path: missing, line: 1, column: 1,
            message: "cannot read the file (No such file or directory); check the path and its permissions",
            kind: .unreadable)])) {
            try ScenarioLoader.load(path: missing)
        }
        for path in [NSTemporaryDirectory(), "/dev/zero"] {
            #expect(throws: ScenarioError(problems: [ScenarioProblem(
                path: path, line: 1, column: 1,
                message: "not a regular file; give the path of a scenario .yaml file", kind: .unreadable)])) {
                try ScenarioLoader.load(path: path)
            }
        }
    }

    @Test func aFileOnDiskLoadsWithItsPath() throws {
        let path = scratchPath("ok.yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(TestSupport.minimal().utf8).write(to: URL(fileURLWithPath: path))
        #expect(try ScenarioLoader.load(path: path).sourcePath == path)
    }

    // MARK: - Not text

    @Test func binaryAndBadEncodings() {
        #expect(lines(Array("name: x".utf8) + [0] + Array("\nkeys: 1".utf8)) == [
            "1:8: the file holds a NUL byte; a scenario is UTF-8 text, not binary data",
        ])
        #expect(lines(Array("name: x\nkeys: ".utf8) + [0xFF, 0xFE]) == [
            "2:7: not UTF-8 text: invalid leading UTF-8 octet (0xff); save the file as UTF-8 without control characters",
        ])
        #expect(lines(Array("name: é".utf8) + [0xC3]) == [
            "1:8: not UTF-8 text: incomplete UTF-8 octet sequence; save the file as UTF-8 without control characters",
        ])
        #expect(lines(Array("name: x\u{1}".utf8)) == [
            "1:8: not UTF-8 text: control characters are not allowed (0x1); "
                + "save the file as UTF-8 without control characters",
        ])
        // UTF-16 with its byte order mark is not UTF-8 (the NUL bytes give it away).
        #expect(lines([0xFF, 0xFE] + Array("name: x".utf8).flatMap { [$0, 0] }) == [
            "1:4: the file holds a NUL byte; a scenario is UTF-8 text, not binary data",
        ])
    }

    // MARK: - Depth and size of the tree

    @Test func deepNestingStopsAtTheLimit() {
        let deep = Array("a: ".utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100)
        #expect(lines(deep) == [
            "1:67: YAML nesting deeper than 64 levels; a scenario nests a few levels at most",
        ])
        let nestedMappings = (0..<80).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n")
        #expect(lines(Array(nestedMappings.utf8)) == [
            "65:129: YAML nesting deeper than 64 levels; a scenario nests a few levels at most",
        ])
    }

    @Test func aMegabyteOfOpeningBracketsEndsQuickly() {
        // No time limit: the point is that it returns at all, with the depth problem, not a stack overflow.
        let brackets = [UInt8](repeating: UInt8(ascii: "["), count: ScenarioLimits.standard.maximumFileBytes)
        #expect(lines(brackets) == [
            "1:65: YAML nesting deeper than 64 levels; a scenario nests a few levels at most",
        ])
        let braces = [UInt8](repeating: UInt8(ascii: "{"), count: ScenarioLimits.standard.maximumFileBytes)
        #expect(lines(braces).count == 1)
    }

    @Test func aBillionLaughsIsRefusedNotExpanded() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        var text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<names.count {
            let aliases = Array(repeating: "*\(names[level - 1])", count: 9).joined(separator: ", ")
            text += "\(names[level]): &\(names[level]) [\(aliases)]\n"
        }
        let problems = lines(Array(text.utf8))
        #expect(problems.count <= ScenarioLimits.standard.maximumProblems + 1)
        #expect(problems.contains("1:4: YAML anchors are not supported ('&a'); write the value out in full"))
        #expect(problems.contains("2:8: YAML aliases are not supported ('*a'); write the value out in full"))
    }

    @Test func nodeLimit() {
        var limits = ScenarioLimits.standard
        limits.maximumNodes = 20
        let text = "name: x\nkeys: [" + Array(repeating: "1", count: 30).joined(separator: ", ") + "]\n"
        #expect(lines(Array(text.utf8), limits: limits) == [
            "2:53: the file holds more than 20 YAML values; a scenario needs far fewer",
        ])
    }

    // MARK: - Limits on the scenario

    @Test func countLimits() {
        var limits = ScenarioLimits.standard
        limits.maximumWorkers = 2
        limits.maximumCalls = 1
        limits.maximumKeys = 1
        limits.maximumFaults = 1
        limits.maximumSeeds = 10
        let text = """
            name: x
            keys: {a: {source: 1}, b: {source: 1}}
            workers: 3
            calls: [{at: 0ms, worker: w1, key: a}, {at: 0ms, worker: w1, key: a}]
            faults: [{restart-redis: 1s}, {restart-redis: 2s}]
            seeds: 11
            """
        #expect(lines(Array(text.utf8), limits: limits) == [
            "2:7: 'keys' declares 2 keys; a scenario allows at most 1",
            "3:10: 'workers' is '3'; write a whole number from 1 to 2",
            "4:8: 'calls' lists 2 entries; a scenario allows at most 1",
            "5:9: 'faults' lists 2 entries; a scenario allows at most 1",
            "6:8: 'seeds' is '11'; write a whole number from 1 to 10",
        ])
    }

    @Test func problemsAreCappedWithALastLineSayingSo() {
        let extra = (0..<150).map { "unknown\($0): 1" }.joined(separator: "\n")
        let problems = TestSupport.problems(TestSupport.minimal(extra))
        #expect(problems.count == 101)
        #expect(problems.dropLast().allSatisfy { $0.kind == .unknownKey })
        #expect(problems.last?.kind == .tooManyProblems)
        #expect(problems.last?.message == "more than 100 problems, the rest are not shown; fix these first")
        #expect(problems.last?.line == 107)
    }

    @Test func timesPastOneDayAreRefused() {
        #expect(TestSupport.lines(TestSupport.minimal("writes: [{at: 86401s, key: user:1}]")) == [
            "7:15: '86401s' is too long; durations are at most 86400s",
        ])
    }
}
