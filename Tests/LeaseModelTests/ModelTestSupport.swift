import Foundation
import LeaseModel
import Synchronization
import Scenario
import Trace

/// The package's root, found from this file's path, so tests read the bundled scenarios wherever they run.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The bundled scenarios' names, sorted.
let bundledScenarioNames: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/scenarios")) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
}()

struct ModelTestError: Error, CustomStringConvertible {
    var description: String
}

/// Loads a bundled scenario by name.
func bundledScenario(_ name: String) throws -> Scenario {
    try ScenarioLoader.load(path: packageRoot + "/scenarios/\(name).yaml")
}

/// One of a scenario's protocols, by name.
func namedVariant(_ scenario: Scenario, _ name: String) throws -> NamedVariant {
    guard let named = scenario.namedVariant(name) else {
        throw ModelTestError(description: "\(scenario.name) has no protocol \(name)")
    }
    return named
}

/// The model of a bundled scenario under one of its protocols.
func bundledModel(_ name: String, _ protocolName: String) throws -> LeaseModel {
    let scenario = try bundledScenario(name)
    return LeaseModel(scenario: scenario, variant: try namedVariant(scenario, protocolName).variant)
}

/// Explores a bundled scenario under one of its protocols (afresh each time).
func explore(_ name: String, _ protocolName: String, limits: ExplorerLimits = .standard) throws -> ExplorationReport {
    let scenario = try bundledScenario(name)
    return Explorer(scenario: scenario, protocol: try namedVariant(scenario, protocolName), limits: limits).run()
}

/// Reports of full searches already made, shared by the tests that only read them.
private let reportCache = Mutex<[String: ExplorationReport]>([:])

/// The full search of a bundled scenario under one of its protocols, made once per test run.
func cachedReport(_ name: String, _ protocolName: String) throws -> ExplorationReport {
    let cacheKey = name + " " + protocolName
    if let cached = reportCache.withLock({ $0[cacheKey] }) { return cached }
    let fresh = try explore(name, protocolName)
    reportCache.withLock { $0[cacheKey] = fresh }
    return fresh
}

/// A scenario from YAML text, for tests that need a shape no bundled scenario has.
func scenario(_ text: String) throws -> Scenario {
    try ScenarioLoader.load(text: text, path: "test.yaml")
}

/// The counterexample of a failing property, or nil.
func counterexample(_ report: ExplorationReport, _ property: PropertyName) -> ModelPath? {
    if case .fails(let path) = report.verdict(property) { return path }
    return nil
}

/// A path's events as text lines, for failure messages.
func lines(_ events: [TraceEvent]) -> String {
    events.map(TraceText.line).joined(separator: "\n")
}

// MARK: - Building expected events

let key = "user:1"
let leaseKey = "lease:user:1"

func v(_ version: Int) -> CacheValue { CacheValue(version: version) }
func token(_ worker: Int, _ call: Int) -> Token { Token(worker: worker, call: call) }

/// An event at a whole number of milliseconds (every bundled counterexample's delays are whole milliseconds).
func event(_ milliseconds: Int64, _ actor: Actor, _ kind: EventKind) -> TraceEvent {
    TraceEvent(timeMicroseconds: milliseconds * 1_000, actor: actor, kind: kind)
}

let w1 = Actor.worker(1)
let w2 = Actor.worker(2)
let w3 = Actor.worker(3)

func acquire(_ worker: Int, _ call: Int) -> Command {
    .acquire(key: key, token: token(worker, call), ttlMilliseconds: 5_000)
}

func set(_ version: Int) -> Command {
    .set(key: key, value: v(version), ttlSeconds: 300)
}

/// Every bundled scenario with each of its protocols' names.
func bundledCases() throws -> [(scenario: String, protocolName: String)] {
    try bundledScenarioNames.flatMap { name in
        try bundledScenario(name).protocols.map { (name, $0.name) }
    }
}
