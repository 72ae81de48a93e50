/// The fields of one JSON object being decoded into a trace value, with what is needed to report a problem at
/// its column: a missing field at the object's `{`, a wrong or unknown one at its own place.
struct JSONFields {
    /// Where the line is, for locations.
    struct Line {
        var source: String
        var number: Int
        var bytes: [UInt8]
        var start: Int

        func location(atByte offset: Int) -> TraceParseLocation {
            TraceParseLocation(source: source, line: number, bytes: bytes, lineStart: start, offset: offset)
        }
    }

    private let fields: [JSONValue.Field]
    /// What the object is, for messages: "the event", "the command".
    let objectName: String
    private let offset: Int
    let line: Line

    /// The fields of `value`, which must be an object; `field` names it for the wrong-type message.
    init(_ value: JSONValue, field: String, objectName: String, line: Line) throws(TraceParseError) {
        guard case .object(let fields) = value.content else {
            throw .wrongType(
                field: field, found: value.kindDescription, expected: "an object",
                at: line.location(atByte: value.offset))
        }
        self.fields = fields
        self.objectName = objectName
        self.offset = value.offset
        self.line = line
    }

    /// The value of a field that must be there; `expected` says what it should hold.
    func value(_ name: String, _ expected: String) throws(TraceParseError) -> JSONValue {
        guard let field = fields.first(where: { $0.name == name }) else {
            throw .missingField(
                name, in: objectName, expected: "\"\(name)\": \(expected)", at: line.location(atByte: offset))
        }
        return field.value
    }

    func string(_ name: String) throws(TraceParseError) -> String {
        let value = try value(name, "a string")
        guard case .string(let string) = value.content else {
            throw wrongType(name, value, expected: "a string")
        }
        return string
    }

    func integer<Integer: FixedWidthInteger & SignedInteger>(_ name: String, as: Integer.Type = Integer.self)
        throws(TraceParseError) -> Integer
    {
        let expected = "an integer that fits in \(Integer.bitWidth) bits"
        let value = try value(name, expected)
        guard case .number(let literal) = value.content,
            let integer: Integer = TraceTextLine.decimal(Array(literal.utf8)[...])
        else {
            throw wrongType(name, value, expected: expected)
        }
        return integer
    }

    func bool(_ name: String) throws(TraceParseError) -> Bool {
        let value = try value(name, "true or false")
        guard case .bool(let bool) = value.content else {
            throw wrongType(name, value, expected: "true or false")
        }
        return bool
    }

    /// Bytes: a string (its UTF-8), or `{"base64":"..."}` (see ``TraceJSONLines``).
    func bytes(_ name: String) throws(TraceParseError) -> [UInt8] {
        let expected = "a string, or {\"base64\": \"...\"} for bytes that are not UTF-8"
        let value = try value(name, expected)
        switch value.content {
        case .string(let string):
            return Array(string.utf8)
        case .object:
            let wrapper = try JSONFields(value, field: name, objectName: "the \"\(name)\" object", line: line)
            try wrapper.only(["base64"])
            let text = try wrapper.string("base64")
            guard let bytes = Base64.decode(text) else {
                throw .wrongType(
                    field: "base64", found: "a string that is not base64", expected: "standard base64 with `=` padding",
                    at: wrapper.location(of: "base64"))
            }
            return bytes
        case .array, .number, .bool, .null:
            throw wrongType(name, value, expected: expected)
        }
    }

    /// A nested object (a command, a reply, an outcome).
    func object(_ name: String, objectName: String) throws(TraceParseError) -> JSONFields {
        try JSONFields(try value(name, "an object"), field: name, objectName: objectName, line: line)
    }

    /// Checks that the object has no field beyond `names`, so a misspelt field is reported, not ignored.
    func only(_ names: [String]) throws(TraceParseError) {
        guard let unknown = fields.first(where: { !names.contains($0.name) }) else { return }
        throw .unknownField(
            unknown.name, in: objectName, expected: names.map { "\"\($0)\"" }.joined(separator: ", "),
            at: line.location(atByte: unknown.nameOffset))
    }

    /// Where a field's value starts, for problems with what it holds.
    func location(of name: String) -> TraceParseLocation {
        line.location(atByte: fields.first(where: { $0.name == name })?.value.offset ?? offset)
    }

    private func wrongType(_ name: String, _ value: JSONValue, expected: String) -> TraceParseError {
        .wrongType(
            field: name, found: value.kindDescription, expected: expected, at: line.location(atByte: value.offset))
    }
}
