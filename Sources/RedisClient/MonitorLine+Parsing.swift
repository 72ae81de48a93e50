/// A MONITOR line that is not in the form the server writes.
public struct MonitorLineError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. "no '[' after the timestamp".
    public var problem: String
    /// The line, cut to its first 120 bytes: a line may carry a large value.
    public var excerpt: String

    public var description: String {
        "unreadable MONITOR line (\(problem)): \(excerpt); is the server a Redis 6 or 7?"
    }
}

extension MonitorLine {
    /// Parses `<seconds>.<micros> [<db> <source>] "<arg>" "<arg>" ...`, undoing `sdscatrepr`'s quoting.
    ///
    /// Byte by byte rather than by splitting: an argument may hold spaces, quotes and `] "`.
    public static func parse(_ line: [UInt8]) throws(MonitorLineError) -> MonitorLine {
        var reader = MonitorLineReader(bytes: line)
        func fail(_ problem: String) -> MonitorLineError {
            MonitorLineError(problem: problem, excerpt: String(decoding: line.prefix(120), as: UTF8.self))
        }
        guard let (secondsValue, _) = reader.number(), reader.take(UInt8(ascii: ".")),
            let (microsValue, microsDigits) = reader.number(), microsDigits == 6,
            secondsValue < Int64.max / 1_000_000
        else { throw fail("no <seconds>.<6-digit microseconds> timestamp") }
        guard reader.take(UInt8(ascii: " ")), reader.take(UInt8(ascii: "[")) else {
            throw fail("no '[' after the timestamp")
        }
        guard let (databaseValue, _) = reader.number(), let database = Int(exactly: databaseValue),
            reader.take(UInt8(ascii: " "))
        else { throw fail("no database number after '['") }
        // The source runs to the "] " that precedes the first quoted argument; a source never holds a quote.
        guard let close = reader.indexOfSourceEnd() else { throw fail("no '] \"' closing the client") }
        let sourceText = String(decoding: line[reader.index..<close], as: UTF8.self)
        reader.index = close + 2
        var arguments: [[UInt8]] = []
        while true {
            guard let argument = reader.quoted() else { throw fail("an argument is not a closed quoted string") }
            arguments.append(argument)
            if reader.atEnd { break }
            guard reader.take(UInt8(ascii: " ")) else { throw fail("no space between arguments") }
        }
        let source: Source
        if sourceText == "lua" {
            source = .lua
        } else if sourceText.hasPrefix("unix:") {
            source = .unix(String(sourceText.dropFirst(5)))
        } else {
            source = .client(sourceText)
        }
        return MonitorLine(
            serverMicroseconds: secondsValue * 1_000_000 + microsValue, database: database, source: source,
            arguments: arguments)
    }
}

/// A cursor over one MONITOR line's bytes.
struct MonitorLineReader {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Consumes a run of ASCII digits: its value and how many digits; nil when there is none or it overflows.
    /// (Read straight from the bytes: a string per number was a tenth of the parse.)
    mutating func number() -> (value: Int64, digits: Int)? {
        let start = index
        var value: Int64 = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflowShift, !overflowAdd else { return nil }
            value = sum
            index += 1
        }
        return index > start ? (value, index - start) : nil
    }

    /// Where the `] "` ending the source is, searching from here.
    func indexOfSourceEnd() -> Int? {
        var probe = index
        while probe + 2 < bytes.count {
            if bytes[probe] == UInt8(ascii: "]"), bytes[probe + 1] == UInt8(ascii: " "),
                bytes[probe + 2] == UInt8(ascii: "\"")
            {
                return probe
            }
            probe += 1
        }
        return nil
    }

    /// Consumes one `"..."` argument, undoing `sdscatrepr`'s escapes; nil when it is not closed or badly escaped.
    mutating func quoted() -> [UInt8]? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        // Most arguments hold no escape: up to the closing quote, they are copied in one piece (appending byte by
        // byte regrew the array several times for a script's text).
        let start = index
        var probe = index
        while probe < bytes.count, bytes[probe] != UInt8(ascii: "\""), bytes[probe] != UInt8(ascii: "\\") {
            probe += 1
        }
        if probe < bytes.count, bytes[probe] == UInt8(ascii: "\"") {
            index = probe + 1
            return Array(bytes[start..<probe])
        }
        var argument: [UInt8] = []
        argument.reserveCapacity(probe - start + 16)
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return argument
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): argument.append(0x0a)
                case UInt8(ascii: "r"): argument.append(0x0d)
                case UInt8(ascii: "t"): argument.append(0x09)
                case UInt8(ascii: "a"): argument.append(0x07)
                case UInt8(ascii: "b"): argument.append(0x08)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): argument.append(escape)
                case UInt8(ascii: "x"):
                    guard index + 2 <= bytes.count,
                        let value = UInt8(String(decoding: bytes[index..<(index + 2)], as: UTF8.self), radix: 16)
                    else { return nil }
                    argument.append(value)
                    index += 2
                default:
                    return nil
                }
            default:
                argument.append(byte)
            }
        }
        return nil
    }
}
