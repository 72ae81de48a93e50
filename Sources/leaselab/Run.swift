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

    /// The output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl, mermaid
    }

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: [.customLong("preset"), .customLong("protocol")], help: "The protocol to run: a name the scenario lists. Default: its first.")
    var protocolName: String?

    @Option(help: "The seed of the simulator's chooser.")
    var seed: UInt64 = 0

    @Option(help: "The output format: text, jsonl or mermaid.")
    var format: Format = .text

    func run() throws {
        let loaded: Scenario
        do {
            loaded = try ScenarioLoader.load(path: scenario)
        } catch {
            printError(error.description)
            throw ExitCode.scenarioInvalid
        }
        let named: NamedVariant
        if let protocolName {
            guard let found = loaded.namedVariant(protocolName) else {
                let names = loaded.protocols.map(\.name).joined(separator: ", ")
                throw usageProblem("\(scenario) has no protocol '\(protocolName)'; it lists \(names)")
            }
            named = found
        } else {
            guard let first = loaded.protocols.first else {
                throw usageProblem("\(scenario) lists no protocols")
            }
            named = first
        }
        var simulation = Simulation(scenario: loaded, variant: named.variant, chooser: SeededChooser(seed: seed))
        let result = simulation.run()
        if let limit = result.limitReached {
            printError("leaselab run: \(limit)")
        }
        switch format {
        case .text:
            print("# scenario \(loaded.name) protocol \(named.name) seed \(seed)")
            print(TraceText.format(result.events), terminator: "")
        case .jsonl:
            print(TraceJSONLines.format(result.events), terminator: "")
        case .mermaid:
            print(TraceMermaid.format(result.events, title: "\(loaded.name) · \(named.name) · seed \(seed)"), terminator: "")
        }
    }
}
