import LeaseCore

/// Writes a command's RESP into a buffer the connection reuses: LeaseCache's way of sending a command, with no
/// array per argument and no argv for hiredis to format (``RedisConnection/append(formatted:name:)``).
///
/// The arguments come from ``Command/writeRedisArguments(keyPrefix:into:)``, the same walk that gives the argv
/// form, and a test checks the bytes against hiredis's own `redisFormatCommandArgv` for every command.
///
/// A class over a raw buffer rather than a struct over an array: writing a command was some 8 % of a stress loop's
/// user CPU, spent mostly in the array's uniqueness and capacity checks on each of some twenty appends per command
/// (a byte, a line end, a digit at a time). Each argument now reserves room once and stores its bytes directly.
final class RESPEncoder: RedisArgumentSink {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes the command written last takes, from the buffer's start.
    private(set) var count = 0
    /// Its first argument (the command's verb), for errors.
    private(set) var name = ""
    private var remaining = 0

    init(capacity: Int = 256) {
        precondition(capacity > 0, "RESPEncoder: a capacity of \(capacity)")
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
    }

    /// The RESP of the command written last.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: buffer, count: count))
    }

    /// Runs `body` with the RESP of the command written last, valid only during the call.
    func withBytes<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        try body(UnsafeRawBufferPointer(start: buffer, count: count))
    }

    /// Forgets the last command, keeping the storage.
    func reset() {
        count = 0
        name = ""
        remaining = 0
    }

    func begin(count arguments: Int) {
        assert(remaining == 0, "RESPEncoder: a command begun before the last one ended")
        remaining = arguments
        reserve(1 + Self.digitsMaximum + 2)
        store(UInt8(ascii: "*"))
        storeDecimal(UInt(arguments))
        storeLineEnd()
    }

    func text(_ first: String, _ second: String, _ third: String) {
        if name.isEmpty { name = first }
        let length = first.utf8.count + second.utf8.count + third.utf8.count
        header(length: length, then: length + 2)
        store(first)
        store(second)
        store(third)
        storeLineEnd()
    }

    func bytes(_ argument: [UInt8]) {
        header(length: argument.count, then: argument.count + 2)
        argument.withUnsafeBufferPointer { store($0) }
        storeLineEnd()
    }

    func number(_ value: Int) {
        // Decimal digits, as `String(value)` would give, without the string.
        let digits = Self.decimalLength(value.magnitude)
        let length = digits + (value < 0 ? 1 : 0)
        header(length: length, then: length + 2)
        if value < 0 { store(UInt8(ascii: "-")) }
        storeDecimal(value.magnitude, digits: digits)
        storeLineEnd()
    }

    // MARK: - Internals

    /// An argument's `$<length>\r\n`, with room reserved for it and for the `body` bytes that follow.
    private func header(length: Int, then body: Int) {
        assert(remaining > 0, "RESPEncoder: more arguments than the command's count")
        assert(length >= 0, "RESPEncoder: a negative length")
        remaining -= 1
        reserve(1 + Self.digitsMaximum + 2 + body)
        store(UInt8(ascii: "$"))
        storeDecimal(UInt(length))
        storeLineEnd()
    }

    /// The most decimal digits of a `UInt`.
    private static let digitsMaximum = 20

    /// Makes room for `extra` more bytes.
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(capacity * 2, count + extra)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = larger
        capacity = grown
    }

    // Every store below is within room reserved just before (checked in debug builds).

    private func store(_ byte: UInt8) {
        assert(count < capacity, "RESPEncoder: a store past the reserved room")
        buffer[count] = byte
        count += 1
    }

    private func store(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        assert(count + bytes.count <= capacity, "RESPEncoder: a store past the reserved room")
        (buffer + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// The UTF-8 of `text`, from its storage (a copy of a small string's bytes on the stack).
    private func store(_ text: String) {
        guard !text.isEmpty else { return }
        let stored: Void? = text.utf8.withContiguousStorageIfAvailable { store($0) }
        if stored == nil {
            for byte in text.utf8 { store(byte) }
        }
    }

    private func storeLineEnd() {
        store(UInt8(ascii: "\r"))
        store(UInt8(ascii: "\n"))
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

    /// `value`'s decimal digits (`digits` of them, when the caller has counted them), written from the last.
    private func storeDecimal(_ value: UInt, digits: Int? = nil) {
        let length = digits ?? Self.decimalLength(value)
        assert(length == Self.decimalLength(value), "RESPEncoder: \(value) counted as \(length) digits")
        assert(count + length <= capacity, "RESPEncoder: a store past the reserved room")
        var rest = value
        var position = count + length - 1
        while position >= count {
            buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            position -= 1
        }
        count += length
    }
}
