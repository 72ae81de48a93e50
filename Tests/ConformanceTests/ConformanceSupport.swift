import Conformance
import Foundation
import Scenario
import Testing

/// The package's root, found from this file's path, so tests read the bundled scenarios wherever they run.
let conformancePackageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A bundled scenario and one of its protocols, by name.
func bundledProtocol(_ scenario: String, _ protocolName: String) throws -> (Scenario, NamedVariant) {
    let loaded = try ScenarioLoader.load(path: conformancePackageRoot + "/scenarios/\(scenario).yaml")
    let named = try #require(loaded.protocols.first { $0.name == protocolName }, "\(scenario) has no \(protocolName)")
    return (loaded, named)
}

/// The bundled scenarios' names, sorted.
func bundledScenarioNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: conformancePackageRoot + "/scenarios")
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
}
