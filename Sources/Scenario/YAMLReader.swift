import CYAML

/// Reads a scenario file's bytes into a ``YAMLNode`` tree on libyaml's event API (the only user of CYAML).
///
/// Events, not libyaml's document loader, because the document loader resolves aliases (a billion-laughs file
/// expands without bound) and recurses; here containers are built on an explicit stack whose depth is checked at
/// every start event, so no input makes the reader or the decoder recurse deeper than
/// ``ScenarioLimits/maximumDepth``. Anchors, aliases and tags are refused (reported, not resolved): scenarios are
/// short, and writing a value out in full keeps every value's position meaningful.
enum YAMLReader {
    /// The tree of the file's one document (`nil` when reading could not go on), and the problems found.
    struct Result {
        /// The document's root node, or `nil` after a fatal problem (malformed YAML, too deep, not text).
        var root: YAMLNode?
        /// Every problem found; non-fatal ones (anchors, tags) come with a root.
        var problems: [ScenarioProblem]
    }

    /// Reads `bytes`, naming `path` in problems.
    static func read(bytes original: [UInt8], path: String, limits: ScenarioLimits) -> Result {
        // A UTF-8 byte order mark is not content; libyaml keeps it as a character when the encoding is set, as it
        // is here so that UTF-16 guesses never happen.
        let bytes = original.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(original.dropFirst(3)) : original
        func fatal(_ position: YAMLPosition, _ kind: ScenarioProblem.Kind, _ message: String) -> Result {
            Result(root: nil, problems: [problem(path, position, kind, message)])
        }
        if bytes.count > limits.maximumFileBytes {
            return fatal(.start, .tooLarge,
                         "the file holds more than \(limits.maximumFileBytes) bytes; a scenario is limited to "
                         + "\(limits.maximumFileBytes) bytes, split it or trim it")
        }
        if let nul = bytes.firstIndex(of: 0) {
            return fatal(position(ofByte: nul, in: bytes), .notText,
                         "the file holds a NUL byte; a scenario is UTF-8 text, not binary data")
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return fatal(.start, .missingKey,
                         "the file is empty; a scenario needs at least name, keys, workers and calls")
        }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            return fatal(.start, .unreadable, "libyaml could not start (out of memory); try again")
        }
        defer { yaml_parser_delete(parser) }
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        // libyaml keeps a pointer to the input: everything that parses stays inside this closure.
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var builder = TreeBuilder(path: path, limits: limits)
            while true {
                guard yaml_parser_parse(parser, event) == 1 else {
                    return Result(root: nil, problems: builder.problems + [parseProblem(parser, path, bytes)])
                }
                let step = builder.take(event.pointee)
                yaml_event_delete(event)
                switch step {
                case .goOn:
                    continue
                case .finished:
                    return builder.result
                case .stopped(let problem):
                    return Result(root: nil, problems: builder.problems + [problem])
                }
            }
        }
    }

    // MARK: - Problems

    static func problem(
        _ path: String, _ position: YAMLPosition, _ kind: ScenarioProblem.Kind, _ message: String
    ) -> ScenarioProblem {
        ScenarioProblem(path: path, line: position.line, column: position.column, message: message, kind: kind)
    }

    /// The problem libyaml reports after a failed `yaml_parser_parse`.
    private static func parseProblem(
        _ parser: UnsafeMutablePointer<yaml_parser_t>, _ path: String, _ bytes: [UInt8]
    ) -> ScenarioProblem {
        let state = parser.pointee
        let what = state.problem.map { String(cString: $0) } ?? "unknown problem"
        switch state.error {
        case YAML_READER_ERROR:
            // Reader errors carry a byte offset, not a mark.
            let value = state.problem_value == -1 ? "" : " (0x" + String(UInt32(bitPattern: state.problem_value), radix: 16) + ")"
            return problem(path, position(ofByte: state.problem_offset, in: bytes), .notText,
                           "not UTF-8 text: \(what)\(value); save the file as UTF-8 without control characters")
        case YAML_MEMORY_ERROR:
            return problem(path, .start, .unreadable, "libyaml ran out of memory; trim the file")
        default:
            let position = YAMLPosition(line: state.problem_mark.line + 1, column: state.problem_mark.column + 1)
            var context = ""
            if let text = state.context {
                let mark = state.context_mark
                context = " (\(String(cString: text)) at \(mark.line + 1):\(mark.column + 1))"
            }
            return problem(path, position, .malformedYAML,
                           "malformed YAML: \(what)\(context); check the indentation, brackets and quotes here")
        }
    }

    /// The line and column of a byte offset, counting columns in characters as libyaml does.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> YAMLPosition {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return YAMLPosition(line: line, column: column)
    }
}

// MARK: - Building the tree

/// Turns libyaml events into a ``YAMLNode`` tree on an explicit stack of open containers.
private struct TreeBuilder {
    /// What one event asks of the reading loop.
    enum Step {
        /// Read the next event.
        case goOn
        /// The stream ended: ``result`` is ready.
        case finished
        /// A fatal problem: stop reading.
        case stopped(ScenarioProblem)
    }

