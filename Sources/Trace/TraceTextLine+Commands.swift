// MARK: - Commands, replies and outcomes in the text form

extension TraceTextLine {
    private static let leasePrefix = Array("lease:".utf8)

    /// The words of ``Command/traceText``.
    mutating func command() throws(TraceParseError) -> Command {
        let operation = try next("a command: `GET`, `SET`, `DEL` or `EVAL`")
        switch text(operation) {
        case "GET":
            return .get(key: try key())
        case "DEL":
            return .delete(key: try key())
        case "SET":
            let keyWord = try next("a key")
            let valueWord = try next("a value or a token")
            let unit = try next("`PX` (a lease acquire) or `EX` (a cache write)")
            switch text(unit) {
            case "PX":
                let key = try leaseKey(keyWord)
                let token = Token(try decodedString(valueWord, "a token"))
                let ttl = try integer(
                    try next("the lease TTL in milliseconds"), "the lease TTL in milliseconds (an integer)",
                    as: Int.self)
                try expect("NX")
                return .acquire(key: key, token: token, ttlMilliseconds: ttl)
            case "EX":
                let key = try decodedString(keyWord, "a key")
                let value = CacheValue(bytes: try decodedBytes(valueWord))
                return .set(key: key, value: value, ttlSeconds: try ttlSeconds())
            default:
                throw .unexpectedWord(
                    text(unit), expected: "`PX` (a lease acquire) or `EX` (a cache write)", at: location(of: unit))
            }
        case "EVAL":
            let script = try next("a script: `release` or `fenced-write`")
            switch text(script) {
            case "release":
                let key = try leaseKey(try next("a lease key, such as `lease:user:1`"))
                let token = Token(try decodedString(try next("a token"), "a token"))
                return .release(key: key, token: token)
            case "fenced-write":
                let key = try self.key()
                let leaseWord = try next("the lease key of the key")
                guard try leaseKey(leaseWord) == key else {
                    throw .unexpectedWord(
                        text(leaseWord), expected: "`\(TraceWord.render(Command.leaseKey(of: key)))`, the key's lease",
                        at: location(of: leaseWord))
                }
                let value = CacheValue(bytes: try decodedBytes(try next("a value")))
                let token = Token(try decodedString(try next("a token"), "a token"))
                return .fencedWrite(key: key, value: value, token: token, ttlSeconds: try ttlSeconds())
            default:
                throw .badCommand("EVAL " + text(script), at: location(of: operation))
            }
        default:
            throw .badCommand(text(operation), at: location(of: operation))
        }
    }

    /// A rendered lease key, `lease:<key>`, as the key it guards. Compared by bytes, so that a key starting with a
    /// combining character (which joins the `:` into one `Character`) still splits where it was joined.
    private func leaseKey(_ word: Range<Int>) throws(TraceParseError) -> String {
        let expected = "a lease key, such as `lease:user:1`"
        let bytes = try decodedBytes(word)
        guard bytes.starts(with: Self.leasePrefix),
            let key = String(validating: bytes.dropFirst(Self.leasePrefix.count), as: UTF8.self)
        else {
            throw .unexpectedWord(text(word), expected: expected, at: location(of: word))
        }
        return key
    }

    private mutating func ttlSeconds() throws(TraceParseError) -> Int {
        try integer(try next("the TTL in seconds"), "the TTL in seconds (an integer)", as: Int.self)
    }

    /// A word of ``Reply/traceText``, read by its shape (``ReplyWordShape``).
    mutating func reply() throws(TraceParseError) -> Reply {
        let word = try next("a reply, such as `OK`, `nil`, `v2` or `1`")
        switch ReplyWordShape(of: raw(word)) {
        case .null:
            return .null
        case .quotedBulk, .plainBulk:
            return .bulk(try decodedBytes(word))
        case .error:
            return .error(try wrapped(word, prefix: ReplyWordShape.errorPrefix, "an error message"))
        case .other:
            return .other(try wrapped(word, prefix: ReplyWordShape.otherPrefix, "a reply shape"))
        case .wrappedStatus:
            return .status(try wrapped(word, prefix: ReplyWordShape.statusPrefix, "a status"))
        case .integer:
            return .integer(
                try integer(word, "an integer reply that fits in 64 bits (a bulk of digits is quoted: `\"12\"`)"))
        case .status:
            return .status(text(word))
        }
    }

    /// The string inside `ERR(...)`, `OTHER(...)` or `STATUS(...)`: one rendered word, then `)`.
    private func wrapped(_ word: Range<Int>, prefix: [UInt8], _ expected: String) throws(TraceParseError)
        -> String
    {
        let raw = raw(word)
        let name = String(decoding: prefix, as: UTF8.self)
        guard raw.count > prefix.count + 1, raw.last == UInt8(ascii: ")") else {
            throw .unexpectedWord(
                text(word), expected: "`\(name)<\(expected)>)`, one word inside the parentheses",
                at: location(of: word))
        }
        return try decodedString(raw[(raw.startIndex + prefix.count)..<(raw.endIndex - 1)], expected)
    }

    /// The words of ``Outcome/description``.
    mutating func outcome() throws(TraceParseError) -> Outcome {
        let expected = "an outcome: `fresh`, `stale`, `miss` or `error`"
        let word = try next(expected)
        switch text(word) {
        case "fresh":
            let value = try self.value()
            guard hasNext else { return .fresh(value, leaseLost: false) }
            let flag = try next("`lease-lost`")
            guard text(flag) == "lease-lost" else {
                throw .unexpectedWord(
                    text(flag), expected: "`lease-lost` or the end of the line", at: location(of: flag))
            }
            return .fresh(value, leaseLost: true)
        case "stale":
            let value = try self.value()
            let expectedReason = TraceParseExpectations.staleReason
            let reasonWord = try next(expectedReason)
            guard let reason = StaleReason(rawValue: text(reasonWord)) else {
                throw .unexpectedWord(text(reasonWord), expected: expectedReason, at: location(of: reasonWord))
            }
            return .stale(value, reason)
        case "miss":
            return .miss
        case "error":
            let expectedReason = TraceParseExpectations.errorReason
            let reasonWord = try next(expectedReason)
            guard let reason = ErrorReason(rawValue: text(reasonWord)) else {
                throw .unexpectedWord(text(reasonWord), expected: expectedReason, at: location(of: reasonWord))
            }
            return .error(reason)
        default:
            throw .unexpectedWord(text(word), expected: expected, at: location(of: word))
        }
    }

    /// A value word: the bytes it renders.
    private mutating func value() throws(TraceParseError) -> CacheValue {
        CacheValue(bytes: try decodedBytes(try next("a value, such as `v2`")))
    }
}
