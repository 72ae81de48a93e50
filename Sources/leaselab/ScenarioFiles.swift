import ArgumentParser
import Foundation
import Scenario

/// The scenario files a command names, and their loading, the same for every command.
enum ScenarioFiles {
    /// The files `paths` name, each directory expanded to its `.yaml`/`.yml` files (sorted); `scenarios/` when
    /// none is named.
    static func resolve(_ paths: [String]) throws -> [String] {
        let named = paths.isEmpty ? ["scenarios"] : paths
        var files: [String] = []
        for path in named {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                let hint = paths.isEmpty ? "run from the package root, or name scenario files" : "name scenario files or a directory of them"
                throw usageProblem("\(path): no such file or directory; \(hint)")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw usageProblem("\(path): cannot list this directory; check its permissions")
            }
            files += entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { path + "/" + $0 }
        }
        guard !files.isEmpty else {
            throw usageProblem("no scenario files (*.yaml) in \(named.joined(separator: ", "))")
        }
        return files
    }

    /// Loads every file; each mistake of every file is printed (`file:line:column: ...`) before the run stops with
    /// ``ExitCode/scenarioInvalid``.
    static func load(_ files: [String]) throws -> [Scenario] {
        var scenarios: [Scenario] = []
        var invalid = false
        for file in files {
            do {
                scenarios.append(try ScenarioLoader.load(path: file))
            } catch {
                printError(error.description)
                invalid = true
            }
        }
        if invalid { throw ExitCode.scenarioInvalid }
        return scenarios
    }
}
