import LeaseCore

/// Writes a command's RESP into a buffer the connection reuses: LeaseCache's way of sending a command, with no
/// array per argument and no argv for hiredis to format (``RedisConnection/append(formatted:name:)``).
///
/// The arguments come from ``Command/writeRedisArguments(keyPrefix:into:)``, the same walk that gives the argv
/// form, and a test checks the bytes against hiredis's own `redisFormatCommandArgv` for every command.
struct RESPEncoder: RedisArgumentSink {
    /// The RESP of the command written last.
    private(set) var bytes: [UInt8] = []
    /// Its first argument (the command's verb), for errors.
    private(set) var name = ""
    private var remaining = 0

    /// Forgets the last command, keeping the storage.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        name = ""
        remaining = 0
    }

    mutating func begin(count: Int) {
        assert(remaining == 0, "RESPEncoder: a command begun before the last one ended")
        remaining = count
        bytes.append(UInt8(ascii: "*"))
        appendDigits(count)
        appendLineEnd()
    }

    mutating func text(_ first: String, _ second: String, _ third: String) {
        if name.isEmpty { name = first }
        header(length: first.utf8.count + second.utf8.count + third.utf8.count)
        appendUTF8(of: first)
        appendUTF8(of: second)
        appendUTF8(of: third)
        appendLineEnd()
    }

    /// Appends the UTF-8 of `text` from its storage: `append(contentsOf: text.utf8)` retained and released the
    /// string's storage per argument (a prefixed key is too long to be stored inline), twice per command.
    private mutating func appendUTF8(of text: String) {
        let appended: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if appended == nil { bytes.append(contentsOf: text.utf8) }
    }

    mutating func bytes(_ argument: [UInt8]) {
        header(length: argument.count)
        bytes.append(contentsOf: argument)
        appendLineEnd()
    }

    mutating func number(_ value: Int) {
        // Decimal digits, as `String(value)` would give, without the string.
        header(length: Self.decimalLength(value.magnitude) + (value < 0 ? 1 : 0))
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
        appendLineEnd()
    }

    private mutating func header(length: Int) {
        assert(remaining > 0, "RESPEncoder: more arguments than the command's count")
        remaining -= 1
        bytes.append(UInt8(ascii: "$"))
        appendDigits(length)
        appendLineEnd()
    }

    private mutating func appendDigits(_ value: Int) {
        assert(value >= 0, "RESPEncoder: a negative count or length")
        appendDecimal(value.magnitude)
    }

    /// The number of decimal digits of `value`.
    private static func decimalLength(_ value: UInt) -> Int {
        var length = 1
        var rest = value / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        return length
    }

    private mutating func appendDecimal(_ value: UInt) {
        let length = Self.decimalLength(value)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: length))
        var rest = value
        for position in stride(from: start + length - 1, through: start, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    private mutating func appendLineEnd() {
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }
}
