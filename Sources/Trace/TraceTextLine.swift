/// One line of the text form being read: its words, a cursor over them, and where each word is, so that every
/// problem is reported at its own column.
struct TraceTextLine {
    /// The file name (or label) for errors.
    let source: String
    /// The line's number, from 1.
    let lineNumber: Int
    /// The whole file's bytes; the line is `bytes[range]`.
    private let bytes: [UInt8]
    private let range: Range<Int>
    /// The line's words, as ranges of `bytes`.
    private let words: [Range<Int>]
    /// The next word to read.
    private var nextWord = 0

    init(source: String, lineNumber: Int, bytes: [UInt8], range: Range<Int>) throws(TraceParseError) {
        self.source = source
        self.lineNumber = lineNumber
        self.bytes = bytes
        self.range = range
        switch TraceWord.split(bytes[range]) {
        case .success(let words):
            self.words = words
        case .failure(let failure):
            self.words = []
            throw .badQuotedWord(failure.problem, at: location(atByte: range.lowerBound + failure.offset))
        }
    }

    // MARK: - Reading words

    /// The next word, or an error saying what was expected in its place.
    mutating func next(_ expected: String) throws(TraceParseError) -> Range<Int> {
        guard nextWord < words.count else {
            throw .missingWord(expected: expected, at: location(atByte: range.upperBound))
        }
        defer { nextWord += 1 }
        return words[nextWord]
    }

    /// Whether a word is left to read.
    var hasNext: Bool { nextWord < words.count }

    /// Reads the next word, which must be exactly `literal`.
    mutating func expect(_ literal: String) throws(TraceParseError) {
        let word = try next("`\(literal)`")
        guard bytes[word].elementsEqual(literal.utf8) else {
            throw .unexpectedWord(text(word), expected: "`\(literal)`", at: location(of: word))
        }
    }

    /// Checks that no word is left.
    func end() throws(TraceParseError) {
        guard nextWord < words.count else { return }
        let word = words[nextWord]
        throw .unexpectedWord(text(word), expected: "the end of the line", at: location(of: word))
    }

    // MARK: - Words as values

    /// A word's bytes as they stand in the line.
    func raw(_ word: Range<Int>) -> ArraySlice<UInt8> {
        bytes[word]
    }

    /// A word's text as it stands in the line, for messages and for words that are names.
    func text(_ word: Range<Int>) -> String {
        String(decoding: bytes[word], as: UTF8.self)
    }

    /// The bytes a rendered word stands for (``TraceWord/decode(_:)``).
    func decodedBytes(_ word: Range<Int>) throws(TraceParseError) -> [UInt8] {
        try decodedBytes(bytes[word])
    }

    /// The bytes a rendered part of a word stands for (the inside of `ERR(...)`).
    func decodedBytes(_ part: ArraySlice<UInt8>) throws(TraceParseError) -> [UInt8] {
        switch TraceWord.decode(part) {
        case .success(let decoded):
            return decoded
        case .failure(let failure):
            throw .badQuotedWord(failure.problem, at: location(atByte: part.startIndex + failure.offset))
        }
    }

    /// The string a rendered word stands for: its bytes must be UTF-8, since keys, tokens and reasons are strings.
    func decodedString(_ word: Range<Int>, _ expected: String) throws(TraceParseError) -> String {
        try decodedString(bytes[word], expected)
    }

    /// The string a rendered part of a word stands for.
    func decodedString(_ part: ArraySlice<UInt8>, _ expected: String) throws(TraceParseError) -> String {
        let decoded = try decodedBytes(part)
        guard let string = String(validating: decoded, as: UTF8.self) else {
            throw .unexpectedWord(
                String(decoding: part, as: UTF8.self), expected: expected + " (its bytes must be UTF-8)",
                at: location(atByte: part.startIndex))
        }
        return string
    }

    /// A word that must be a decimal integer of type `Integer`.
    func integer<Integer: FixedWidthInteger & SignedInteger>(
        _ word: Range<Int>, _ expected: String, as: Integer.Type = Integer.self
    ) throws(TraceParseError) -> Integer {
        guard let value: Integer = Self.decimal(bytes[word]) else {
            throw .unexpectedWord(text(word), expected: expected, at: location(of: word))
        }
        return value
    }

    /// `-?[0-9]+` as an `Integer`, or `nil` when the bytes are not that or the value does not fit.
    static func decimal<Integer: FixedWidthInteger & SignedInteger>(_ digits: ArraySlice<UInt8>) -> Integer? {
        let negative = digits.first == UInt8(ascii: "-")
        let body = negative ? digits.dropFirst() : digits
        guard !body.isEmpty else { return nil }
        var value: Integer = 0
        for byte in body {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Integer(byte - UInt8(ascii: "0"))
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            // Accumulating a negative number towards its sign reaches `Integer.min` without overflowing.
            let (next, overflow2) =
                negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow || overflow2 { return nil }
            value = next
        }
        return value
    }

    // MARK: - Locations

    /// Where a word starts.
    func location(of word: Range<Int>) -> TraceParseLocation {
        location(atByte: word.lowerBound)
    }

    /// Where a byte of the line is: the column counts the characters before it.
    func location(atByte offset: Int) -> TraceParseLocation {
        TraceParseLocation(source: source, line: lineNumber, bytes: bytes, lineStart: range.lowerBound, offset: offset)
    }
}
