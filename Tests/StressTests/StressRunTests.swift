import LeaseCache
import Logging
import RedisClient
import Stress
import Testing
import Trace

/// `leaselab stress` against a private redis-server each: the verdicts the issue expects of pr-4821 and
/// pre-review, a server killed mid-run, a server that is not ours, and MONITOR refused.
@Suite struct StressRunTests {
    static func quietLogger() -> Logger {
        var logger = Logger(label: "stress-test")
        logger.logLevel = .critical
        return logger
    }

    static func run(
        _ preset: Preset, calls: Int = 10_000, on server: RedisServerProcess, prefix: String = "stress-test:",
        password: String? = nil, writers: Int = 2
    ) async throws -> StressReport {
        let run = StressRun(
            host: server.host, port: server.port, password: password,
            parameters: StressParameters(preset: preset, calls: calls, writers: writers, keyPrefix: prefix))
        return try await run.run(logger: quietLogger())
    }

    static func check(_ report: StressReport) -> StressReport.HistoryCheck? {
        if case .checked(let check) = report.history { return check }
        return nil
    }

    @Test func pr4821AtTenThousandCallsBreaksNoSafetyPropertyAndLeavesNoLease() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let report = try await Self.run(.pr4821, on: server)
        #expect(report.calls.count == 10_000)
        let check = try #require(Self.check(report), "history not checked: \(report.history)")
        for property in [PropertyName.singleLoader, .noStaleOverwrite, .ownerOnlyRelease, .noOrphanedLease] {
            #expect(check.findings.counts[property, default: 0] == 0, "\(property): \(check.findings.violations.prefix(2))")
        }
        #expect(report.leasesLeft == [])
        #expect(check.findings.leasesLeft.isEmpty)
        #expect(report.firstFailure == nil)
        // Not vacuous: calls contended, reloaded, and writers invalidated while they ran; the history saw it all.
        let kinds = Dictionary(uniqueKeysWithValues: report.outcomeCounts.map { ($0.kind, $0.count) })
        #expect(kinds["stale contended", default: 0] > 0)
        #expect(kinds["fresh", default: 0] > 0)
        #expect(report.writes > 0)
        #expect(check.callCommands >= 10_000, "at least one command per call")
        #expect(check.callCommands == report.commandsSent, "the history and LeaseCache count the same round trips")
        #expect(check.findings.disagreementCount == 0, "\(check.findings.disagreements)")
        #expect(report.maximumConcurrentLoads.allSatisfy { $0.loads == 1 })
        #expect(report.deepestPipeline > 1, "10,000 calls on 16 connections pipeline by default")
        // The bounds are not asserted: on a loaded machine a holder's continuation can wait behind its
        // connection's queued calls for longer than the model's 2 s lease-hold bound, and the report says so.
    }

    @Test func writersThatDoNotInvalidateLeaveKeysCachedSoCallsReloadOrContend() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let run = StressRun(
            host: server.host, port: server.port, password: nil,
            parameters: StressParameters(preset: .pr4821, calls: 2_000, invalidate: false, keyPrefix: "stress-test:"))
        let report = try await run.run(logger: Self.quietLogger())
        let kinds = Dictionary(uniqueKeysWithValues: report.outcomeCounts.map { ($0.kind, $0.count) })
        #expect(kinds["miss", default: 0] == 0, "no write invalidates, so every call finds its key cached")
        #expect(kinds["fresh", default: 0] > 0)
        #expect(report.writes > 0 && report.refills == 0)
        let check = try #require(Self.check(report), "history not checked: \(report.history)")
        for property in [PropertyName.singleLoader, .noStaleOverwrite, .ownerOnlyRelease, .noOrphanedLease] {
            #expect(check.findings.counts[property, default: 0] == 0, "\(property)")
        }
        #expect(report.leasesLeft == [])
    }

    @Test func withoutPipeliningEachConnectionCarriesOneCommandAndTheRunIsClean() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let run = StressRun(
            host: server.host, port: server.port, password: nil,
            parameters: StressParameters(preset: .pr4821, calls: 2_000, pipelining: false, keyPrefix: "stress-test:"))
        let report = try await run.run(logger: Self.quietLogger())
        #expect(report.deepestPipeline == 1)
        #expect(report.calls.count == 2_000 && report.firstFailure == nil)
        let check = try #require(Self.check(report), "history not checked: \(report.history)")
        for property in [PropertyName.singleLoader, .noStaleOverwrite, .ownerOnlyRelease, .noOrphanedLease] {
            #expect(check.findings.counts[property, default: 0] == 0, "\(property)")
        }
        #expect(report.leasesLeft == [])
    }

    @Test(arguments: [1, 3, 16, 40])
    func everyCallIsMadeOnceWhateverTheCallersInFlight(inFlight: Int) async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let run = StressRun(
            host: server.host, port: server.port, password: nil,
            parameters: StressParameters(
                preset: .pr4821, calls: 203, inFlight: inFlight, connections: 16, writers: 0,
                keyPrefix: "stress-test:"))
        let report = try await run.run(logger: Self.quietLogger())
        // Dealt round robin: call i (from 0) is connection i % 16's call i / 16 + 1, on key (worker + n - 1) % 8,
        // even with fewer callers than connections (the callers go on to the others' calls).
        var expected: [String: String] = [:]
        for index in 0..<203 {
            let worker = index % 16
            let number = index / 16 + 1
            expected["\(Token(worker: worker + 1, call: number))"] = "race:\((worker + number - 1) % 8)"
        }
        let made = report.calls.map { ("\($0.token)", $0.key) }
        #expect(made.count == 203)
        #expect(Dictionary(made, uniquingKeysWith: { first, _ in first }) == expected)
        #expect(report.calls.allSatisfy { "\($0.token)".hasPrefix("w\($0.worker).") })
        #expect(report.firstFailure == nil)
    }

    @Test func preReviewBreaksSingleLoaderAndShowsTheEventsAroundIt() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let report = try await Self.run(.preReview, on: server)
        let check = try #require(Self.check(report), "history not checked: \(report.history)")
        #expect(check.findings.counts[.singleLoader, default: 0] > 0)
        #expect(check.findings.disagreementCount == 0, "\(check.findings.disagreements)")
        let first = try #require(check.findings.violations.first { $0.property == .singleLoader })
        #expect(first.summary.contains("started loading \(first.key)"))
        #expect(first.summary.contains("was in flight"))
        // Each load is named by its call: the origin ran in the caller's task, where the token is bound.
        #expect(!first.summary.contains("a call without a token"), "\(first.summary)")
        #expect(first.context.filter(\.isCulprit).count == 1)
        #expect(first.context.contains { $0.text.hasPrefix("exec ") }, "no server event around it: \(first.context)")
        #expect(!report.isClean)
        #expect(report.leasesLeft == [])
    }

    @Test func aServerKilledMidRunGivesAClearReportNotAHang() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        // Kill the server under the run when 1,000 of its 50,000 calls have returned.
        let run = StressRun(
            host: server.host, port: server.port,
            parameters: StressParameters(calls: 50_000, keyPrefix: "stress-test:"))
        let report = try await run.run(
            logger: Self.quietLogger(), midRun: StressRun.MidRun(afterCalls: 1_000) { server.kill() })
        #expect(report.calls.count == 50_000, "every call returned")
        let failure = try #require(report.firstFailure)
        #expect(failure.contains(server.description), "the failure names the server: \(failure)")
        guard case .off(let reason) = report.history else {
            Issue.record("a history cut by a dead server was judged")
            return
        }
        #expect(reason.contains("MONITOR stream broke"), "\(reason)")
        #expect(report.leasesLeft == nil)
        #expect(report.problems.contains { $0.contains("cannot delete the run's keys") && $0.contains(server.description) })
        #expect(!report.isClean)
    }

    @Test func aServerThatIsNotOursKeepsItsKeysAndGetsNoneOfTheRuns() async throws {
        let server = try RedisServerProcess(password: "s3cret")
        defer { server.stop() }
        let admin = try server.makeConnection()
        defer { admin.close() }
        let foreign = ["app:user:1", "app:user:2", "race:0", "lease:race:0", "stress-test-other:race:0"]
        for (index, key) in foreign.enumerated() {
            _ = try admin.send("SET", key, "kept-\(index)")
        }
        // A watcher that keeps every line touching the foreign keys: the run must send it none.
        let watchers = try ["app:", "race:", "lease:", "stress-test-other:"].map {
            try RedisMonitor(host: server.host, port: server.port, password: "s3cret", keyPrefix: $0)
        }
        let report = try await Self.run(.pr4821, calls: 2_000, on: server, prefix: "stress-test:", password: "s3cret")
        #expect(Self.check(report) != nil && report.firstFailure == nil && report.problems.isEmpty)
        #expect(report.leasesLeft == [])
        let touched = watchers.map { $0.finish() }.map(\.lines.count)
        #expect(touched == [0, 0, 0, 0], "lines about foreign keys: \(touched)")
        for (index, key) in foreign.enumerated() {
            #expect(try admin.send("GET", key).bulk(command: "GET") == Array("kept-\(index)".utf8))
        }
        #expect(try admin.send("DBSIZE").integer(command: "DBSIZE") == Int64(foreign.count), "the run left keys")
    }

    @Test func monitorRefusedStopsTheRunBeforeAnyCall() async throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let admin = try server.makeConnection()
        defer { admin.close() }
        _ = try admin.send("ACL", "SETUSER", "default", "-monitor")
        await #expect {
            _ = try await Self.run(.pr4821, calls: 100, on: server)
        } throws: { error in
            guard let error = error as? StressError else { return false }
            let text = error.description
            return error.isMonitorRefused && text.contains(server.description) && text.contains("--no-monitor")
        }
        #expect(try admin.send("DBSIZE").integer(command: "DBSIZE") == 0, "nothing was seeded or left")

        // And --no-monitor runs, saying the history check is off and why.
        let run = StressRun(
            host: server.host, port: server.port,
            parameters: StressParameters(calls: 500, monitor: false, keyPrefix: "stress-test:"))
        let report = try await run.run(logger: Self.quietLogger())
        guard case .off(let reason) = report.history else {
            Issue.record("history checked without MONITOR")
            return
        }
        #expect(reason.contains("--no-monitor"))
        #expect(report.calls.count == 500)
    }
}
