import Trace

extension ScenarioDecoder {
    // MARK: - Keys

    /// `keys:`: a mapping from cache key to `{cached: <version>, source: <version>}`, in file order.
    mutating func decodeKeys(_ node: YAMLNode) -> [ScenarioKey]? {
        guard let fields = mapping(node, "keys") else { return nil }
        if fields.entries.isEmpty {
            if case .mapping(let entries) = node.content, !entries.isEmpty { return nil }  // keys already reported
            report(node.position, .invalidValue,
                   "'keys' declares nothing; declare at least one key, e.g. user:1: {cached: 1, source: 1}")
            return nil
        }
        if fields.entries.count > limits.maximumKeys {
            report(node.position, .limitExceeded,
                   "'keys' declares \(fields.entries.count) keys; a scenario allows at most \(limits.maximumKeys)")
            return nil
        }
        var result: [ScenarioKey] = []
        var clean = true
        for entry in fields.entries {
            guard let key = decodeKeyName(entry.key, at: entry.keyNode.position),
                  let value = decodeKeyVersions(key, entry.value)
            else {
                clean = false
                continue
            }
            result.append(value)
        }
        return clean ? result : nil
    }

    /// A cache key goes into trace lines as one word and shares Redis with its lease key: printable, no spaces,
    /// and not itself a lease key.
    private mutating func decodeKeyName(_ key: String, at position: YAMLPosition) -> String? {
        let printable = !key.isEmpty && key.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value)
                && !$0.properties.isWhitespace
        }
        if !printable || key.unicodeScalars.count > limits.maximumNameLength {
            report(position, .invalidValue,
                   "\(ScenarioText.quoted(key)) is not a valid cache key; write up to \(limits.maximumNameLength) "
                   + "printable characters without spaces, e.g. user:1")
            return nil
        }
        if key.hasPrefix("lease:") {
            report(position, .invalidValue,
                   "\(ScenarioText.quoted(key)) would collide with the lease keys 'lease:<key>'; "
                   + "name the cache key without the 'lease:' prefix")
            return nil
        }
        return key
    }

    private mutating func decodeKeyVersions(_ key: String, _ node: YAMLNode) -> ScenarioKey? {
        guard let fields = fields(node, "keys entry", known: ["cached", "source"]) else { return nil }
        let versions = 0...limits.maximumVersion
        let source = required(fields, "source", example: "source: 1").flatMap {
            integer($0, "source", range: versions, example: "1")
        }
        var cached: Int?? = .some(nil)
        if let node = fields.present("cached") {
            cached = integer(node, "cached", range: versions, example: "1")
        }
        guard let source, let cached else { return nil }
        if let cached, cached > source {
            let position = fields.keyNode("cached")?.position ?? fields.position
            report(position, .outOfRange,
                   "cached version \(cached) is newer than the source's version \(source); "
                   + "the cache can only hold a version the source had, at most \(source)")
            return nil
        }
        return ScenarioKey(key: key, cachedVersion: cached, sourceVersion: source)
    }

    // MARK: - Workers and keys named in entries

    /// A worker named `w<number>`, checked against `workers:` when that decoded.
    mutating func worker(_ node: YAMLNode, _ timeline: Timeline) -> Int? {
        let range = timeline.workerCount.map(Self.workerNames) ?? "w<number>, e.g. w1"
        guard let text = text(node, "worker", example: "w1") else { return nil }
        let digits = text.dropFirst()
        guard text.first == "w", let first = digits.first, first != "0", digits.count <= 9,
              digits.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }),
              let number = Int(digits)
        else {
            report(node.position, .typeMismatch, "\(ScenarioText.quoted(text)) is not a worker; write \(range)")
            return nil
        }
        if let count = timeline.workerCount, number > count {
            report(node.position, .unknownName,
                   "unknown worker \(ScenarioText.quoted(text)); workers: \(count) names \(Self.workerNames(count))")
            return nil
        }
        return number
    }

    /// The names of `count` workers, for messages: `w1`, `w1 and w2`, `w1 to w5`.
    static func workerNames(_ count: Int) -> String {
        switch count {
        case 1: return "w1"
        case 2: return "w1 and w2"
        default: return "w1 to w\(count)"
        }
    }

    /// A cache key, checked against `keys:` when that decoded.
    mutating func cacheKey(_ node: YAMLNode, _ timeline: Timeline) -> String? {
        guard let key = text(node, "key", example: timeline.keyNames?.first ?? "user:1") else { return nil }
        if let known = timeline.keySet, !known.contains(key), let names = timeline.keyNames {
            report(node.position, .unknownName,
                   "unknown cache key \(ScenarioText.quoted(key)); " + ScenarioText.suggestion(for: key, among: names))
            return nil
        }
        return key
    }

    /// A time from 0 (`at:`).
    mutating func instant(_ node: YAMLNode) -> Int64? {
        duration(node, "at")
    }

    // MARK: - Calls

    /// `calls:`: `{at, worker, key}` each; sorted by time (ties keep file order) and numbered per worker.
    mutating func decodeCalls(_ node: YAMLNode, _ timeline: Timeline) -> [Call]? {
        guard let items = sequence(node, "calls", limit: limits.maximumCalls) else { return nil }
        if items.isEmpty {
            report(node.position, .invalidValue,
                   "'calls' lists nothing; add at least one call, e.g. {at: 0ms, worker: w1, key: user:1}")
            return nil
        }
        var unnumbered: [Call] = []
        var clean = true
        for item in items {
            guard let fields = fields(item, "call", known: ["at", "worker", "key"]) else {
                clean = false
                continue
            }
            let at = required(fields, "at", example: "at: 0ms").flatMap { instant($0) }
            let worker = required(fields, "worker", example: "worker: w1").flatMap { self.worker($0, timeline) }
            let key = required(fields, "key", example: "key: \(timeline.keyNames?.first ?? "user:1")").flatMap {
                cacheKey($0, timeline)
            }
            guard let at, let worker, let key else {
                clean = false
                continue
            }
            unnumbered.append(Call(atMicroseconds: at, worker: worker, key: key, callNumber: 0))
        }
        guard clean else { return nil }
        var counts: [Int: Int] = [:]
        return Self.timeOrdered(unnumbered, at: \.atMicroseconds).map { call in
            var numbered = call
            numbered.callNumber = (counts[call.worker] ?? 0) + 1
            counts[call.worker] = numbered.callNumber
            return numbered
        }
    }

    /// `values` sorted by time; equal times keep their order (a stable sort, which `sort` does not promise).
    static func timeOrdered<Value>(_ values: [Value], at time: (Value) -> Int64) -> [Value] {
        values.enumerated().sorted { left, right in
            (time(left.element), left.offset) < (time(right.element), right.offset)
        }.map(\.element)
    }

    // MARK: - Writes

    /// `writes:`: `{at, key, invalidate?, writer?}` each; sorted by time (ties keep file order), versions derived.
    mutating func decodeWrites(_ node: YAMLNode, _ timeline: Timeline) -> [SourceWrite]? {
        guard let items = sequence(node, "writes", limit: limits.maximumWrites) else { return nil }
        var unnumbered: [SourceWrite] = []
        var clean = true
        for item in items {
            guard let fields = fields(item, "write", known: ["at", "key", "invalidate", "writer"]) else {
                clean = false
                continue
            }
            let at = required(fields, "at", example: "at: 3s").flatMap { instant($0) }
            let key = required(fields, "key", example: "key: \(timeline.keyNames?.first ?? "user:1")").flatMap {
                cacheKey($0, timeline)
            }
            var invalidate: Bool? = false
            if let node = fields.present("invalidate") { invalidate = boolean(node, "invalidate") }
            var writer: String? = "writer"
            if let node = fields.present("writer") { writer = writerName(node) }
            guard let at, let key, let invalidate, let writer else {
                clean = false
                continue
            }
            unnumbered.append(SourceWrite(atMicroseconds: at, key: key, version: 0, invalidate: invalidate,
                                          writer: writer))
        }
        guard clean else { return nil }
        return Self.numberVersions(Self.timeOrdered(unnumbered, at: \.atMicroseconds), timeline: timeline)
    }

    /// Gives each write the key's next version; versions start from the key's `source:`.
    private static func numberVersions(_ writes: [SourceWrite], timeline: Timeline) -> [SourceWrite] {
        var versions: [String: Int] = [:]
        for key in timeline.keys ?? [] {
            versions[key.key] = key.sourceVersion
        }
        return writes.map { write in
            var numbered = write
            numbered.version = (versions[write.key] ?? 0) + 1
            versions[write.key] = numbered.version
            return numbered
        }
    }

    /// A writer is a trace actor: a name that reads back as that writer in every trace form
    /// (`Actor.isValidWriterName`), so neither a worker's (`w<number>`) nor `server`.
    private mutating func writerName(_ node: YAMLNode) -> String? {
        guard let name = name(node, "writer name", example: "writer") else { return nil }
        let looksLikeWorker = name.count > 1 && name.first == "w"
            && name.dropFirst().unicodeScalars.allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 }
        if looksLikeWorker || !Trace.Actor.isValidWriterName(name) {
            report(node.position, .invalidValue,
                   "writer name \(ScenarioText.quoted(name)) is a \(looksLikeWorker ? "worker's" : "server's") trace name; "
                   + "name writers otherwise, e.g. writer or cms")
            return nil
        }
        return name
    }
}
