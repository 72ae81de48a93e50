/// A value as Redis stores it: bytes, binary-safe.
///
/// The simulator and the model use symbolic values `v<version>` (DESIGN.md "Traces"); a production service stores
/// whatever its origin returns. Both are bytes here, so the one LeaseCore serves both.
public struct CacheValue: Hashable, Sendable, CustomStringConvertible {
    /// The bytes Redis holds.
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// The symbolic value of a source version: `v<version>`.
    public init(version: Int) {
        self.init("v\(version)")
    }

    /// The version of a symbolic value `v<version>`, or `nil` for any other bytes.
    public var version: Int? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "v") else { return nil }
        var result = 0
        for byte in bytes.dropFirst() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            result = sum
        }
        return result
    }

    /// The bytes as text when they are printable UTF-8 without spaces, else quoted with escapes, so that a trace
    /// line always splits back into the same words.
    public var description: String {
        Self.render(bytes)
    }

    /// Renders bytes as one trace word (see ``description``).
    public static func render(_ bytes: [UInt8]) -> String {
        let plain = !bytes.isEmpty && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain {
            return String(decoding: bytes, as: UTF8.self)
        }
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text + "\""
    }
}
