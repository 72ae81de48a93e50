/// A trace file (text or JSON Lines) that does not read back as events.
///
/// A public `struct` wrapping a private enum (STYLE.md rule 8), so cases can grow without breaking callers. Its
/// ``description`` is the one line a user sees: `source:line:column: what is wrong; what would be right`. Lines and
/// columns count from 1; a column counts characters, so it matches what an editor shows.
public struct TraceParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name (or other label) the caller passed as `source`.
    public let source: String
    /// The line of the problem, from 1.
    public let line: Int
    /// The column of the problem, from 1, in characters.
    public let column: Int
    private let problem: Problem

    private enum Problem: Hashable, Sendable {
        /// A text line's time is not `<ms>.<three digits>`.
        case badTime(found: String)
        /// The actor word is not `w<n>`, `server` or a writer name.
        case unknownActor(found: String)
        /// The event name is not one of ``EventKind/name``.
        case unknownEvent(found: String)
        /// The command's first words are not a command of the protocol.
        case badCommand(found: String)
        /// A word is there but is not what belongs at that place.
        case unexpectedWord(found: String, expected: String)
        /// The line ends before a word that belongs to the event.
        case missingWord(expected: String)
        /// A quoted word does not decode (an unterminated quote, a bad escape).
        case badQuotedWord(problem: String)
        /// A JSON line is not well-formed JSON.
        case badJSON(problem: String, expected: String)
        /// A JSON object lacks a field its event, command, reply or outcome needs.
        case missingField(name: String, object: String, expected: String)
        /// A JSON field holds the wrong kind of value.
        case wrongType(field: String, found: String, expected: String)
        /// A JSON field that no object of this kind has.
        case unknownField(name: String, object: String, expected: String)
    }

    private init(source: String, line: Int, column: Int, problem: Problem) {
        self.source = source
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// What is wrong and what would be right, without the location.
    public var message: String {
        switch problem {
        case .badTime(let found):
            return "bad time \(Self.quote(found)); expected milliseconds with three decimals, such as `12.345`"
        case .unknownActor(let found):
            return "unknown actor \(Self.quote(found)); expected `w<n>` (n from 1), `server`, or a writer name of "
                + "letters, digits, `-` and `_`"
        case .unknownEvent(let found):
            return "unknown event \(Self.quote(found)); expected one of "
                + Self.eventNames.joined(separator: ", ")
        case .badCommand(let found):
            return "unknown command \(Self.quote(found)); expected `GET`, `SET`, `DEL`, `EVAL release` or "
                + "`EVAL fenced-write`"
        case .unexpectedWord(let found, let expected):
            return "unexpected \(Self.quote(found)); expected \(expected)"
        case .missingWord(let expected):
            return "the line ends early; expected \(expected)"
        case .badQuotedWord(let problem):
            return "\(problem); a quoted word is `\"...\"` with only `\\\"`, `\\\\` and `\\xNN` escapes"
        case .badJSON(let problem, let expected):
            return "bad JSON: \(problem); expected \(expected)"
        case .missingField(let name, let object, let expected):
            return "\(object) has no field \"\(name)\"; expected \(expected)"
        case .wrongType(let field, let found, let expected):
            return "field \"\(field)\" holds \(found); expected \(expected)"
        case .unknownField(let name, let object, let expected):
            return "\(object) has an unknown field \"\(name)\"; expected only \(expected)"
        }
    }

    public var description: String {
        "\(source):\(line):\(column): \(message)"
    }

    /// The event names in the order of DESIGN.md's table, for the unknown-event message.
    private static let eventNames = [
        "call", "exec", "reply-lost", "command-timeout", "connection-lost", "load-start", "load-end", "load-fail",
        "origin-timeout", "pause", "resume", "write", "expire", "restart", "return",
    ]

    /// Backticks around what was found, shortened so that one bad word cannot make the line unreadable.
    private static func quote(_ found: String) -> String {
        let limit = 60
        if found.count <= limit { return "`\(found)`" }
        return "`\(found.prefix(limit))...`"
    }
}

// MARK: - Construction

/// Where a problem is: what the readers carry around until they have something to report.
struct TraceParseLocation: Sendable {
    var source: String
    var line: Int
    var column: Int

    init(source: String, line: Int, column: Int) {
        self.source = source
        self.line = line
        self.column = column
    }

    /// The location of `bytes[offset]` on a line starting at `bytes[lineStart]`: the column counts the characters
    /// before it, as an editor does.
    init(source: String, line: Int, bytes: [UInt8], lineStart: Int, offset: Int) {
        let before = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        self.init(source: source, line: line, column: before.count + 1)
    }
}

extension TraceParseError {
    static func badTime(_ found: String, at location: TraceParseLocation) -> TraceParseError {
        TraceParseError(location, .badTime(found: found))
    }

    static func unknownActor(_ found: String, at location: TraceParseLocation) -> TraceParseError {
        TraceParseError(location, .unknownActor(found: found))
    }

    static func unknownEvent(_ found: String, at location: TraceParseLocation) -> TraceParseError {
        TraceParseError(location, .unknownEvent(found: found))
    }

    static func badCommand(_ found: String, at location: TraceParseLocation) -> TraceParseError {
        TraceParseError(location, .badCommand(found: found))
    }

    static func unexpectedWord(_ found: String, expected: String, at location: TraceParseLocation)
        -> TraceParseError
    {
        TraceParseError(location, .unexpectedWord(found: found, expected: expected))
    }

    static func missingWord(expected: String, at location: TraceParseLocation) -> TraceParseError {
        TraceParseError(location, .missingWord(expected: expected))
    }

    static func badQuotedWord(_ problem: String, at location: TraceParseLocation) -> TraceParseError {
        TraceParseError(location, .badQuotedWord(problem: problem))
    }

    static func badJSON(_ problem: String, expected: String, at location: TraceParseLocation) -> TraceParseError {
        TraceParseError(location, .badJSON(problem: problem, expected: expected))
    }

    static func missingField(_ name: String, in object: String, expected: String, at location: TraceParseLocation)
        -> TraceParseError
    {
        TraceParseError(location, .missingField(name: name, object: object, expected: expected))
    }

    static func wrongType(field: String, found: String, expected: String, at location: TraceParseLocation)
        -> TraceParseError
    {
        TraceParseError(location, .wrongType(field: field, found: found, expected: expected))
    }

    static func unknownField(_ name: String, in object: String, expected: String, at location: TraceParseLocation)
        -> TraceParseError
    {
        TraceParseError(location, .unknownField(name: name, object: object, expected: expected))
    }

    private init(_ location: TraceParseLocation, _ problem: Problem) {
        self.init(source: location.source, line: location.line, column: location.column, problem: problem)
    }
}
