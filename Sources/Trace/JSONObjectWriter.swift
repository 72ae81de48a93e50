/// Writes one JSON object, fields in the order they are added: a trace's JSON Lines keep a fixed key order and
/// byte-for-byte stable output, which a general encoder over dictionaries would not promise.
///
/// Strings are written with `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f` and `\u00xx` for the other control characters
/// and DEL; everything else, non-ASCII included, is written as its UTF-8.
struct JSONObjectWriter {
    private var text = "{"
    private var isEmpty = true

    /// The object, closed.
    var finished: String { text + "}" }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        Self.appendQuoted(value, to: &text)
    }

    mutating func integer<Integer: BinaryInteger>(_ name: String, _ value: Integer) {
        key(name)
        text += String(value)
    }

    mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// Bytes as a JSON string when they are UTF-8, else as `{"base64":"..."}`: readable for the values traces
    /// hold, and exact for any bytes.
    mutating func bytes(_ name: String, _ value: [UInt8]) {
        if let decoded = String(validating: value, as: UTF8.self) {
            string(name, decoded)
        } else {
            var wrapper = JSONObjectWriter()
            wrapper.string("base64", Base64.encode(value))
            object(name, wrapper)
        }
    }

    mutating func object(_ name: String, _ value: JSONObjectWriter) {
        key(name)
        text += value.finished
    }

    private mutating func key(_ name: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        Self.appendQuoted(name, to: &text)
        text += ":"
    }

    static func appendQuoted(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
