import Trace
extension ScenarioDecoder {
    // MARK: - Latency ranges

    /// A latency: one duration, or `{min: <duration>, max: <duration>}` with min at most max.
    mutating func latencyRange(_ node: YAMLNode, _ what: String) -> LatencyRange? {
        if case .mapping = node.content {
            guard let fields = fields(node, what, known: ["min", "max"]) else { return nil }
            let minimum = required(fields, "min", example: "min: 1ms").flatMap { duration($0, "min") }
            let maximum = required(fields, "max", example: "max: 3ms").flatMap { duration($0, "max") }
            guard let minimum, let maximum else { return nil }
            if minimum > maximum {
                report(fields.position, .invalidValue,
                       "min \(DurationText.format(minimum)) is above max \(DurationText.format(maximum)); swap them")
                return nil
            }
            return LatencyRange(minMicroseconds: minimum, maxMicroseconds: maximum)
        }
        guard let fixed = duration(node, what) else { return nil }
        return LatencyRange(fixedMicroseconds: fixed)
    }

    // MARK: - Network

    /// `network: {latency: ...}`.
    mutating func decodeNetwork(_ node: YAMLNode) -> NetworkSettings? {
        guard let fields = fields(node, "network", known: ["latency"]) else { return nil }
        guard let latencyNode = fields.present("latency") else { return .standard }
        return latencyRange(latencyNode, "latency").map { NetworkSettings(latency: $0) }
    }

    // MARK: - Origin

    /// `origin: {latency: ..., overrides: [{worker, call?, latency?, fail?}]}`.
    mutating func decodeOrigin(_ node: YAMLNode, _ context: CallContext) -> OriginSettings? {
        guard let fields = fields(node, "origin", known: ["latency", "overrides"]) else { return nil }
        var latency: LatencyRange? = OriginSettings.standard.latency
        if let node = fields.present("latency") { latency = latencyRange(node, "latency") }
        var overrides: [OriginOverride]? = []
        if let node = fields.present("overrides") { overrides = decodeOverrides(node, context) }
        guard let latency, let overrides else { return nil }
        return OriginSettings(latency: latency, overrides: overrides)
    }

    private mutating func decodeOverrides(_ node: YAMLNode, _ context: CallContext) -> [OriginOverride]? {
        guard let items = sequence(node, "overrides", limit: limits.maximumOriginOverrides) else { return nil }
        var result: [OriginOverride] = []
        var clean = true
        var seen: [String: YAMLPosition] = [:]
        for item in items {
            guard let fields = fields(item, "override", known: ["worker", "call", "latency", "fail"]) else {
                clean = false
                continue
            }
            let target = callTarget(fields, context, example: "worker: w1")
            var latency: Int64?? = .some(nil)
            if let node = fields.present("latency") { latency = duration(node, "latency") }
            var fails: Bool? = false
            if let node = fields.present("fail") { fails = boolean(node, "fail") }
            guard let target, let latency, let fails else {
                clean = false
                continue
            }
            if latency == nil && !fails {
                report(fields.position, .invalidValue,
                       "this override changes nothing; give latency: <duration>, fail: true, or both")
                clean = false
                continue
            }
            let identity = "\(target.worker).\(target.callNumber)"
            if let first = seen[identity] {
                report(fields.position, .duplicateKey,
                       "w\(target.worker)'s call \(target.callNumber) already has an override (at \(first)); "
                       + "merge them into one")
                clean = false
                continue
            }
            seen[identity] = fields.position
            result.append(OriginOverride(worker: target.worker, callNumber: target.callNumber,
                                         latencyMicroseconds: latency, fails: fails))
        }
        return clean ? result : nil
    }

    /// `worker:` (required) and `call:` (default 1) of an override or a fault, checked against `calls:`.
    private mutating func callTarget(
        _ fields: Fields, _ context: CallContext, example: String
    ) -> (worker: Int, callNumber: Int)? {
        let worker = required(fields, "worker", example: example).flatMap { self.worker($0, context.timeline) }
        var callNumber: Int? = 1
        let callNode = fields.present("call")
        if let callNode { callNumber = integer(callNode, "call", range: 1...limits.maximumCalls, example: "1") }
        guard let worker, let callNumber else { return nil }
        if let counts = context.callCounts, callNumber > counts[worker] {
            let made = counts[worker] == 0 ? "no calls" : (counts[worker] == 1 ? "only 1 call" : "only \(counts[worker]) calls")
            report(callNode?.position ?? fields.position, .outOfRange,
                   "w\(worker) has no call \(callNumber); calls: gives w\(worker) \(made)")
            return nil
        }
        return (worker, callNumber)
    }

