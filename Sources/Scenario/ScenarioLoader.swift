/// Loads scenario files: YAML in, a ``Scenario`` or every mistake out.
///
/// The shape (DESIGN.md "Scenarios"; `*` marks a required key; durations always carry `us`, `ms` or `s`):
///
///     name*: lease-expiry                 # letters, digits, '-', '_'
///     about: what it shows                # free text, block scalars welcome
///     protocols:                          # default: every preset
///       - pr-4821                         # a preset by name
///       - slow-lease: {preset: pr-4821, lease-ttl: 3s}   # a named variant; any knob of DESIGN.md's table:
///                                       # lock, lease-ttl (whole ms), cache-ttl (whole s), origin-timeout
///                                       # (duration or none), release, write, contended, command-timeout
///     keys*: {user:1: {cached: 1, source: 1}}   # cached absent or null: a cold cache; source required
///     workers*: 2                         # w1, w2
///     calls*: [{at: 0ms, worker: w1, key: user:1}]   # numbered per worker in time order
///     writes: [{at: 3s, key: user:1, invalidate: true, writer: cms}]   # invalidate false, writer "writer"
///     network: {latency: 1ms}             # or {min: 1ms, max: 3ms}; default 1ms
///     origin:
///       latency: 50ms                     # or {min, max}; default 10ms
///       overrides: [{worker: w1, call: 1, latency: 7s, fail: true}]   # call default 1
///     faults:
///       - {worker: w1, call: 1, pause: 2s, at: after-load, maybe: true}
///                 # at: before-acquire | after-load | before-write | before-release | before-release-delete
///       - {worker: w2, lose-reply: acquire}       # read | evict | acquire | write | release
///       - {worker: w1, drop-connection: write}
///       - {restart-redis: 4s}
///     explore: {network-latency: [1ms, 3ms], origin-latency: [50ms], pause: [2s]}   # default: range ends
///     seeds: 200                          # default 100
///     bounds: {call-latency: 10s, lease-hold: 3s}    # default: derived per variant (Scenario+Bounds.swift)
///     expect: {pr-4821: {fail: [single-loader], hold: [owner-only-release]}}
///
/// Anchors, aliases and tags are refused rather than resolved: they would let a short file expand without
/// bound, and a scenario is short enough to write out. One document per file.
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
