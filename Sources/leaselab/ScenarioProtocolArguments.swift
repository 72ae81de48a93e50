import ArgumentParser
import Scenario
import Trace

/// One scenario file and one of its protocols: what `run` and `redis` take.
struct ScenarioProtocolArguments: ParsableArguments {
    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(
        name: [.customLong("preset"), .customLong("protocol")],
        help: "The protocol to run: a name the scenario lists. Default: its first.")
    var protocolName: String?

    /// Loads the scenario (its mistakes printed, one line each) and picks the protocol.
    func load() throws -> (Scenario, NamedVariant) {
        guard let loaded = try ScenarioFiles.load(ScenarioFiles.resolve([scenario])).first else {
            throw usageProblem("\(scenario): no scenario in it")
        }
        if let protocolName {
            guard let found = loaded.namedVariant(protocolName) else {
                let names = loaded.protocols.map(\.name).joined(separator: ", ")
                throw usageProblem("\(scenario) has no protocol '\(protocolName)'; it lists \(names)")
            }
            return (loaded, found)
        }
        guard let first = loaded.protocols.first else { throw usageProblem("\(scenario) lists no protocols") }
        return (loaded, first)
    }
}

/// The trace formats `run` and `redis` print.
enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl, mermaid

    /// Prints `events`: text under a `# ...` header line, JSON Lines bare, Mermaid with `title`.
    func print(_ events: [TraceEvent], header: String, title: String) {
        switch self {
        case .text:
            Swift.print("# " + header)
            Swift.print(TraceText.format(events), terminator: "")
        case .jsonl:
            Swift.print(TraceJSONLines.format(events), terminator: "")
        case .mermaid:
            Swift.print(TraceMermaid.format(events, title: title), terminator: "")
        }
    }
}
