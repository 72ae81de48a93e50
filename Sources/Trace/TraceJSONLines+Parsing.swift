// MARK: - Reading JSON Lines

extension TraceJSONLines {
    /// The events of a JSON Lines trace: the exact inverse of ``format(_:)``.
    ///
    /// Fields may come in any order, but each object must have exactly the fields of its kind: a missing field, a
    /// field of the wrong type and a field no object of that kind has are all reported, so a misspelt field
    /// cannot pass unnoticed. Blank lines are skipped and a line may end `\r\n`. The first problem ends the
    /// parse, reported as `source:line:column: what is wrong; what would be right`.
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
            guard bytes[lineStart..<lineEnd].contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") })
            else { continue }
            let line = JSONFields.Line(source: source, number: lineNumber, bytes: bytes, start: lineStart)
            switch JSONReader.read(bytes, lineStart..<lineEnd) {
            case .success(let value):
                events.append(try event(value, line: line))
            case .failure(let failure):
                throw .badJSON(failure.problem, expected: failure.expected, at: line.location(atByte: failure.offset))
            }
        }
        return events
    }

    private static let eventFields = ["time_us", "actor", "event"]

    private static func event(_ value: JSONValue, line: JSONFields.Line) throws(TraceParseError) -> TraceEvent {
        let fields = try JSONFields(value, field: "the line", objectName: "the event", line: line)
        let time = try fields.integer("time_us", as: Int64.self)
        let actorName = try fields.string("actor")
        guard let actor = Actor(parsing: actorName) else {
            throw .unknownActor(actorName, at: fields.location(of: "actor"))
        }
        let name = try fields.string("event")
        let kind: EventKind
        switch name {
        case "call":
            try fields.only(eventFields + ["key", "call"])
            kind = .call(key: try fields.string("key"), call: try fields.integer("call"))
        case "exec":
            try fields.only(eventFields + ["command", "reply"])
            kind = .exec(try command(fields), try reply(fields))
        case "reply-lost":
            try fields.only(eventFields + ["command"])
            kind = .replyLost(try command(fields))
        case "command-timeout":
            try fields.only(eventFields + ["command"])
            kind = .commandTimeout(try command(fields))
        case "connection-lost":
            try fields.only(eventFields + ["command"])
            kind = .connectionLost(try command(fields))
        case "load-start":
            try fields.only(eventFields + ["key", "version"])
            kind = .loadStart(key: try fields.string("key"), version: try fields.integer("version"))
        case "load-end":
            try fields.only(eventFields + ["key", "version"])
            kind = .loadEnd(key: try fields.string("key"), version: try fields.integer("version"))
        case "load-fail":
            try fields.only(eventFields + ["key", "reason"])
            kind = .loadFail(key: try fields.string("key"), reason: try fields.string("reason"))
        case "origin-timeout":
            try fields.only(eventFields + ["key"])
            kind = .originTimeout(key: try fields.string("key"))
        case "pause":
            try fields.only(eventFields + ["point"])
            kind = .pause(try pausePoint(fields))
        case "resume":
            try fields.only(eventFields + ["point"])
            kind = .resume(try pausePoint(fields))
        case "write":
            try fields.only(eventFields + ["key", "version"])
            kind = .write(key: try fields.string("key"), version: try fields.integer("version"))
        case "expire":
            try fields.only(eventFields + ["key"])
            kind = .expire(key: try fields.string("key"))
        case "restart":
            try fields.only(eventFields)
            kind = .restart
        case "return":
            try fields.only(eventFields + ["outcome"])
            kind = .return(try outcome(fields))
        default:
            throw .unknownEvent(name, at: fields.location(of: "event"))
        }
        return TraceEvent(timeMicroseconds: time, actor: actor, kind: kind)
    }

    private static func pausePoint(_ fields: JSONFields) throws(TraceParseError) -> PausePoint {
        let text = try fields.string("point")
        guard let point = PausePoint(rawValue: text) else {
            throw .unexpectedWord(
                text, expected: TraceParseExpectations.pausePoint,
                at: fields.location(of: "point"))
        }
        return point
    }

    private static func command(_ event: JSONFields) throws(TraceParseError) -> Command {
        let fields = try event.object("command", objectName: "the command")
        let operation = try fields.string("op")
        switch operation {
        case "get":
            try fields.only(["op", "key"])
            return .get(key: try fields.string("key"))
        case "acquire":
            try fields.only(["op", "key", "token", "ttl_ms"])
            return .acquire(
                key: try fields.string("key"), token: Token(try fields.string("token")),
                ttlMilliseconds: try fields.integer("ttl_ms"))
        case "set":
            try fields.only(["op", "key", "value", "ttl_s"])
            return .set(
                key: try fields.string("key"), value: CacheValue(bytes: try fields.bytes("value")),
                ttlSeconds: try fields.integer("ttl_s"))
        case "del":
            try fields.only(["op", "key"])
            return .delete(key: try fields.string("key"))
        case "release":
            try fields.only(["op", "key", "token"])
            return .release(key: try fields.string("key"), token: Token(try fields.string("token")))
        case "fenced-write":
            try fields.only(["op", "key", "value", "token", "ttl_s"])
            return .fencedWrite(
                key: try fields.string("key"), value: CacheValue(bytes: try fields.bytes("value")),
                token: Token(try fields.string("token")), ttlSeconds: try fields.integer("ttl_s"))
        default:
            throw .unexpectedWord(
                operation, expected: "an op: `get`, `acquire`, `set`, `del`, `release` or `fenced-write`",
                at: fields.location(of: "op"))
        }
    }

    private static func reply(_ event: JSONFields) throws(TraceParseError) -> Reply {
        let fields = try event.object("reply", objectName: "the reply")
        let type = try fields.string("type")
        switch type {
        case "status":
            try fields.only(["type", "text"])
            return .status(try fields.string("text"))
        case "nil":
            try fields.only(["type"])
            return .null
        case "bulk":
            try fields.only(["type", "bytes"])
            return .bulk(try fields.bytes("bytes"))
        case "integer":
            try fields.only(["type", "value"])
            return .integer(try fields.integer("value"))
        case "error":
            try fields.only(["type", "message"])
            return .error(try fields.string("message"))
        case "other":
            try fields.only(["type", "shape"])
            return .other(try fields.string("shape"))
        default:
            throw .unexpectedWord(
                type, expected: "a type: `status`, `nil`, `bulk`, `integer`, `error` or `other`",
                at: fields.location(of: "type"))
        }
    }

    private static func outcome(_ event: JSONFields) throws(TraceParseError) -> Outcome {
        let fields = try event.object("outcome", objectName: "the outcome")
        let kind = try fields.string("kind")
        switch kind {
        case "fresh":
            try fields.only(["kind", "value", "lease_lost"])
            return .fresh(CacheValue(bytes: try fields.bytes("value")), leaseLost: try fields.bool("lease_lost"))
        case "stale":
            try fields.only(["kind", "value", "reason"])
            let value = CacheValue(bytes: try fields.bytes("value"))
            let reasonText = try fields.string("reason")
            guard let reason = StaleReason(rawValue: reasonText) else {
                throw .unexpectedWord(
                    reasonText,
                    expected: TraceParseExpectations.staleReason,
                    at: fields.location(of: "reason"))
            }
            return .stale(value, reason)
        case "miss":
            try fields.only(["kind"])
            return .miss
        case "error":
            try fields.only(["kind", "reason"])
            let reasonText = try fields.string("reason")
            guard let reason = ErrorReason(rawValue: reasonText) else {
                throw .unexpectedWord(
                    reasonText,
                    expected: TraceParseExpectations.errorReason,
                    at: fields.location(of: "reason"))
            }
            return .error(reason)
        default:
            throw .unexpectedWord(
                kind, expected: "a kind: `fresh`, `stale`, `miss` or `error`", at: fields.location(of: "kind"))
        }
    }
}
