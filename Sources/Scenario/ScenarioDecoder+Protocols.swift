import Trace

extension ScenarioDecoder {
    /// The knob keys of a named variant: DESIGN.md's table, plus `preset`.
    static let variantKeys = [
        "preset", "lock", "lease-ttl", "cache-ttl", "origin-timeout", "release", "write", "contended",
        "command-timeout",
    ]

    /// `protocols:`: presets by name, or named variants `{name: {preset: ..., <knob>: ...}}`.
    mutating func decodeProtocols(_ node: YAMLNode) -> [NamedVariant]? {
        guard let items = sequence(node, "protocols", limit: limits.maximumProtocols) else { return nil }
        if items.isEmpty {
            report(node.position, .invalidValue, "'protocols' lists nothing; name at least one preset, e.g. [pr-4821]")
            return nil
        }
        var result: [NamedVariant] = []
        var clean = true
        var seen: [String: YAMLPosition] = [:]
        func add(_ variant: NamedVariant, at position: YAMLPosition, decoder: inout ScenarioDecoder) {
            if let first = seen[variant.name] {
                decoder.report(position, .duplicateKey,
                               "protocol '\(variant.name)' is listed twice (first at \(first)); list each once")
                clean = false
                return
            }
            seen[variant.name] = position
            result.append(variant)
        }
        for item in items {
            switch item.content {
            case .scalar:
                guard let preset: Preset = choice(item, "preset") else {
                    clean = false
                    continue
                }
                add(NamedVariant(preset: preset), at: item.position, decoder: &self)
            case .mapping:
                guard let fields = mapping(item, "protocols entry") else {
                    clean = false
                    continue
                }
                for entry in fields.entries {
                    guard let named = decodeNamedVariant(entry.keyNode, entry.value) else {
                        clean = false
                        continue
                    }
                    add(named, at: entry.keyNode.position, decoder: &self)
                }
            case .sequence:
                report(item.position, .typeMismatch,
                       "a protocol must be a preset name or a named variant, found a sequence; write e.g. pr-4821 "
                       + "or {slow-lease: {preset: pr-4821, lease-ttl: 3s}}")
                clean = false
            case .refused:
                clean = false
            }
        }
        return clean ? result : nil
    }

    /// One `name: {preset: ..., <knob>: ...}` entry.
    private mutating func decodeNamedVariant(_ keyNode: YAMLNode, _ value: YAMLNode) -> NamedVariant? {
        guard let name = name(keyNode, "protocol name", example: "slow-lease") else { return nil }
        var clean = true
        if Preset(rawValue: name) != nil {
            report(keyNode.position, .invalidValue,
                   "'\(name)' is a preset's name; give the variant a name of its own, e.g. \(name)-variant")
            clean = false
        }
        guard let fields = fields(value, "protocol '\(name)'", known: Self.variantKeys) else { return nil }
        guard let presetNode = required(fields, "preset", example: "preset: pr-4821"),
              let preset: Preset = choice(presetNode, "preset")
        else { return nil }
        var variant = preset.variant
        for entry in fields.entries {
            let node = entry.value
            switch entry.key {
            case "preset":
                continue
            case "lock":
                if let lock: Lock = choice(node, "lock") { variant.lock = lock } else { clean = false }
            case "lease-ttl":
                if let ttl = wholeUnits(node, "lease-ttl", unit: .milliseconds, why: "Redis takes PX in milliseconds") {
                    variant.leaseTTLMilliseconds = ttl
                } else { clean = false }
            case "cache-ttl":
                if let ttl = wholeUnits(node, "cache-ttl", unit: .seconds, why: "Redis takes EX in seconds") {
                    variant.cacheTTLSeconds = ttl
                } else { clean = false }
            case "origin-timeout":
                if case .scalar("none", _) = node.content {
                    variant.originTimeoutMicroseconds = nil
                } else if let timeout = duration(node, "origin-timeout") {
                    variant.originTimeoutMicroseconds = timeout
                } else { clean = false }
            case "release":
                if let release: ReleaseStyle = choice(node, "release") { variant.release = release } else { clean = false }
            case "write":
                if let write: WriteStyle = choice(node, "write") { variant.write = write } else { clean = false }
            case "contended":
                if let contended: ContendedPolicy = choice(node, "contended") {
                    variant.contended = contended
                } else { clean = false }
            case "command-timeout":
                if let timeout = duration(node, "command-timeout") {
                    variant.commandTimeoutMicroseconds = timeout
                } else { clean = false }
            default:
                preconditionFailure("fields(_:_:known:) let through unknown knob '\(entry.key)'")
            }
        }
        guard clean else { return nil }
        for problem in variant.problems {
            // Point at the knob the file set, or at the variant's name when the preset's own value is at fault.
            let position = fields.keyNode(problem.knob)?.position ?? keyNode.position
            report(position, .incoherentVariant, "incoherent protocol '\(name)': \(problem.knob): \(problem.problem)")
            clean = false
        }
        return clean ? NamedVariant(name: name, preset: preset, variant: variant) : nil
    }

    /// A duration that must be a whole number of `unit` (the unit Redis takes it in), as an `Int` of that unit.
    private mutating func wholeUnits(_ node: YAMLNode, _ what: String, unit: DurationText.Unit, why: String) -> Int? {
        guard let microseconds = duration(node, what) else { return nil }
        guard microseconds % unit.microseconds == 0 else {
            let unitName = unit == .seconds ? "seconds" : "milliseconds"
            report(node.position, .invalidValue,
                   "\(what) \(node.shown) is not a whole number of \(unitName); \(why), "
                   + "e.g. \(DurationText.format(max(unit.microseconds, microseconds / unit.microseconds * unit.microseconds)))")
            return nil
        }
        return Int(microseconds / unit.microseconds)
    }
}
