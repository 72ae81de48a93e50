/// A JSON value read from one line of JSON Lines, with where it starts, so that a problem in it is reported at
/// its own column.
struct JSONValue {
    /// What the value is.
    enum Content {
        /// An object's fields, in the order written.
        case object([Field])
        /// An array's elements.
        case array([JSONValue])
        /// A string.
        case string(String)
        /// A number, as written, so that integers are read exactly.
        case number(String)
        /// `true` or `false`.
        case bool(Bool)
        /// `null`.
        case null
    }

    /// One field of an object: its name, where the name starts (for an unknown field), and its value.
    struct Field {
        var name: String
        var nameOffset: Int
        var value: JSONValue
    }

    var content: Content
    /// The value's first byte, as an index into the line's bytes.
    var offset: Int

    /// The kind of value, for "holds a string; expected an integer" messages.
    var kindDescription: String {
        switch content {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number(let literal): return "the number \(literal)"
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// Reads one JSON value (RFC 8259) from a line's bytes.
///
/// Strict where it matters: no trailing commas, no comments, no control characters inside strings, no lone
/// surrogates (a Swift `String` cannot hold them). Nesting is bounded by ``depthMax``.
struct JSONReader {
    /// Why the line is not JSON, where (an index into the bytes), and what would be right.
    struct Failure: Error {
        var offset: Int
        var problem: String
        var expected: String
    }

    /// Deeper nesting than a trace ever needs (three levels) is refused before it can exhaust the stack.
    static let depthMax = 16

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int

    /// Reads the one value that `bytes[range]` holds, with only whitespace around it.
    static func read(_ bytes: [UInt8], _ range: Range<Int>) -> Result<JSONValue, Failure> {
        var reader = JSONReader(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        do throws(Failure) {
            let value = try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.index == reader.end else {
                throw reader.failure("text after the object", expected: "one JSON object per line")
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    private init(bytes: [UInt8], index: Int, end: Int) {
        self.bytes = bytes
        self.index = index
        self.end = end
    }

    private func failure(_ problem: String, expected: String) -> Failure {
        Failure(offset: index, problem: problem, expected: expected)
    }

    /// "the line ends early" at the end, else the character found: what a reader of the message needs to see.
    private func unexpected(expected: String) -> Failure {
        guard index < end else { return failure("the line ends early", expected: expected) }
        let scalar = String(decoding: bytes[index..<min(index + 4, end)], as: UTF8.self).unicodeScalars.first ?? "?"
        let isControl = scalar.value < 0x20 || scalar.value == 0x7F
        let shown = isControl ? "U+" + String(scalar.value, radix: 16, uppercase: true) : String(scalar)
        return failure("unexpected `\(shown)`", expected: expected)
    }

    private var current: UInt8? { index < end ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        skipWhitespace()
        let start = index
        guard let byte = current else {
            throw unexpected(expected: "a value")
        }
        switch byte {
        case UInt8(ascii: "{"):
            guard depth < Self.depthMax else { throw failure("nesting too deep", expected: "a flat trace event") }
            return JSONValue(content: .object(try object(depth: depth)), offset: start)
        case UInt8(ascii: "["):
            guard depth < Self.depthMax else { throw failure("nesting too deep", expected: "a flat trace event") }
            return JSONValue(content: .array(try array(depth: depth)), offset: start)
        case UInt8(ascii: "\""):
            return JSONValue(content: .string(try string()), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(content: .number(try number()), offset: start)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONValue(content: .bool(true), offset: start)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONValue(content: .bool(false), offset: start)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONValue(content: .null, offset: start)
        default:
            throw unexpected(expected: "a value (an object, string, number, true, false or null)")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for expected in word.utf8 {
            guard current == expected else { throw unexpected(expected: "`\(word)`") }
            index += 1
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> [JSONValue.Field] {
        index += 1  // {
        var fields: [JSONValue.Field] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return fields
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw unexpected(expected: "a field name in double quotes")
            }
            let nameOffset = index
            let name = try string()
            if fields.contains(where: { $0.name == name }) {
                throw Failure(
                    offset: nameOffset, problem: "field \"\(name)\" appears twice", expected: "each field once")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw unexpected(expected: "`:`") }
            index += 1
            fields.append(JSONValue.Field(name: name, nameOffset: nameOffset, value: try value(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return fields
            default:
                throw unexpected(expected: "`,` or `}`")
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> [JSONValue] {
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return elements
            default:
                throw unexpected(expected: "`,` or `]`")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        let start = index
        index += 1  // "
        var scalars = String.UnicodeScalarView()
        var runStart = index
        // Runs of unescaped bytes are copied whole; the line came from a `String`, so they are UTF-8.
        func flush(_ reader: JSONReader, upTo end: Int) {
            scalars.append(contentsOf: String(decoding: reader.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                flush(self, upTo: index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self, upTo: index)
                scalars.append(try escape())
                runStart = index
            case 0x00..<0x20:
                throw failure("a raw control character in a string", expected: "an escape such as `\\n` or `\\u0000`")
            default:
                index += 1
            }
        }
        throw Failure(offset: start, problem: "a string that is never closed", expected: "a closing `\"`")
    }

    /// One escape after `\`, leaving `index` after it.
    private mutating func escape() throws(Failure) -> Unicode.Scalar {
        let start = index
        index += 1  // backslash
        guard let byte = current else { throw failure("the line ends early", expected: "an escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4(escapeStart: start)
            if (0xD800..<0xDC00).contains(first) {
                guard current == UInt8(ascii: "\\"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw Self.loneSurrogate(at: start)
                }
                let secondStart = index
                index += 2
                let second = try hex4(escapeStart: secondStart)
                guard (0xDC00..<0xE000).contains(second) else { throw Self.loneSurrogate(at: start) }
                return Unicode.Scalar(0x10000 + (first - 0xD800) << 10 + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw Self.loneSurrogate(at: start) }
            return scalar
        default:
            throw Failure(
                offset: start, problem: "an unknown escape",
                expected: "one of `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t`, `\\uXXXX`")
        }
    }

    private static func loneSurrogate(at offset: Int) -> Failure {
        Failure(offset: offset, problem: "a lone surrogate", expected: "a surrogate pair `\\uD8xx\\uDCxx`")
    }

    private mutating func hex4(escapeStart: Int) throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else {
                throw Failure(offset: escapeStart, problem: "a short `\\u` escape", expected: "four hex digits")
            }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw Failure(offset: escapeStart, problem: "a bad `\\u` escape", expected: "four hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// A number's literal text, checked against JSON's grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func number() throws(Failure) -> String {
        let start = index
        let expected = "a JSON number, such as `12` or `-3`"
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, Self.isDigit(first) else { throw failure("a bad number", expected: expected) }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let digit = current, Self.isDigit(digit) else { throw failure("a bad number", expected: expected) }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw failure("a bad number", expected: expected) }
            skipDigits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
