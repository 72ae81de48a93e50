import ArgumentParser
import Foundation
import LeaseCache
import Logging
import Trace

/// `leaselab demo`: #4821's race test for each preset against a real Redis, side by side.
///
/// Until the conformance checker lands this is the project's main job: it shows, on a real server, what the lease
/// buys (one load per key at a time, stale served to the contended) and what the pre-review code does (a stampede).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run #4821's race test for each preset against a real (by default private) redis-server.",
        discussion: """
            Many concurrent evictAndReload calls on a few keys while writers change the source. For each preset \
            the table gives the outcomes, the most origin loads of one key in flight at once, and the leases left \
            behind. Keys live under a prefix of the run's own and are deleted afterwards; nothing is flushed.
            """)

    @OptionGroup var redis: RedisTargetOptions

    @Option(name: .customLong("preset"), help: "A preset to run (repeatable). Default: all.")
    var presets: [String] = []

    @Option(help: "Concurrent calls per preset.")
    var calls = 2_000

    @Option(help: "Keys the calls are spread over.")
    var keys = 4

    @Option(help: "Redis connections per preset.")
    var connections = 8

    @Option(help: "Origin latency in milliseconds (keep it below the lease TTL to test the lease itself).")
    var originLatencyMilliseconds = 2

    @Option(help: "Source writes during the run.")
    var writes = 100

    func validate() throws {
        for preset in presets where Preset(rawValue: preset) == nil {
            let names = Preset.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown preset '\(preset)'; use one of \(names)")
        }
        guard (1...1_000_000).contains(calls) else { throw ValidationError("--calls must be 1 to 1000000") }
        guard (1...10_000).contains(keys) else { throw ValidationError("--keys must be 1 to 10000") }
        guard (1...512).contains(connections) else { throw ValidationError("--connections must be 1 to 512") }
        guard (0...60_000).contains(originLatencyMilliseconds) else {
            throw ValidationError("--origin-latency-milliseconds must be 0 to 60000")
        }
        guard (0...1_000_000).contains(writes) else { throw ValidationError("--writes must be 0 to 1000000") }
    }

    func run() async throws {
        let chosen = presets.isEmpty ? Preset.allCases : presets.compactMap(Preset.init(rawValue:))
        var logger = Logger(label: "leaselab.demo")
        logger.logLevel = .error
        let runID = String(UInt32.random(in: .min ... .max), radix: 16)
        let rows = try await redis.withServer { host, port, password in
            print("leaselab demo: \(calls) calls on \(keys) keys, \(connections) connections, origin \(originLatencyMilliseconds)ms, \(writes) writes, redis \(host):\(port)")
            var rows: [[String]] = []
            for preset in chosen {
                let race = RaceTest(
                    host: host, port: port, password: password,
                    parameters: RaceTest.Parameters(
                        variant: preset.variant, calls: calls, keys: keys, connections: connections,
                        originLatencyMicroseconds: Int64(originLatencyMilliseconds) * 1_000, writes: writes,
                        keyPrefix: "leaselab:demo:\(runID):\(preset.rawValue):"))
                let report = try await race.run(logger: logger)
                rows.append(Self.row(preset: preset, report: report))
            }
            return rows
        }
        let header = [
            "preset", "calls", "outcomes", "max loads/key", "origin loads", "leases left", "calls/s",
        ]
        print(TextTable(header: header, rows: rows).rendered)
    }

    private static func row(preset: Preset, report: RaceTest.Report) -> [String] {
        let outcomes = report.outcomeCounts.map { "\($0.kind) \($0.count)" }.joined(separator: ", ")
        let maximum = report.maximumConcurrentLoads.map(\.loads).max() ?? 0
        let loads = report.originLoads.map(\.loads).reduce(0, +)
        let seconds = Double(report.elapsedMicroseconds) / 1_000_000
        let rate = seconds > 0 ? Int(Double(report.results.count) / seconds) : 0
        return [
            preset.rawValue, String(report.results.count), outcomes, String(maximum), String(loads),
            report.leasesLeft.isEmpty ? "none" : report.leasesLeft.joined(separator: " "), String(rate),
        ]
    }
}