    /// A sequence or mapping whose end event has not arrived yet.
    struct Frame {
        /// Whether the container is a mapping (else a sequence).
        var isMapping: Bool
        /// Where it starts.
        var position: YAMLPosition
        /// A sequence's items so far.
        var items: [YAMLNode] = []
        /// A mapping's entries so far.
        var entries: [YAMLEntry] = []
        /// A mapping's key waiting for its value.
        var pendingKey: YAMLNode?
    }

    let path: String
    let limits: ScenarioLimits
    private(set) var problems: [ScenarioProblem] = []
    private var stack: [Frame] = []
    private var root: YAMLNode?
    private var documentCount = 0
    private var nodeCount = 0

    init(path: String, limits: ScenarioLimits) {
        self.path = path
        self.limits = limits
    }

    var result: YAMLReader.Result {
        if root == nil && problems.isEmpty {
            return YAMLReader.Result(root: nil, problems: [YAMLReader.problem(
                path, .start, .missingKey,
                "the file holds no YAML document; a scenario needs at least name, keys, workers and calls")])
        }
        return YAMLReader.Result(root: root, problems: problems)
    }

    mutating func take(_ event: yaml_event_t) -> Step {
        let position = YAMLPosition(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
            return .goOn
        case YAML_STREAM_END_EVENT:
            return .finished
        case YAML_DOCUMENT_START_EVENT:
            documentCount += 1
            if documentCount > 1 {
                return .stopped(YAMLReader.problem(
                    path, position, .malformedYAML,
                    "a second YAML document starts here; a scenario file holds one document, remove this '---'"))
            }
            return .goOn
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor)
            report(position, .unsupportedYAML,
                   "YAML aliases are not supported ('*\(name)'); write the value out in full")
            return add(YAMLNode(content: .refused, position: position))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            refuseAnchorAndTag(anchor: scalar.anchor, tag: scalar.tag, at: position)
            let text = scalar.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
            } ?? ""
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            return add(YAMLNode(content: .scalar(text, plain: plain), position: position))
        case YAML_SEQUENCE_START_EVENT:
            refuseAnchorAndTag(anchor: event.data.sequence_start.anchor, tag: event.data.sequence_start.tag,
                               at: position)
            return open(isMapping: false, at: position)
        case YAML_MAPPING_START_EVENT:
            refuseAnchorAndTag(anchor: event.data.mapping_start.anchor, tag: event.data.mapping_start.tag,
                               at: position)
            return open(isMapping: true, at: position)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else {
                preconditionFailure("libyaml sent an end event with no open container at \(position)")
            }
            let content: YAMLNode.Content = frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items)
            return add(YAMLNode(content: content, position: frame.position), counted: false)
        default:
            // YAML_NO_EVENT: libyaml sends it only after an error, which the loop has already handled.
            preconditionFailure("libyaml sent event type \(event.type.rawValue) at \(position)")
        }
    }

    private mutating func open(isMapping: Bool, at position: YAMLPosition) -> Step {
        if stack.count >= limits.maximumDepth {
            return .stopped(YAMLReader.problem(
                path, position, .tooDeep,
                "YAML nesting deeper than \(limits.maximumDepth) levels; a scenario nests a few levels at most"))
        }
        if let stop = count(at: position) { return stop }
        stack.append(Frame(isMapping: isMapping, position: position))
        return .goOn
    }

    private mutating func count(at position: YAMLPosition) -> Step? {
        nodeCount += 1
        if nodeCount > limits.maximumNodes {
            return .stopped(YAMLReader.problem(
                path, position, .tooDeep,
                "the file holds more than \(limits.maximumNodes) YAML values; a scenario needs far fewer"))
        }
        return nil
    }

    /// Puts a finished node into the open container, or makes it the root.
    private mutating func add(_ node: YAMLNode, counted: Bool = true) -> Step {
        if counted, let stop = count(at: node.position) { return stop }
        guard !stack.isEmpty else {
            root = node
            return .goOn
        }
        let top = stack.count - 1
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].entries.append(YAMLEntry(key: key, value: node))
            stack[top].pendingKey = nil
        } else {
            stack[top].pendingKey = node
        }
        return .goOn
    }

    private mutating func refuseAnchorAndTag(
        anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, at position: YAMLPosition
    ) {
        if let anchor {
            report(position, .unsupportedYAML,
                   "YAML anchors are not supported ('&\(Self.text(anchor))'); write the value out in full")
        }
        if let tag {
            report(position, .unsupportedYAML,
                   "YAML tags are not supported ('\(Self.text(tag))'); remove the tag")
        }
    }

    private mutating func report(_ position: YAMLPosition, _ kind: ScenarioProblem.Kind, _ message: String) {
        // One past the cap is enough for the decoder to say that more follow.
        guard problems.count <= limits.maximumProblems else { return }
        problems.append(YAMLReader.problem(path, position, kind, message))
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let pointer else { return "" }
        let full = String(cString: pointer)
        return String(ScenarioText.quoted(full).dropFirst().dropLast())
    }
}
