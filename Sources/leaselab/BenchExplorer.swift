import ArgumentParser
import LeaseModel
import Scenario
import Trace

/// `leaselab bench explorer`: the model explorer's distinct states per second and visited-set memory per distinct
/// state, on a scenario of 3 workers and 2 writers with 2 timing choices per delay, capped by a state limit.
/// Targets: 1 million distinct states per second on one core, and at most 64 bytes per distinct state.
struct BenchExplorer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explorer",
        abstract: "Explorer distinct states/s and bytes per state (3 workers, 2 writers, 2 timing choices per delay).")

    @Option(help: "The state limit that caps the search.")
    var states = 2_000_000

    @Option(help: "Rounds; the best is kept.")
    var rounds = 3

    @Option(help: "The protocol: a preset name.")
    var preset: String = Preset.pr4821.rawValue

    func validate() throws {
        guard (1_000...50_000_000).contains(states) else { throw ValidationError("--states must be 1000 to 50000000") }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be 1 to 20") }
        guard Preset(rawValue: preset) != nil else {
            throw ValidationError(
                "unknown preset '\(preset)'; use one of \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        #if DEBUG
        print("warning: a debug build; benchmark figures mean little. Use: scripts/leaselab bench explorer")
        #endif
        let scenario = Self.scenario()
        let named = NamedVariant(preset: Preset(rawValue: preset)!)
        print("leaselab bench explorer: \(scenario.name) under \(named.name), state limit \(states), best of \(rounds)")
        var best: (report: ExplorationReport, seconds: Double)?
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            let report = Explorer(
                scenario: scenario, protocol: named,
                limits: ExplorerLimits(maximumDistinctStates: states, maximumDepth: 100_000)
            ).run()
            let seconds = (ContinuousClock.now - start).seconds
            if best == nil || seconds < best!.seconds { best = (report, seconds) }
        }
        guard let (report, seconds) = best else { return }
        let statistics = report.statistics
        print(
            TextTable(
                header: ["distinct states", "generated", "transitions", "depth", "seconds", "states/s", "bytes/state"],
                rows: [[
                    String(statistics.distinctStates), String(statistics.statesGenerated), String(statistics.transitions),
                    String(statistics.maximumDepth), String(format: "%.2f", seconds),
                    String(Int(Double(statistics.distinctStates) / seconds)),
                    String(format: "%.1f", statistics.visitedBytesPerState),
                ]]
            ).rendered)
        if let limit = report.limitReached {
            print("capped: \(limit)")
        }
        print("targets: >= 1000000 distinct states/s on one core, <= 64 bytes per distinct state")
    }

    /// Three workers evicting two keys while two writers change the source, with two values for every network
    /// and origin delay: the search tries each value of each delay and every same-instant order.
    static func scenario() -> Scenario {
        let keys = ["user:1", "user:2"]
        var calls: [Call] = []
        for worker in 1...3 {
            for number in 1...2 {
                calls.append(
                    Call(
                        atMicroseconds: Int64(number - 1) * 40_000 + Int64(worker - 1) * 2_000, worker: worker,
                        key: keys[(worker + number) % 2], callNumber: number))
            }
        }
        calls.sort { ($0.atMicroseconds, $0.worker) < ($1.atMicroseconds, $1.worker) }
        let writes = [
            SourceWrite(atMicroseconds: 5_000, key: "user:1", version: 2, invalidate: true, writer: "writer-a"),
            SourceWrite(atMicroseconds: 45_000, key: "user:2", version: 2, invalidate: false, writer: "writer-b"),
        ]
        return Scenario(
            name: "bench-3w-2writers",
            about: "generated for leaselab bench explorer",
            protocols: [NamedVariant(preset: .pr4821)],
            keys: keys.map { ScenarioKey(key: $0, cachedVersion: 1, sourceVersion: 1) },
            workerCount: 3,
            calls: calls,
            writes: writes,
            network: NetworkSettings(latency: LatencyRange(minMicroseconds: 1_000, maxMicroseconds: 3_000)),
            origin: OriginSettings(
                latency: LatencyRange(minMicroseconds: 10_000, maxMicroseconds: 30_000), overrides: []),
            faults: [],
            explore: ExploreValues(
                networkLatenciesMicroseconds: [1_000, 3_000], originLatenciesMicroseconds: [10_000, 30_000],
                pausesMicroseconds: []),
            seedCount: 1)
    }
}
