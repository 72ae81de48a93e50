/// A position in a scenario file: line and column, both from 1 (libyaml's marks are 0-based).
struct YAMLPosition: Hashable, Sendable, CustomStringConvertible {
    /// The line, from 1.
    var line: Int
    /// The column, from 1, in characters.
    var column: Int

    /// The start of the file, for problems about the file as a whole.
    static let start = YAMLPosition(line: 1, column: 1)

    var description: String {
        "\(line):\(column)"
    }
}

/// One node of a scenario file's YAML, with where it starts: the reader's output and the decoder's input.
///
/// A tree of plain values rather than libyaml's document API, so the decoder never touches C memory and every
/// value keeps its position for problem messages. Mapping entries stay a list in file order (never a
/// `Dictionary`), so decoding and its messages follow the file.
struct YAMLNode: Sendable {
    /// What the node holds.
    enum Content: Sendable {
        /// A scalar's text; `plain` when unquoted and not a block scalar (only plain text can mean null).
        case scalar(String, plain: Bool)
        /// A sequence's items, in order.
        case sequence([YAMLNode])
        /// A mapping's entries, in file order.
        case mapping([YAMLEntry])
        /// A node the reader refused (an alias) and already reported; the decoder skips it without a second
        /// problem.
        case refused
    }

    /// What the node holds.
    var content: Content
    /// Where the node starts.
    var position: YAMLPosition

    /// Whether the node is YAML's null: an empty plain scalar, `~` or `null`.
    var isNull: Bool {
        if case .scalar(let text, plain: true) = content {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// How a message names what the node is: `a mapping`, `a sequence`, `nothing`, or the quoted scalar.
    var shown: String {
        switch content {
        case .scalar(let text, _):
            return isNull ? "nothing" : ScenarioText.quoted(text)
        case .sequence:
            return "a sequence"
        case .mapping:
            return "a mapping"
        case .refused:
            return "an alias"
        }
    }
}

/// One `key: value` of a mapping.
struct YAMLEntry: Sendable {
    /// The key node (the decoder requires a scalar).
    var key: YAMLNode
    /// The value node.
    var value: YAMLNode
}
