import Trace

extension ScenarioDecoder {
    // MARK: - Explore

    /// `explore:`: the values the model tries, each inside the range it explores; absent lists get the ends.
    ///
    /// `network`, `origin` and `faults` are `nil` when their own sections had problems: the lists are then read
    /// for their shape only, since ranges that did not decode cannot judge them.
    mutating func decodeExplore(
        _ node: YAMLNode?, network: NetworkSettings?, origin: OriginSettings?, faults: [Fault]?
    ) -> ExploreValues? {
        let pauses = (faults ?? []).compactMap { fault -> LatencyRange? in
            switch fault.kind {
            case .pause(_, _, let length, _): return length
            case .loseReply, .dropConnection, .restartRedis: return nil
            }
        }
        // The span of every pause's range: explored lengths lie inside it (each pause then tries those inside its
        // own range, or its ends when none is).
        let pauseRange = pauses.map(\.minMicroseconds).min().map {
            LatencyRange(minMicroseconds: $0, maxMicroseconds: pauses.map(\.maxMicroseconds).max() ?? $0)
        }
        var explore = ExploreValues(
            networkLatenciesMicroseconds: ExploreValues.ends(of: (network ?? .standard).latency),
            originLatenciesMicroseconds: ExploreValues.ends(of: (origin ?? .standard).latency),
            pausesMicroseconds: pauseRange.map(ExploreValues.ends(of:)) ?? [])
        guard let node else { return explore }
        guard let fields = fields(node, "explore", known: ["network-latency", "origin-latency", "pause"]) else {
            return nil
        }
        var clean = true
        if let listNode = fields.present("network-latency") {
            let range = network?.latency
            if let values = exploreList(listNode, "network-latency", accepts: { range?.contains($0) ?? true },
                                        outside: "network.latency \(range?.text ?? "")") {
                explore.networkLatenciesMicroseconds = values
            } else { clean = false }
        }
        if let listNode = fields.present("origin-latency") {
            let range = origin?.latency
            let overrideLatencies = (origin?.overrides ?? []).compactMap(\.latencyMicroseconds)
            let outside = overrideLatencies.isEmpty
                ? "origin.latency \(range?.text ?? "")"
                : "origin.latency \(range?.text ?? "") and matches no override's latency"
            if let values = exploreList(
                listNode, "origin-latency",
                accepts: { range?.contains($0) ?? true || overrideLatencies.contains($0) }, outside: outside) {
                explore.originLatenciesMicroseconds = values
            } else { clean = false }
        }
        if let listNode = fields.present("pause") {
            if faults != nil && pauseRange == nil {
                report(fields.keyNode("pause")?.position ?? listNode.position, .invalidValue,
                       "explore lists pause lengths but no fault pauses; add a pause fault or remove 'pause'")
                clean = false
            } else if let values = exploreList(
                listNode, "pause", accepts: { pauseRange?.contains($0) ?? true },
                outside: "the fault pauses \(pauseRange?.text ?? "")") {
                explore.pausesMicroseconds = values
            } else { clean = false }
        }
        return clean ? explore : nil
    }

    /// A non-empty list of distinct durations, each accepted by `accepts`.
    private mutating func exploreList(
        _ node: YAMLNode, _ what: String, accepts: (Int64) -> Bool, outside: String
    ) -> [Int64]? {
        guard let items = sequence(node, what, limit: limits.maximumExploreValues) else { return nil }
        if items.isEmpty {
            report(node.position, .invalidValue,
                   "'\(what)' lists nothing; list at least one value, or remove it to explore the range's ends")
            return nil
        }
        var values: [Int64] = []
        var clean = true
        for item in items {
            guard let value = duration(item, what) else {
                clean = false
                continue
            }
            if values.contains(value) {
                report(item.position, .duplicateKey,
                       "\(what) \(DurationText.format(value)) is listed twice; list each value once")
                clean = false
            } else if !accepts(value) {
                report(item.position, .outOfRange,
                       "\(what) \(DurationText.format(value)) lies outside \(outside); explore values inside it")
                clean = false
            } else {
                values.append(value)
            }
        }
        return clean ? values : nil
    }

    // MARK: - Bounds

    /// `bounds: {call-latency?, lease-hold?}`, each a positive duration.
    mutating func decodeBounds(_ node: YAMLNode) -> Bounds? {
        guard let fields = fields(node, "bounds", known: ["call-latency", "lease-hold"]) else { return nil }
        var clean = true
        func bound(_ key: String, _ decoder: inout ScenarioDecoder) -> Int64? {
            guard let node = fields.present(key) else { return nil }
            guard let value = decoder.duration(node, key) else {
                clean = false
                return nil
            }
            if value == 0 {
                decoder.report(node.position, .invalidValue,
                               "\(key) 0us allows nothing; give a positive duration, or remove it for the default")
                clean = false
                return nil
            }
            return value
        }
        let callLatency = bound("call-latency", &self)
        let leaseHold = bound("lease-hold", &self)
        return clean ? Bounds(callLatencyMicroseconds: callLatency, leaseHoldMicroseconds: leaseHold) : nil
    }

    // MARK: - Expectations

    /// `expect: {<protocol>: {fail: [...], hold: [...], reach: [...]}}`, protocols from `protocols:`.
    mutating func decodeExpectations(_ node: YAMLNode, protocols: [NamedVariant]?) -> [Expectation]? {
        guard let fields = mapping(node, "expect") else { return nil }
        let names = protocols?.map(\.name)
        var result: [Expectation] = []
        var clean = true
        for entry in fields.entries {
            if let names, !names.contains(entry.key) {
                report(entry.keyNode.position, .unknownName,
                       "unknown protocol \(ScenarioText.quoted(entry.key)) (not in protocols); "
                       + ScenarioText.suggestion(for: entry.key, among: names))
                clean = false
                continue
            }
            guard let verdicts = self.fields(entry.value, "expect entry", known: ["fail", "hold", "reach"]) else {
                clean = false
                continue
            }
            var fail: [PropertyName]? = []
            if let node = verdicts.present("fail") { fail = properties(node, "fail") }
            var hold: [PropertyName]? = []
            if let node = verdicts.present("hold") { hold = properties(node, "hold") }
            var reach: [SometimesProperty]? = []
            if let node = verdicts.present("reach") { reach = properties(node, "reach", of: "sometimes property") }
            guard let fail, let hold, let reach else {
                clean = false
                continue
            }
            for property in hold where fail.contains(property) {
                report(verdicts.keyNode("hold")?.position ?? verdicts.position, .invalidValue,
                       "'\(property.rawValue)' is in both fail and hold; keep it in one")
                clean = false
            }
            result.append(Expectation(protocolName: entry.key, fail: fail, hold: hold, reach: reach))
        }
        return clean ? result : nil
    }

    /// A list of distinct property names (`always` ones, or `sometimes` ones for `reach`).
    private mutating func properties<Property: RawRepresentable & CaseIterable & Equatable>(
        _ node: YAMLNode, _ what: String, of kind: String = "property"
    ) -> [Property]? where Property.RawValue == String {
        guard let items = sequence(node, what, limit: Property.allCases.count * 2) else { return nil }
        var result: [Property] = []
        var clean = true
        for item in items {
            guard let property: Property = choice(item, kind) else {
                clean = false
                continue
            }
            if result.contains(property) {
                report(item.position, .duplicateKey, "'\(property.rawValue)' is listed twice; list it once")
                clean = false
                continue
            }
            result.append(property)
        }
        return clean ? result : nil
    }
}
