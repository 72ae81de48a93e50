// MARK: - Reading the text form

extension TraceText {
    /// The events of a text-form trace: the exact inverse of ``format(_:)``.
    ///
    /// Blank lines and lines whose first non-space character is `#` are skipped; a line may end with `\r\n` (a
    /// checkout with Windows line ends), since a rendered word never holds a raw `\r`. Words may be separated by
    /// any number of spaces, so a hand-aligned line reads too. The first problem ends the parse, reported as
    /// `source:line:column: what is wrong; what would be right`.
    public static func parse(_ text: String, source: String) throws(TraceParseError) -> [TraceEvent] {
        let bytes = Array(text.utf8)
        var events: [TraceEvent] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var lineEnd = newline
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            defer { lineStart = newline + 1 }
            guard let first = bytes[lineStart..<lineEnd].firstIndex(where: { $0 != UInt8(ascii: " ") }),
                bytes[first] != UInt8(ascii: "#")
            else { continue }
            var line = try TraceTextLine(
                source: source, lineNumber: lineNumber, bytes: bytes, range: lineStart..<lineEnd)
            events.append(try event(&line))
        }
        return events
    }

    /// One event line: time, actor, name, content, and nothing after.
    static func event(_ line: inout TraceTextLine) throws(TraceParseError) -> TraceEvent {
        let timeWord = try line.next("the time in milliseconds, such as `12.345`")
        guard let time = microseconds(line.raw(timeWord)) else {
            throw .badTime(line.text(timeWord), at: line.location(of: timeWord))
        }
        let actorWord = try line.next("the actor (`w<n>`, `server` or a writer's name)")
        guard let actor = Actor(parsing: line.text(actorWord)) else {
            throw .unknownActor(line.text(actorWord), at: line.location(of: actorWord))
        }
        let kind = try eventKind(&line)
        try line.end()
        return TraceEvent(timeMicroseconds: time, actor: actor, kind: kind)
    }

    /// The event name and its content words.
    private static func eventKind(_ line: inout TraceTextLine) throws(TraceParseError) -> EventKind {
        let nameWord = try line.next("the event name, such as `exec`")
        switch line.text(nameWord) {
        case "call":
            let key = try line.key()
            let call = try line.integer(try line.next("the call number"), "the call number (an integer)", as: Int.self)
            return .call(key: key, call: call)
        case "exec":
            let command = try line.command()
            try line.expect("->")
            return .exec(command, try line.reply())
        case "reply-lost":
            return .replyLost(try line.command())
        case "command-timeout":
            return .commandTimeout(try line.command())
        case "connection-lost":
            return .connectionLost(try line.command())
        case "load-start":
            return .loadStart(key: try line.key(), version: try line.version())
        case "load-end":
            return .loadEnd(key: try line.key(), version: try line.version())
        case "load-fail":
            let key = try line.key()
            let reasonWord = try line.next("the reason the origin failed")
            return .loadFail(key: key, reason: try line.decodedString(reasonWord, "the reason the origin failed"))
        case "origin-timeout":
            return .originTimeout(key: try line.key())
        case "pause":
            return .pause(try line.pausePoint())
        case "resume":
            return .resume(try line.pausePoint())
        case "write":
            return .write(key: try line.key(), version: try line.version())
        case "expire":
            return .expire(key: try line.key())
        case "restart":
            return .restart
        case "return":
            return .return(try line.outcome())
        default:
            throw .unknownEvent(line.text(nameWord), at: line.location(of: nameWord))
        }
    }

    /// `<ms>.<three digits>` (with an optional `-`) as microseconds, or `nil` when it is not that or does not fit.
    static func microseconds(_ word: ArraySlice<UInt8>) -> Int64? {
        let negative = word.first == UInt8(ascii: "-")
        let body = negative ? word.dropFirst() : word
        guard let dot = body.firstIndex(of: UInt8(ascii: ".")), dot > body.startIndex, body.endIndex - dot == 4
        else { return nil }
        // With exactly three decimals, the digits without the dot are the microseconds.
        var magnitude: UInt64 = 0
        for index in body.indices where index != dot {
            let byte = body[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflow || overflow2 { return nil }
            magnitude = sum
        }
        if negative {
            guard magnitude <= Int64.min.magnitude else { return nil }
            return magnitude == Int64.min.magnitude ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}

// MARK: - Content words

extension TraceTextLine {
    /// A key word: a rendered string.
    mutating func key() throws(TraceParseError) -> String {
        try decodedString(try next("a key"), "a key")
    }

    /// A version word: `v<n>`.
    mutating func version() throws(TraceParseError) -> Int {
        let word = try next("a version, such as `v2`")
        let raw = raw(word)
        guard raw.first == UInt8(ascii: "v"), let version: Int = Self.decimal(raw.dropFirst()) else {
            throw .unexpectedWord(text(word), expected: "a version, such as `v2`", at: location(of: word))
        }
        return version
    }

    /// A pause point word: a ``PausePoint`` raw value.
    mutating func pausePoint() throws(TraceParseError) -> PausePoint {
        let expected = TraceParseExpectations.pausePoint
        let word = try next(expected)
        guard let point = PausePoint(rawValue: text(word)) else {
            throw .unexpectedWord(text(word), expected: expected, at: location(of: word))
        }
        return point
    }
}
