import ArgumentParser
import Foundation
import Logging
import Scenario
import Stress
import Trace

/// `leaselab stress`: #4821's race test at scale against a real Redis, its MONITOR history replayed and judged.
struct StressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Race many concurrent evictAndReload calls against a real Redis and judge the server's history.",
        discussion: """
            Starts every call at once over many connections while writers change the source, invalidate and \
            refill under the lease. A MONITOR client records the server's order of the run's commands; leaselab \
            replays it through the simulated Redis for replies and expiries and checks single-loader (from the \
            origin's load intervals), no-stale-overwrite, owner-only-release, no-orphaned-lease, \
            bounded-lease-hold and bounded-latency, printing each violation with the same key's events around \
            it. Keys live under a prefix of the run's own and are deleted by name at the end; nothing is \
            flushed. If MONITOR is refused the run stops before any call (pass --no-monitor to run without the \
            history check). Exit status: 0 clean; 1 a violation, an error outcome, a lease left, or a history \
            that could not be judged.
            """)

    @OptionGroup var redis: RedisTargetOptions

    @Option(help: "The protocol preset: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset = Preset.pr4821.rawValue

    @Option(help: "evictAndReload calls.")
    var calls = 10_000

    @Option(help: "Calls in flight at once: as many callers start together, each making its connection's calls one after another.")
    var inFlight = 10_000

    @Option(help: "Redis connections the calls are spread over.")
    var connections = 16

    @Option(help: "Keys the calls are spread over.")
    var keys = 8

    @Option(help: "Writers changing the source (and invalidating) while the calls run.")
    var writers = 2

    @Flag(
        inversion: .prefixedNo,
        help: "Whether each write also invalidates (DEL, then a refill under the lease); without, keys stay cached.")
    var invalidate = true

    @Option(help: "How long each origin load takes, with a unit (keep it below the lease TTL to test the lease).")
    var originLatency = "1ms"

    @Option(help: "The pause between one writer's writes, with a unit.")
    var writeInterval = "5ms"

    @Flag(
        inversion: .prefixedNo,
        help: "Let calls sharing a connection pipeline their commands; without, one command at a time per connection.")
    var pipelining = true

    @Option(help: "LeaseCache's event loop threads driving the connections, 1 to --connections.")
    var threads = 1

    @Flag(inversion: .prefixedNo, help: "Attach a MONITOR client and judge the server's history.")
    var monitor = true

    @Option(help: "bounded-lease-hold's bound, with a unit. Default: the model's (origin latency or timeout + 2 command timeouts).")
    var leaseHold: String?

    @Option(help: "bounded-latency's bound, with a unit. Default: the model's (origin latency or timeout + 7 command timeouts).")
    var callLatency: String?

    @Option(help: "Violations shown per property in the text report (all are counted).")
    var violations = 3

    @Option(help: "The report format: text or json.")
    var format: Check.Format = .text

    func validate() throws {
        guard Preset(rawValue: preset) != nil else {
            throw ValidationError(
                "unknown preset '\(preset)'; use one of \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let problem = try parameters(keyPrefix: "leaselab:stress:check:").problems.first {
            throw ValidationError(problem)
        }
        guard (0...HistoryChecker.keptPerPropertyMaximum).contains(violations) else {
            throw ValidationError("--violations must be 0 to \(HistoryChecker.keptPerPropertyMaximum)")
        }
    }

    func run() async throws {
        let runID = String(UInt32.random(in: .min ... .max), radix: 16)
        let parameters = try parameters(keyPrefix: "leaselab:stress:\(runID):")
        var logger = Logger(label: "leaselab.stress")
        logger.logLevel = .critical
        let report = try await redis.withServer { host, port, password in
            if format == .text {
                print(StressOutput.heading(parameters, endpoint: "\(host):\(port)"))
            }
            let run = StressRun(host: host, port: port, password: password, parameters: parameters)
            do {
                return try await run.run(logger: logger) { progress in
                    printError(
                        "stress: \(progress.callsReturned)/\(progress.calls) calls returned, "
                            + "\(String(format: "%.1f", Double(progress.elapsedMicroseconds) / 1_000_000)) s")
                }
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
        }
        switch format {
        case .text: print(StressOutput.text(report, violationsShown: violations))
        case .json: print(StressOutput.json(report))
        }
        if !report.isClean { throw ExitCode.checkFailed }
    }

    /// The parameters the flags stand for; a bad duration throws a ValidationError naming its flag.
    private func parameters(keyPrefix: String) throws -> StressParameters {
        StressParameters(
            preset: Preset(rawValue: preset) ?? .pr4821, calls: calls, inFlight: inFlight, connections: connections,
            keys: keys,
            writers: writers, invalidate: invalidate, writeIntervalMicroseconds: try Self.duration(writeInterval, flag: "--write-interval"),
            originLatencyMicroseconds: try Self.duration(originLatency, flag: "--origin-latency"),
            pipelining: pipelining, threads: threads, monitor: monitor,
            keyPrefix: keyPrefix,
            leaseHoldBoundMicroseconds: try leaseHold.map { try Self.duration($0, flag: "--lease-hold") },
            callLatencyBoundMicroseconds: try callLatency.map { try Self.duration($0, flag: "--call-latency") })
    }

    private static func duration(_ text: String, flag: String) throws -> Int64 {
        switch DurationText.microseconds(from: text) {
        case .success(let microseconds): return microseconds
        case .failure(let error): throw ValidationError("\(flag): \(error.message)")
        }
    }
}
