import Foundation
import Testing

@testable import Scenario

/// Helpers shared by the scenario tests.
enum TestSupport {
    /// The package's `scenarios/` folder, found from this file's path so tests run from any directory.
    static var scenariosDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // ScenarioTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("scenarios")
    }

    /// Every `.yaml` file in `scenarios/`, sorted by name (directory order is the file system's, not ours).
    static func bundledScenarioPaths() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scenariosDirectory.path)
            .filter { $0.hasSuffix(".yaml") }
            .sorted()
            .map { scenariosDirectory.appendingPathComponent($0).path }
    }

    /// The problems of loading `text`, or an empty list if it loads.
    static func problems(_ text: String, path: String = "test.yaml") -> [ScenarioProblem] {
        do {
            _ = try ScenarioLoader.load(text: text, path: path)
            return []
        } catch {
            return error.problems
        }
    }

    /// The problems as `line:column: message` lines, for exact comparison.
    static func lines(_ text: String) -> [String] {
        problems(text).map { "\($0.line):\($0.column): \($0.message)" }
    }

    /// A minimal valid scenario, with room for extra top-level lines.
    static func minimal(_ extra: String = "") -> String {
        """
        name: minimal
        keys:
          user:1: {cached: 1, source: 1}
        workers: 2
        calls:
          - {at: 0ms, worker: w1, key: user:1}
        \(extra)
        """
    }
}
