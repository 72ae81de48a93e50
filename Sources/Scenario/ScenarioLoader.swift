/// Loads scenario files: YAML in, a ``Scenario`` or every mistake out.
///
/// Reading happens in two steps so that each is simple to bound: libyaml's events become a tree of positioned
/// nodes (``YAMLReader``: size, depth, node count, encoding), then the tree becomes values (``ScenarioDecoder``:
/// types, names, ranges, cross-references). Any problem fails the load; the error lists them all.
public enum ScenarioLoader {
    /// Loads the scenario file at `path`.
    public static func load(path: String, limits: ScenarioLimits = .standard) throws(ScenarioError) -> Scenario {
        switch FileBytes.contents(path: path, maximumBytes: limits.maximumFileBytes) {
        case .success(let bytes):
            return try load(bytes: bytes, path: path, limits: limits)
        case .failure(let failure):
            throw ScenarioError(problems: [ScenarioProblem(
                path: path, line: 1, column: 1, message: failure.message, kind: .unreadable)])
        }
    }

    /// Loads a scenario from text; `path` names it in problems and becomes ``Scenario/sourcePath``.
    public static func load(
        text: String, path: String, limits: ScenarioLimits = .standard
    ) throws(ScenarioError) -> Scenario {
        try load(bytes: Array(text.utf8), path: path, limits: limits)
    }

    /// Loads a scenario from bytes, which need not be valid UTF-8 (they are checked).
    public static func load(
        bytes: [UInt8], path: String, limits: ScenarioLimits = .standard
    ) throws(ScenarioError) -> Scenario {
        let read = YAMLReader.read(bytes: bytes, path: path, limits: limits)
        var decoder = ScenarioDecoder(path: path, limits: limits)
        decoder.adopt(read.problems)
        var scenario: Scenario?
        if let root = read.root {
            scenario = decoder.decodeScenario(root)
        }
        let problems = decoder.sortedProblems
        guard let scenario, problems.isEmpty else {
            precondition(!problems.isEmpty, "the loader refused \(path) without saying why")
            throw ScenarioError(problems: problems)
        }
        return scenario
    }
}
