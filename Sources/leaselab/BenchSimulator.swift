import ArgumentParser
import Scenario
import Simulator
import Trace

/// `leaselab bench simulator`: simulated events per second and simulated seconds per wall second, with trace
/// recording on and off, beside a bare loop pushing and popping as many events through the simulator's own queue
/// type with empty handlers. Targets: 3 million events per second with recording off, and a third of the bare
/// loop's rate.
struct BenchSimulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Simulator events/s (recording on and off) vs a bare loop through the same queue type.")

    @Option(help: "Workers in the generated scenario.")
    var workers = 100

    @Option(help: "Calls in the generated scenario.")
    var calls = 100_000

    @Option(help: "Keys in the generated scenario.")
    var keys = 10

    @Option(help: "Rounds per measurement; the best is kept.")
    var rounds = 3

    @Option(help: "The seed of the simulation runs.")
    var seed: UInt64 = 0

    func validate() throws {
        guard (1...10_000).contains(workers) else { throw ValidationError("--workers must be 1 to 10000") }
        guard (1...10_000_000).contains(calls) else { throw ValidationError("--calls must be 1 to 10000000") }
        guard (1...100_000).contains(keys) else { throw ValidationError("--keys must be 1 to 100000") }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be 1 to 20") }
    }

    func run() throws {
        #if DEBUG
        print("warning: a debug build; benchmark figures mean little. Use: scripts/leaselab bench simulator")
        #endif
        let scenario = SimulatorBenchmark.scenario(workers: workers, calls: calls, keys: keys)
        let variant = Preset.pr4821.variant
        print(
            "SEED=\(seed) leaselab bench simulator: \(scenario.name), \(scenario.writes.count) writes, \(scenario.faults.count) faults, best of \(rounds)"
        )
        var first: SimulationResult?
        var bestSeconds = [false: Double.infinity, true: Double.infinity]
        // The bare loop: as many queue items as the simulation processed, through the same queue type, with the
        // queue kept as full as the simulation's fullest. It runs in every round, right after the simulations,
        // so that both see the same machine (a noisy one drifts between phases); the best of each is kept.
        var bareSeconds = Double.infinity
        var checksum: UInt64 = 0
        for _ in 0..<rounds {
            for recording in [false, true] {
                var simulation = Simulation(
                    scenario: scenario, variant: variant, chooser: SeededChooser(seed: seed), recording: recording)
                let start = ContinuousClock.now
                let result = simulation.run()
                let elapsed = (ContinuousClock.now - start).seconds
                if let limit = result.limitReached {
                    throw runProblem("the benchmark run hit a limit: \(limit)")
                }
                if let first {
                    precondition(
                        result.itemsProcessed == first.itemsProcessed && result.eventCount == first.eventCount,
                        "one seed gave two runs")
                } else {
                    first = result
                }
                bestSeconds[recording] = min(bestSeconds[recording]!, elapsed)
            }
            guard let first else { return }
            let start = ContinuousClock.now
            checksum &+= SimulatorBenchmark.bareQueue(
                events: first.itemsProcessed, queueSize: first.peakQueueLength, seed: seed)
            bareSeconds = min(bareSeconds, (ContinuousClock.now - start).seconds)
        }
        guard let first else { return }
        let virtualSeconds = Double(first.endMicroseconds) / 1_000_000
        let bareRate = Double(first.itemsProcessed) / bareSeconds
        var rows: [[String]] = []
        for recording in [false, true] {
            let seconds = bestSeconds[recording]!
            let rate = Double(first.itemsProcessed) / seconds
            rows.append([
                recording ? "simulator, recording on" : "simulator, recording off",
                String(Int(rate)),
                String(Int(Double(first.eventCount) / seconds)),
                String(format: "%.1f", virtualSeconds / seconds),
                String(format: "%.3f", rate / bareRate),
            ])
        }
        rows.append(["bare queue loop", String(Int(bareRate)), "-", "-", "1.000"])
        print(
            "\(first.itemsProcessed) queued events and \(first.eventCount) trace events per run, \(String(format: "%.1f", virtualSeconds)) simulated seconds, at most \(first.peakQueueLength) queued (checksum \(checksum % 1000))"
        )
        print(
            TextTable(
                header: ["run", "events/s", "trace events/s", "simulated s per wall s", "of bare loop"], rows: rows
            ).rendered)
        print("targets: recording off >= 3000000 events/s, and >= 0.333 of the bare loop")
    }
}
