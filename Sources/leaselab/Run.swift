import ArgumentParser
import Scenario
import Simulator
import Trace

/// `leaselab run`: one simulator run of a scenario, printed as a trace.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario once in the simulator and print its trace.",
        discussion: """
            The production LeaseCore runs against a simulated Redis, network and origin, in virtual time. One \
            scenario, protocol and seed give one trace, byte for byte. Seed 0 gives the golden trace.
            Formats: text (the canonical form, one event per line, what traces/ holds), jsonl (JSON Lines, the \
            machine form), mermaid (a sequence diagram to paste into a pull request).
            """)

    @OptionGroup var chosen: ScenarioProtocolArguments

    @Option(help: "The seed of the simulator's chooser.")
    var seed: UInt64 = 0

    @Option(help: "The output format: text, jsonl or mermaid.")
    var format: TraceFormat = .text

    func run() throws {
        let (loaded, named) = try chosen.load()
        var simulation = Simulation(scenario: loaded, variant: named.variant, chooser: SeededChooser(seed: seed))
        let result = simulation.run()
        if let limit = result.limitReached {
            printError("leaselab run: \(limit)")
        }
        format.print(
            result.events, header: "scenario \(loaded.name) protocol \(named.name) seed \(seed)",
            title: "\(loaded.name) · \(named.name) · seed \(seed)")
    }
}
