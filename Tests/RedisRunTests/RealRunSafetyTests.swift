import Foundation
import RedisClient
import RedisRun
import Scenario
import Testing
import Trace

extension RealRedisRuns {
    /// A run against a server it did not start keeps to its prefix; refusals and a dying server give clear lines.
    @Suite struct RealRunSafetyTests {
        @Test func aGivenServerKeepsItsOtherKeysAndLosesNoneOfTheRunsKeys() async throws {
            let server = try RedisServerProcess()
            defer { server.stop() }
            let admin = try server.makeConnection()
            _ = try admin.send("SET", "customer:42", "precious")
            _ = try admin.send("SET", "leaselab:someone-else:user:1", "theirs", "PX", "600000")
            // Another client works on the foreign key while the run goes on: MONITOR sees it and must drop it.
            let stop = LockedFlag(false)
            let busy = Thread {
                guard let other = try? server.makeConnection() else { return }
                while !stop.value { _ = try? other.send("GET", "customer:42") }
                other.close()
            }
            busy.start()
            let runIdentifier = "safety-\(UInt32.random(in: 0...UInt32.max))"
            let run = try configuration(
                try bundledScenario("stale-set-after-invalidation"), "pr-4821", server: server, scale: 0.5,
                privateServer: false, runIdentifier: runIdentifier)
            let report = try await runRetryingTimingFailures(run)
            stop.value = true

            #expect(report.passed, "\(report.text)")
            #expect(try admin.send("GET", "customer:42") == .bulk(Array("precious".utf8)))
            #expect(try admin.send("PTTL", "customer:42") == .integer(-1))
            #expect(try admin.send("GET", "leaselab:someone-else:user:1") == .bulk(Array("theirs".utf8)))
            // A retry on timing runs under a fresh prefix: check the one the report ran under, and every run's.
            #expect(report.keyPrefix.hasPrefix("leaselab:"))
            #expect(try admin.send("KEYS", report.keyPrefix + "*") == .array([]))
            #expect(try admin.send("KEYS", "leaselab:\(runIdentifier):*") == .array([]))
            #expect(try admin.send("DBSIZE") == .integer(2))
            #expect(report.monitorLinesDropped > 0)
            #expect(!report.monitorKeptKeys.isEmpty)
            #expect(report.monitorKeptKeys.allSatisfy { $0.hasPrefix(report.keyPrefix) })
            #expect(!report.text.contains("customer") && !report.text.contains("someone-else"))
        }

        @Test func aPasswordIsUsedAndNeverPrinted() async throws {
            let secret = "leaselab-secret-pw-\(UInt32.random(in: 0...UInt32.max))"
            let server = try RedisServerProcess(password: secret)
            defer { server.stop() }
            let run = try configuration(try bundledScenario("lost-acquire-reply"), "pr-4821", server: server, scale: 0.1, privateServer: false)
            #expect(run.password == secret)
            let report = try await runRetryingTimingFailures(run)
            #expect(report.passed, "\(report.text)")
            #expect(!report.text.contains(secret))
            #expect(!"\(report)".contains(secret))
            var wrong = run
            wrong.password = "not-" + secret
            await #expect {
                _ = try await RealRun.run(wrong)
            } throws: { error in
                "\(error)".contains(server.description) && !"\(error)".contains(secret) && !"\(error)".contains("\n")
            }
        }

        @Test func aUserWithoutMonitorIsRefusedInOneLineWithoutItsPassword() async throws {
            let server = try RedisServerProcess()
            defer { server.stop() }
            let admin = try server.makeConnection()
            _ = try admin.send("ACL", "SETUSER", "nomonitor", "on", ">s3cret-pw", "~*", "+@all", "-monitor")
            var run = try configuration(try bundledScenario("happy-path"), "pr-4821", server: server, scale: 0.5)
            run.username = "nomonitor"
            run.password = "s3cret-pw"
            await #expect {
                _ = try await RealRun.run(run)
            } throws: { error in
                guard let error = error as? RedisRunError else { return false }
                let line = error.description
                return error.isMonitorFailure && line.contains(server.description) && line.contains("MONITOR")
                    && !line.contains("s3cret") && !line.contains("\n")
            }
            // Nothing was written: the run stops before seeding.
            #expect(try admin.send("DBSIZE") == .integer(0))
        }

        @Test func killingTheServerMidRunGivesTypedErrorsAndAReportNotAHang() async throws {
            let server = try RedisServerProcess()
            defer { server.stop() }
            let run = try configuration(try bundledScenario("lease-expiry-slow-origin"), "pr-4821", server: server, scale: 0.1)
            async let report = RealRun.run(run)
            try await Task.sleep(for: .milliseconds(250))  // w1 is loading (its origin takes 700 ms here)
            server.kill()
            let finished = try await report
            #expect(!finished.passed)
            #expect(finished.unchecked?.contains(server.description) == true, "\(finished.text)")
            #expect(finished.text.contains("not checked"))
            let errors = finished.calls.filter {
                if case .error = $0.outcome { return true }
                return false
            }
            #expect(!errors.isEmpty, "\(finished.text)")
            #expect(errors.allSatisfy { $0.failure?.contains(server.description) == true }, "\(finished.text)")
        #expect(finished.cleanupProblem?.contains(server.description) == true)
        #expect(finished.text.contains("cleanup: "))
        }

        @Test func aTimeScaleBelowTheFloorIsRefusedWithTheReason() {
            #expect {
                _ = try TimeScale(0.04)
            } throws: { error in
                "\(error)".contains("0.05") && "\(error)".contains("millisecond") && "\(error)".contains("tolerance")
            }
            #expect(throws: Never.self) { _ = try TimeScale(0.05) }
        }

        @Test func theRealRedisKeyLoadsAndAMistakeInItIsNamed() throws {
            let good = try ScenarioLoader.load(path: redisRunPackageRoot + "/scenarios/redis-restart-mid-reload.yaml")
            #expect(good.realRedisSkipReason?.contains("restart") == true)
            let text = """
                name: t
                keys: {k: {cached: 1, source: 1}}
                workers: 1
                calls: [{at: 0ms, worker: w1, key: k}]
                real-redis: {skipp: "x"}
                """
            #expect {
                _ = try ScenarioLoader.load(text: text, path: "t.yaml")
            } throws: { error in
                "\(error)".contains("t.yaml:5:") && "\(error)".contains("skip")
            }
        }
    }
}

/// A flag for the busy client thread, behind a lock.
final class LockedFlag<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
