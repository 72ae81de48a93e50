/// Decodes a ``YAMLNode`` tree into a ``Scenario``, collecting every mistake rather than stopping at the first.
///
/// Each section decodes what it can and reports the rest; later sections check against earlier ones (a call's
/// worker against `workers:`) only when the earlier one decoded cleanly, so one mistake is reported once, not
/// again by everything that refers to it. Problems are capped at ``ScenarioLimits/maximumProblems``.
struct ScenarioDecoder {
    let path: String
    let limits: ScenarioLimits
    private(set) var problems: [ScenarioProblem] = []
    /// Where the first problem past the cap was, if any.
    private(set) var overflowPosition: YAMLPosition?

    init(path: String, limits: ScenarioLimits) {
        self.path = path
        self.limits = limits
    }

    // MARK: - Reporting

    mutating func report(_ position: YAMLPosition, _ kind: ScenarioProblem.Kind, _ message: String) {
        guard problems.count < limits.maximumProblems else {
            if overflowPosition == nil { overflowPosition = position }
            return
        }
        problems.append(ScenarioProblem(
            path: path, line: position.line, column: position.column, message: message, kind: kind))
    }

    /// Adds problems found before decoding (by the reader), under the same cap.
    mutating func adopt(_ earlier: [ScenarioProblem]) {
        for problem in earlier {
            report(YAMLPosition(line: problem.line, column: problem.column), problem.kind, problem.message)
        }
    }

    /// The problems sorted by position (ties keep the order found), and a last line when some were dropped.
    var sortedProblems: [ScenarioProblem] {
        var sorted = problems.enumerated().sorted { left, right in
            (left.element.line, left.element.column, left.offset)
                < (right.element.line, right.element.column, right.offset)
        }.map(\.element)
        if let overflowPosition {
            sorted.append(ScenarioProblem(
                path: path, line: overflowPosition.line, column: overflowPosition.column,
                message: "more than \(limits.maximumProblems) problems, the rest are not shown; fix these first",
                kind: .tooManyProblems))
        }
        return sorted
    }

    // MARK: - Mappings

    /// A mapping's entries with unique scalar keys, in file order, and lookup by key.
    struct Fields {
        /// Where the mapping starts: missing keys are reported here.
        var position: YAMLPosition
        /// The entries, keys unique, in file order.
        var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]

        /// The value of `key`, or `nil` when absent. Null values count as absent for optional keys.
        subscript(key: String) -> YAMLNode? {
            entries.first { $0.key == key }?.value
        }

        /// The key node of `key`, for problems about the key itself.
        func keyNode(_ key: String) -> YAMLNode? {
            entries.first { $0.key == key }?.keyNode
        }

