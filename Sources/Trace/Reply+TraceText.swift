/// The reply word of the text form, which must read back as the same reply.
///
/// ``Reply/description`` alone is ambiguous: the bulk `OK` prints like the status `OK`, the bulk `nil` like the
/// nil reply, the bulk `12` like the integer 12, and a status with a space splits into two words. The text form
/// therefore reads a reply word by its look, in this order (``ReplyWordShape``):
///
/// 1. `nil` is the nil reply;
/// 2. a word starting with `"` is a bulk (quoted, with ``CacheValue/render(_:)``'s escapes);
/// 3. `ERR(...)`, `OTHER(...)` and `STATUS(...)` are an error, another shape, and a status that is not a status
///    word, each holding one rendered word;
/// 4. `-` and digits, or digits, is an integer;
/// 5. an uppercase letter followed by uppercase letters, digits, `_` or `-` is a status word (`OK`, `QUEUED`);
/// 6. anything else is a bulk, plainly written.
///
/// and ``Reply/traceText`` writes every reply so that it reads back this way: a bulk whose plain form would look
/// like rules 1 to 5 is quoted (`"OK"`, `"nil"`, `"12"`), and a status that is not a status word is wrapped
/// (`STATUS("Background saving started")`). Everything the protocol sees in practice (`OK`, `nil`, `v3`, `w1.1`,
/// `1`) prints exactly as ``Reply/description`` does.
extension Reply {
    /// The reply as one word of the text form (see the extension's comment for when it differs from
    /// ``description``).
    public var traceText: String {
        switch self {
        case .status(let text):
            return ReplyWordShape(of: text.utf8) == .status ? text : "STATUS(" + TraceWord.render(text) + ")"
        case .null:
            return "nil"
        case .bulk(let bytes):
            let plain = CacheValue.render(bytes)
            switch ReplyWordShape(of: plain.utf8) {
            case .plainBulk, .quotedBulk: return plain
            case .null, .error, .other, .wrappedStatus, .integer, .status: return TraceWord.quoted(bytes)
            }
        case .integer, .error, .other:
            return description
        }
    }
}

/// The shape of a reply word by its look alone: the text form's reply grammar (see ``Reply/traceText``).
enum ReplyWordShape: Hashable, Sendable {
    /// `nil`.
    case null
    /// `"..."`: a bulk, quoted.
    case quotedBulk
    /// `ERR(...)`.
    case error
    /// `OTHER(...)`.
    case other
    /// `STATUS(...)`: a status that is not a status word.
    case wrappedStatus
    /// `-?[0-9]+`.
    case integer
    /// `[A-Z][A-Z0-9_-]*`.
    case status
    /// Anything else: a bulk, plainly written.
    case plainBulk

    static let errorPrefix = Array("ERR(".utf8)
    static let otherPrefix = Array("OTHER(".utf8)
    static let statusPrefix = Array("STATUS(".utf8)

    init<Bytes: Collection<UInt8>>(of word: Bytes) {
        if word.elementsEqual("nil".utf8) {
            self = .null
        } else if word.first == UInt8(ascii: "\"") {
            self = .quotedBulk
        } else if word.starts(with: Self.errorPrefix) {
            self = .error
        } else if word.starts(with: Self.otherPrefix) {
            self = .other
        } else if word.starts(with: Self.statusPrefix) {
            self = .wrappedStatus
        } else if Self.isInteger(word) {
            self = .integer
        } else if Self.isStatusWord(word) {
            self = .status
        } else {
            self = .plainBulk
        }
    }

    private static func isInteger<Bytes: Collection<UInt8>>(_ word: Bytes) -> Bool {
        let digits = word.first == UInt8(ascii: "-") ? word.dropFirst() : word[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func isStatusWord<Bytes: Collection<UInt8>>(_ word: Bytes) -> Bool {
        guard let first = word.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { return false }
        return word.dropFirst().allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
