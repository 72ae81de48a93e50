import Foundation
import RedisClient
import RedisRun
import Scenario

/// The package's root, found from this file's path, so tests read the bundled scenarios wherever they run.
let redisRunPackageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func bundledScenario(_ name: String) throws -> Scenario {
    try ScenarioLoader.load(path: redisRunPackageRoot + "/scenarios/\(name).yaml")
}

/// The bundled scenarios' names, sorted.
func bundledScenarioNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: redisRunPackageRoot + "/scenarios")
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
}

/// A run's configuration against `server`.
func configuration(
    _ scenario: Scenario, _ protocolName: String, server: RedisServerProcess, scale: Double,
    privateServer: Bool = true, runIdentifier: String = RealRunConfiguration.newRunIdentifier()
) throws -> RealRunConfiguration {
    guard let named = scenario.namedVariant(protocolName) else {
        throw RedisRunTestError("\(scenario.name) has no protocol \(protocolName)")
    }
    return RealRunConfiguration(
        scenario: scenario, named: named, host: server.host, port: server.port, password: server.password,
        scale: try TimeScale(scale), runIdentifier: runIdentifier, privateServer: privateServer)
}

struct RedisRunTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