    // MARK: - Faults

    /// The keys that say which kind a fault is; exactly one must be present.
    static let faultKindKeys = ["pause", "lose-reply", "drop-connection", "restart-redis"]
    /// Every key a fault may have.
    static let faultKeys = ["worker", "call", "pause", "at", "lose-reply", "drop-connection", "restart-redis", "maybe"]

    /// `faults:`: pauses, lost replies, dropped connections and Redis restarts, in file order.
    mutating func decodeFaults(_ node: YAMLNode, _ context: CallContext) -> [Fault]? {
        guard let items = sequence(node, "faults", limit: limits.maximumFaults) else { return nil }
        var result: [Fault] = []
        var clean = true
        var seen: [Fault: YAMLPosition] = [:]
        for item in items {
            guard let fields = fields(item, "fault", known: Self.faultKeys), let fault = decodeFault(fields, context)
            else {
                clean = false
                continue
            }
            if let first = seen[fault] {
                report(fields.position, .duplicateKey, "this fault repeats the one at \(first); give it once")
                clean = false
                continue
            }
            seen[fault] = fields.position
            result.append(fault)
        }
        return clean ? result : nil
    }

    private mutating func decodeFault(_ fields: Fields, _ context: CallContext) -> Fault? {
        let kinds = Self.faultKindKeys.filter { fields[$0] != nil }
        guard let kindKey = kinds.first else {
            report(fields.position, .missingKey,
                   "a fault needs one of pause, lose-reply, drop-connection or restart-redis; "
                   + "e.g. {worker: w1, pause: 2s, at: after-load}")
            return nil
        }
        if kinds.count > 1, let second = fields.keyNode(kinds[1]) {
            report(second.position, .invalidValue,
                   "a fault has one kind, this one has \(kinds[0]) and \(kinds[1]); split it into two faults")
            return nil
        }
        // Keys that belong to other kinds of fault.
        let applicable: [String]
        switch kindKey {
        case "pause": applicable = ["worker", "call", "pause", "at", "maybe"]
        case "restart-redis": applicable = ["restart-redis", "maybe"]
        default: applicable = ["worker", "call", kindKey, "maybe"]
        }
        var clean = true
        for entry in fields.entries where !applicable.contains(entry.key) {
            let which = entry.key == "at" ? "applies to pause faults only" : "does not apply to \(kindKey) faults"
            report(entry.keyNode.position, .invalidValue, "'\(entry.key)' \(which); remove it")
            clean = false
        }
        var maybe: Bool? = false
        if let node = fields.present("maybe") { maybe = boolean(node, "maybe") }
        guard let kindNode = fields[kindKey] else {
            preconditionFailure("fault kind key '\(kindKey)' vanished from its fields")
        }
        let kind: FaultKind?
        switch kindKey {
        case "pause":
            let target = callTarget(fields, context, example: "worker: w1")
            let length = latencyRange(kindNode, "pause")
            let point: PausePoint? = required(fields, "at", example: "at: after-load").flatMap { choice($0, "pause point") }
            if let length, length.minMicroseconds == 0 {
                report(kindNode.position, .invalidValue, "a pause of 0us does nothing; pause for at least 1us")
                clean = false
            }
            if let target, let length, let point {
                kind = .pause(worker: target.worker, callNumber: target.callNumber, duration: length, point: point)
            } else { kind = nil }
        case "lose-reply", "drop-connection":
            let target = callTarget(fields, context, example: "worker: w1")
            let command: FaultCommand? = choice(kindNode, "command")
            if let target, let command {
                kind = kindKey == "lose-reply"
                    ? .loseReply(worker: target.worker, callNumber: target.callNumber, command: command)
                    : .dropConnection(worker: target.worker, callNumber: target.callNumber, command: command)
            } else { kind = nil }
        case "restart-redis":
            kind = duration(kindNode, "restart-redis").map { .restartRedis(atMicroseconds: $0) }
        default:
            preconditionFailure("unhandled fault kind key '\(kindKey)'")
        }
        guard clean, let kind, let maybe else { return nil }
        return Fault(kind: kind, maybe: maybe)
    }
}
