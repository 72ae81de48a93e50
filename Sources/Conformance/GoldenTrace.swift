import Foundation
import Scenario
import Simulator
import Trace

/// The golden traces: `traces/<scenario>.<protocol>.trace`, each a bundled scenario's canonical trace for seed 0
/// under one protocol, reviewed like code. A change of behaviour shows as a changed file in review, and as a
/// failed check with a unified diff until the file is rewritten on purpose (`leaselab check --update-traces`).
public enum GoldenTrace {
    /// The seed whose trace is golden.
    public static let seed: UInt64 = 0

    /// The golden file of a scenario and protocol, under `directory`.
    public static func path(directory: String, scenario: String, protocolName: String) -> String {
        directory + "/" + scenario + "." + protocolName + ".trace"
    }

    /// The golden text of a trace: a header naming what produced it, then the canonical text form.
    public static func text(scenario: Scenario, protocolName: String, events: [TraceEvent]) -> String {
        "# scenario \(scenario.name) protocol \(protocolName) seed \(seed)\n" + TraceText.format(events)
    }

    /// How a trace compares with its golden file.
    public enum Comparison: Hashable, Sendable {
        /// The file holds exactly this trace.
        case same
        /// There is no golden file yet.
        case missing(path: String)
        /// The file differs: a unified diff from the file to the trace.
        case different(path: String, diff: String)
    }

    /// Compares a trace's golden text with the file.
    public static func compare(_ text: String, path: String) -> Comparison {
        guard let data = FileManager.default.contents(atPath: path) else { return .missing(path: path) }
        let golden = String(decoding: data, as: UTF8.self)
        guard let diff = UnifiedDiff.diff(old: golden, new: text, oldName: path, newName: "seed \(seed) now") else {
            return .same
        }
        return .different(path: path, diff: diff)
    }

    /// Writes the golden file, creating its directory; returns whether the file changed.
    public static func write(_ text: String, path: String) throws -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let existing = FileManager.default.contents(atPath: path), existing == Data(text.utf8) {
            return false
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return true
    }
}
