import Trace

extension ScenarioDecoder {
    /// The top-level keys of a scenario file, in the order DESIGN.md writes them.
    static let rootKeys = [
        "name", "about", "protocols", "keys", "workers", "calls", "writes", "network", "origin", "faults",
        "explore", "seeds", "bounds", "expect", "real-redis",
    ]

    /// Decodes the whole scenario; `nil` when any problem was reported (the problems say why).
    mutating func decodeScenario(_ root: YAMLNode) -> Scenario? {
        if root.isNull {
            // libyaml marks an empty document's null after its last line; the file's start reads better.
            report(.start, .missingKey,
                   "the file holds no scenario; write at least name, keys, workers and calls")
            return nil
        }
        if case .mapping = root.content {} else {
            report(root.position, .typeMismatch,
                   "a scenario must be a mapping, found \(root.shown); write 'key: value' lines, starting with name:")
            return nil
        }
        guard let fields = fields(root, "scenario", known: Self.rootKeys) else { return nil }

        let name = required(fields, "name", example: "name: lease-expiry").flatMap {
            self.name($0, "scenario name", example: "lease-expiry")
        }
        let about = fields.present("about").flatMap { decodeAbout($0) } ?? ""
        var protocols: [NamedVariant]? = Scenario.standardProtocols
        if let node = fields.present("protocols") { protocols = decodeProtocols(node) }
        let keys = required(fields, "keys", example: "keys: {user:1: {cached: 1, source: 1}}").flatMap {
            decodeKeys($0)
        }
        let workerCount = required(fields, "workers", example: "workers: 2").flatMap {
            integer($0, "workers", range: 1...limits.maximumWorkers, example: "2")
        }
        let timeline = Timeline(keys: keys, workerCount: workerCount)
        let calls = required(fields, "calls", example: "calls: [{at: 0ms, worker: w1, key: user:1}]").flatMap {
            decodeCalls($0, timeline)
        }
        let callContext = CallContext(timeline: timeline, calls: calls)
        var writes: [SourceWrite]? = []
        if let node = fields.present("writes") { writes = decodeWrites(node, timeline) }
        var network: NetworkSettings? = .standard
        if let node = fields.present("network") { network = decodeNetwork(node) }
        var origin: OriginSettings? = .standard
        if let node = fields.present("origin") { origin = decodeOrigin(node, callContext) }
        var faults: [Fault]? = []
        if let node = fields.present("faults") { faults = decodeFaults(node, callContext) }
        let explore = decodeExplore(
            fields.present("explore"), network: network, origin: origin, faults: faults)
        let seedCount = fields.present("seeds").flatMap {
            integer($0, "seeds", range: 1...limits.maximumSeeds, example: "100")
        } ?? Scenario.standardSeedCount
        var bounds: Bounds? = .derived
        if let node = fields.present("bounds") { bounds = decodeBounds(node) }
        var expectations: [Expectation]? = []
        if let node = fields.present("expect") { expectations = decodeExpectations(node, protocols: protocols) }

        var realRedisSkipReason: String?
        if let node = fields.present("real-redis") { realRedisSkipReason = decodeRealRedis(node) }

        guard problems.isEmpty, overflowPosition == nil,
              let name, let keys, let workerCount, let calls, let protocols, let writes, let network,
              let origin, let faults, let explore, let bounds, let expectations
        else { return nil }
        let scenario = Scenario(
            name: name, about: about, sourcePath: path, protocols: protocols, keys: keys,
            workerCount: workerCount, calls: calls, writes: writes, network: network, origin: origin,
            faults: faults, explore: explore, seedCount: seedCount, bounds: bounds, expectations: expectations,
            realRedisSkipReason: realRedisSkipReason)
        #if DEBUG
        scenario.checkInvariants()
        #endif
        return scenario
    }

    /// `real-redis: {skip: "why"}`: a scenario whose fault a run against a real Redis cannot reproduce. The
    /// reason is printed by `leaselab redis` and its tests, so it must say what cannot be done and why.
    private mutating func decodeRealRedis(_ node: YAMLNode) -> String? {
        guard let fields = fields(node, "real-redis", known: ["skip"]) else { return nil }
        guard let skip = required(fields, "skip", example: "real-redis: {skip: \"why a real run cannot\"}") else {
            return nil
        }
        guard let reason = text(skip, "skip", example: "skip: \"a restart cannot be made safely\"") else { return nil }
        if reason.isEmpty || reason.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            report(skip.position, .invalidValue,
                   "'skip' must be one line of plain text saying why a real run cannot reproduce this scenario")
            return nil
        }
        return reason
    }

    /// Free text, possibly several lines (a block scalar), without other control characters: it is printed.
    private mutating func decodeAbout(_ node: YAMLNode) -> String? {
        guard let text = text(node, "about", example: "about: what the scenario shows") else { return nil }
        let control = text.unicodeScalars.contains {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F
        }
        if control {
            report(node.position, .invalidValue,
                   "'about' holds a control character; write plain text (line breaks are fine)")
            return nil
        }
        return text
    }
}

/// What later sections check names against: `nil` members mean the section had problems, so nothing is
/// checked against it (its problems are already reported).
struct Timeline {
    /// The keyspace, in file order.
    var keys: [ScenarioKey]?
    /// `workers:`.
    var workerCount: Int?

    /// The keyspace's key names, in file order (for suggestions).
    var keyNames: [String]?
    /// The same names, for lookups: a set is never iterated, so its order reaches nothing.
    var keySet: Set<String>?

    init(keys: [ScenarioKey]?, workerCount: Int?) {
        self.keys = keys
        self.keyNames = keys?.map(\.key)
        self.keySet = keyNames.map(Set.init)
        self.workerCount = workerCount
    }
}

/// What faults and origin overrides check their worker's call numbers against.
struct CallContext {
    var timeline: Timeline
    /// How many calls each worker makes, indexed by worker (index 0 unused); `nil` when `calls:` had problems.
    var callCounts: [Int]?

    init(timeline: Timeline, calls: [Call]?) {
        self.timeline = timeline
        if let calls, let workerCount = timeline.workerCount {
            var counts = [Int](repeating: 0, count: workerCount + 1)
            for call in calls { counts[call.worker] += 1 }
            callCounts = counts
        }
    }
}
