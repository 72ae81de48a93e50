import Foundation
import Testing

@Test("check names a missing path in one error line and exits 64")
func checkMissingPath() throws {
    let result = try runLeaselab(["check", "/nonexistent-scenarios"])
    #expect(result.status == 64)
    #expect(
        result.standardError
            == "error: /nonexistent-scenarios: no such file or directory; name scenario files or a directory of them\n")
}

@Test("check fails on a changed golden trace with a unified diff, and passes once the trace is rewritten")
func checkGoldenTraceChange() throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("leaselab-check-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let traces = directory.path
    for name in try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/traces")
    where name.hasPrefix("happy-path.") {
        try FileManager.default.copyItem(atPath: packageRoot + "/traces/" + name, toPath: traces + "/" + name)
    }
    let golden = traces + "/happy-path.pr-4821.trace"
    var text = try String(contentsOfFile: golden, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let edited = lines[2].replacingOccurrences(of: "w1", with: "w9")
    #expect(edited != lines[2], "the golden trace's third line names w1")
    text = (lines[..<2] + [Substring(edited)] + lines[3...]).joined(separator: "\n")
    try text.write(toFile: golden, atomically: true, encoding: .utf8)

    let failed = try runLeaselab(["check", "scenarios/happy-path.yaml", "--traces", traces])
    let output = String(decoding: failed.standardOutput, as: UTF8.self)
    #expect(failed.status == 1)
    #expect(output.contains("CHANGED"))
    #expect(output.contains("-" + edited))
    #expect(output.hasSuffix("3 passed, 1 failed\n"))

    let updated = try runLeaselab(["check", "scenarios/happy-path.yaml", "--traces", traces, "--update-traces"])
    #expect(updated.status == 0)
    let again = try runLeaselab(["check", "scenarios/happy-path.yaml", "--traces", traces])
    #expect(again.status == 0)
    #expect(String(decoding: again.standardOutput, as: UTF8.self).hasSuffix("4 passed, 0 failed\n"))
}