        /// The value of an optional key that is present and not null.
        func present(_ key: String) -> YAMLNode? {
            guard let value = self[key], !value.isNull else { return nil }
            return value
        }
    }

    /// The entries of a mapping node with scalar, unique keys; problems for anything else.
    mutating func mapping(_ node: YAMLNode, _ what: String) -> Fields? {
        switch node.content {
        case .refused:
            return nil
        case .scalar, .sequence:
            report(node.position, .typeMismatch,
                   "'\(what)' must be a mapping, found \(node.shown); write 'key: value' pairs under it")
            return nil
        case .mapping(let entries):
            var fields = Fields(position: node.position, entries: [])
            var seen: [String: YAMLPosition] = [:]
            for entry in entries {
                guard case .scalar(let key, _) = entry.key.content else {
                    if case .refused = entry.key.content { continue }
                    report(entry.key.position, .unsupportedYAML,
                           "a key must be plain text, found \(entry.key.shown); write a name before the ':'")
                    continue
                }
                if let first = seen[key] {
                    report(entry.key.position, .duplicateKey,
                           "duplicate key \(ScenarioText.quoted(key)) (first at \(first)); give each key once")
                    continue
                }
                seen[key] = entry.key.position
                fields.entries.append((key, entry.key, entry.value))
            }
            return fields
        }
    }

    /// ``mapping(_:_:)``, reporting keys outside `known` with the nearest known key.
    mutating func fields(_ node: YAMLNode, _ what: String, known: [String]) -> Fields? {
        guard var fields = mapping(node, what) else { return nil }
        var kept: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        for entry in fields.entries {
            if known.contains(entry.key) {
                kept.append(entry)
            } else {
                report(entry.keyNode.position, .unknownKey,
                       "unknown key \(ScenarioText.quoted(entry.key)); "
                       + ScenarioText.suggestion(for: entry.key, among: known))
            }
        }
        fields.entries = kept
        return fields
    }

    /// The value of a required key, or a problem at the mapping naming the key and an example.
    mutating func required(_ fields: Fields, _ key: String, example: String) -> YAMLNode? {
        guard let value = fields[key] else {
            report(fields.position, .missingKey, "missing required key '\(key)'; add e.g. \(example)")
            return nil
        }
        return value
    }

    // MARK: - Sequences

    /// The items of a sequence node, or a problem; at most `limit` items (one problem past it).
    mutating func sequence(_ node: YAMLNode, _ what: String, limit: Int) -> [YAMLNode]? {
        switch node.content {
        case .refused:
            return nil
        case .scalar, .mapping:
            report(node.position, .typeMismatch,
                   "'\(what)' must be a sequence, found \(node.shown); write a list, e.g. [a, b], or '- ' lines")
            return nil
        case .sequence(let items):
            if items.count > limit {
                report(node.position, .limitExceeded,
                       "'\(what)' lists \(items.count) entries; a scenario allows at most \(limit)")
                return nil
            }
            return items
        }
    }

    // MARK: - Scalars

    /// The text of a scalar node that is not null.
    mutating func text(_ node: YAMLNode, _ what: String, example: String) -> String? {
        switch node.content {
        case .refused:
            return nil
        case .scalar(let text, _) where !node.isNull:
            return text
        case .scalar, .sequence, .mapping:
            report(node.position, .typeMismatch, "'\(what)' must be text, found \(node.shown); write e.g. \(example)")
            return nil
        }
    }

    /// A name: letters, digits, `-` and `_`, starting with a letter or digit; names reach file names and traces.
    mutating func name(_ node: YAMLNode, _ what: String, example: String) -> String? {
        guard let text = text(node, what, example: example) else { return nil }
        if !Self.isName(text) || text.unicodeScalars.count > limits.maximumNameLength {
            report(node.position, .invalidValue,
                   "\(ScenarioText.quoted(text)) is not a valid \(what); use up to \(limits.maximumNameLength) "
                   + "letters, digits, '-' and '_', starting with a letter or digit, e.g. \(example)")
            return nil
        }
        return text
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isNameScalar(first), first != "-", first != "_" else {
            return false
        }
        return text.unicodeScalars.allSatisfy(isNameScalar)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
        default: return false
        }
    }

    /// A decimal integer in `range`: a plain number, optionally signed.
    mutating func integer(_ node: YAMLNode, _ what: String, range: ClosedRange<Int>, example: String) -> Int? {
        guard case .scalar(let text, _) = node.content, !node.isNull else {
            if case .refused = node.content { return nil }
            report(node.position, .typeMismatch,
                   "'\(what)' must be an integer, found \(node.shown); write a whole number, e.g. \(example)")
            return nil
        }
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) else {
            report(node.position, .typeMismatch,
                   "'\(what)' must be an integer, found \(node.shown); write a whole number, e.g. \(example)")
            return nil
        }
        let value = digits.count > 18 ? nil : Int(digits).map { negative ? -$0 : $0 }
        guard let value, range.contains(value) else {
            let kind: ScenarioProblem.Kind = (value ?? 1) < range.lowerBound || negative ? .invalidValue : .limitExceeded
            report(node.position, kind,
                   "'\(what)' is \(ScenarioText.quoted(text)); write a whole number from \(range.lowerBound) to "
                   + "\(range.upperBound)")
            return nil
        }
        return value
    }

    /// A duration in microseconds (``DurationText``), at most ``ScenarioLimits/maximumTimeMicroseconds``.
    mutating func duration(_ node: YAMLNode, _ what: String) -> Int64? {
        guard case .scalar(let text, _) = node.content, !node.isNull else {
            if case .refused = node.content { return nil }
            report(node.position, .typeMismatch,
                   "'\(what)' must be a duration, found \(node.shown); write e.g. 300ms, 1.5s or 250us")
            return nil
        }
        switch DurationText.microseconds(from: text, maximumMicroseconds: limits.maximumTimeMicroseconds) {
        case .success(let microseconds):
            return microseconds
        case .failure(let error):
            report(node.position, .invalidValue, error.message)
            return nil
        }
    }

    /// `true` or `false`.
    mutating func boolean(_ node: YAMLNode, _ what: String) -> Bool? {
        if case .scalar(let text, plain: true) = node.content {
            if text == "true" { return true }
            if text == "false" { return false }
        }
        if case .refused = node.content { return nil }
        report(node.position, .typeMismatch, "'\(what)' must be true or false, found \(node.shown); write true or false")
        return nil
    }

    /// One of an enumeration's raw values, naming the nearest on a miss.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: YAMLNode, _ what: String
    ) -> Choice? where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        guard let text = text(node, what, example: names.first ?? "") else { return nil }
        guard let value = Choice(rawValue: text) else {
            report(node.position, .unknownName,
                   "unknown \(what) \(ScenarioText.quoted(text)); " + ScenarioText.suggestion(for: text, among: names))
            return nil
        }
        return value
    }
}
