import Foundation
import Scenario
import Simulator
import Trace

/// The package's root, found from this file's path, so tests read the bundled scenarios wherever they run.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Loads a bundled scenario by name.
func bundledScenario(_ name: String) throws -> Scenario {
    try ScenarioLoader.load(path: packageRoot + "/scenarios/\(name).yaml")
}

/// Runs a bundled scenario under one of its protocols with a seeded chooser.
func simulate(_ name: String, _ protocolName: String, seed: UInt64 = 0) throws -> SimulationResult {
    let scenario = try bundledScenario(name)
    guard let named = scenario.namedVariant(protocolName) else {
        throw SimulationTestError(description: "\(name) has no protocol \(protocolName)")
    }
    var simulation = Simulation(scenario: scenario, variant: named.variant, chooser: SeededChooser(seed: seed))
    return simulation.run()
}

struct SimulationTestError: Error, CustomStringConvertible {
    var description: String
}

/// A plain rendering of events for failure messages (the canonical form lives in Trace's formats).
func dump(_ events: [TraceEvent]) -> String {
    events.map { "\($0.timeMicroseconds) \($0.actor) \($0.kind)" }.joined(separator: "\n")
}

extension SimulationResult {
    /// The events of one actor.
    func events(of actor: Actor) -> [EventKind] {
        events.filter { $0.actor == actor }.map(\.kind)
    }

    /// The outcome of a worker's call.
    func outcome(worker: Int, call: Int) -> Outcome? {
        calls.first { $0.worker == worker && $0.callNumber == call }?.outcome
    }

    /// Whether an event of this kind by this actor happened.
    func contains(_ actor: Actor, _ kind: EventKind) -> Bool {
        events.contains { $0.actor == actor && $0.kind == kind }
    }

    /// The index of the first event of this kind by this actor.
    func index(_ actor: Actor, _ kind: EventKind) -> Int? {
        events.firstIndex { $0.actor == actor && $0.kind == kind }
    }
}

/// The bundled scenarios' names, sorted.
enum FileManagerNames {
    static func scenarioNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/scenarios")
            .filter { $0.hasSuffix(".yaml") }
            .map { String($0.dropLast(5)) }
            .sorted()
    }
}
