/// Words of the text form: how bytes and strings become single words, and back.
///
/// A word is plain (printable ASCII without space, `"` or `\`) or double-quoted with `\"`, `\\` and `\xNN`
/// escapes: exactly ``CacheValue/render(_:)``, so values, tokens and keys all read the same way, and a line always
/// splits back into the same words.
enum TraceWord {
    /// A string (a key, a token, a reason) as one word: its UTF-8 bytes rendered like a value.
    static func render(_ text: String) -> String {
        CacheValue.render(Array(text.utf8))
    }

    /// Bytes as one quoted word, even when they would read plain: for words that would otherwise be taken for
    /// something else (a bulk reply `"OK"` beside the status `OK`).
    static func quoted(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                text += "\\x"
                text.unicodeScalars.append(hexDigit(byte >> 4))
                text.unicodeScalars.append(hexDigit(byte & 0x0F))
            }
        }
        return text + "\""
    }

    private static func hexDigit(_ nibble: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
    }

    /// Why a word does not decode, and where in the word (a byte offset from its start).
    struct Failure: Error {
        var offset: Int
        var problem: String
    }

    /// The bytes a word stands for: the inverse of ``CacheValue/render(_:)`` and ``quoted(_:)``.
    ///
    /// A plain word is its own bytes (any bytes but space, `"` and `\`, so a hand-written UTF-8 word reads too).
    static func decode(_ word: ArraySlice<UInt8>) -> Result<[UInt8], Failure> {
        guard let first = word.first else { return .success([]) }
        let start = word.startIndex
        guard first == UInt8(ascii: "\"") else {
            if let bad = word.firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                return .failure(Failure(offset: bad - start, problem: "a `\"` or `\\` inside an unquoted word"))
            }
            return .success(Array(word))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.count)
        var index = word.index(after: start)
        while index < word.endIndex {
            let byte = word[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard index == word.index(before: word.endIndex) else {
                    return .failure(Failure(offset: index + 1 - start, problem: "text after the closing quote"))
                }
                return .success(bytes)
            case UInt8(ascii: "\\"):
                let escape = index + 1
                guard escape < word.endIndex else {
                    return .failure(Failure(offset: index - start, problem: "a `\\` at the end of the word"))
                }
                switch word[escape] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    bytes.append(word[escape])
                    index = escape + 1
                case UInt8(ascii: "x"):
                    guard escape + 2 < word.endIndex, let high = hexValue(word[escape + 1]),
                        let low = hexValue(word[escape + 2])
                    else {
                        return .failure(Failure(offset: index - start, problem: "`\\x` without two hex digits"))
                    }
                    bytes.append(high << 4 | low)
                    index = escape + 3
                default:
                    return .failure(Failure(offset: index - start, problem: "an unknown escape"))
                }
            default:
                bytes.append(byte)
                index += 1
            }
        }
        return .failure(Failure(offset: 0, problem: "a quote that is never closed"))
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Splits a line into words: runs of bytes between spaces, where a quoted part (`"..."` with `\` escapes) may
    /// hold spaces, as in `ERR("WRONGTYPE Operation")`. Returns the word ranges, or the offset of a quote that is
    /// never closed.
    static func split(_ line: ArraySlice<UInt8>) -> Result<[Range<Int>], Failure> {
        var words: [Range<Int>] = []
        var index = line.startIndex
        while index < line.endIndex {
            if line[index] == UInt8(ascii: " ") {
                index += 1
                continue
            }
            let start = index
            var quoteStart: Int? = nil
            while index < line.endIndex {
                let byte = line[index]
                if let _ = quoteStart {
                    if byte == UInt8(ascii: "\\") {
                        index += 2
                        continue
                    }
                    if byte == UInt8(ascii: "\"") { quoteStart = nil }
                } else if byte == UInt8(ascii: " ") {
                    break
                } else if byte == UInt8(ascii: "\"") {
                    quoteStart = index
                }
                index += 1
            }
            if let quoteStart {
                return .failure(Failure(offset: quoteStart - line.startIndex, problem: "a quote that is never closed"))
            }
            index = min(index, line.endIndex)
            words.append(start..<index)
        }
        return .success(words)
    }
}
