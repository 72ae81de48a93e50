/// Durations as scenario files write them: a number and a unit, `us`, `ms` or `s` (`300ms`, `1.5s`, `250us`).
///
/// Named `DurationText` rather than `Duration` so that importing Scenario never shadows the standard library's
/// `Duration`. A bare number is refused because `300` could mean any unit; a decimal is exact (it is read as
/// digits, never as a floating-point number) and must come out as a whole number of microseconds, the unit of
/// virtual time.
public enum DurationText {
    /// A unit a duration may carry, with its size in microseconds.
    public enum Unit: String, Hashable, Sendable, CaseIterable {
        /// Microseconds.
        case microseconds = "us"
        /// Milliseconds.
        case milliseconds = "ms"
        /// Seconds.
        case seconds = "s"

        /// How many microseconds one of this unit is.
        public var microseconds: Int64 {
            switch self {
            case .microseconds: return 1
            case .milliseconds: return 1_000
            case .seconds: return 1_000_000
            }
        }
    }

    /// Why a text is not a duration; ``message`` is the line the loader reports.
    public struct ParseError: Error, Hashable, Sendable {
        /// The problem, phrased as "what is wrong; what would be right".
        public var message: String
    }

    /// The exact number of microseconds `text` stands for, or why it stands for none.
    ///
    /// `maximumMicroseconds` bounds the result so that sums of durations cannot overflow downstream.
    public static func microseconds(
        from text: String, maximumMicroseconds: Int64 = ScenarioLimits.standard.maximumTimeMicroseconds
    ) -> Result<Int64, ParseError> {
        let shown = ScenarioText.quoted(text)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var negative = false
        if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" {
            negative = scalars[index] == "-"
            index += 1
        }
        var integerDigits: [UInt8] = []
        while index < scalars.count, let digit = digitValue(scalars[index]) {
            integerDigits.append(digit)
            index += 1
        }
        var fractionDigits: [UInt8] = []
        var hasPoint = false
        if index < scalars.count, scalars[index] == "." {
            hasPoint = true
            index += 1
            while index < scalars.count, let digit = digitValue(scalars[index]) {
                fractionDigits.append(digit)
                index += 1
            }
        }
        let unitText = String(String.UnicodeScalarView(scalars[index...]))
        let example = "write a number and a unit, e.g. 300ms, 1.5s or 250us"
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty, !(hasPoint && fractionDigits.isEmpty) else {
            return .failure(ParseError(message: "\(shown) is not a duration; \(example)"))
        }
        if negative && (integerDigits + fractionDigits).contains(where: { $0 != 0 }) {
            return .failure(ParseError(message: "\(shown) is negative; write a time of 0 or more"))
        }
        if unitText.isEmpty {
            let number = String(text.drop { $0 == "+" })
            return .failure(ParseError(
                message: "\(shown) has no unit; write \(number)ms, \(number)s or \(number)us"))
        }
        guard let unit = Unit(rawValue: unitText) else {
            if unitText.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) {
                return .failure(ParseError(
                    message: "\(shown) has an unknown unit \(ScenarioText.quoted(unitText)); units are us, ms and s"))
            }
            return .failure(ParseError(message: "\(shown) is not a duration; \(example)"))
        }
        while fractionDigits.last == 0 {
            fractionDigits.removeLast()
        }
        let tooLong = ParseError(
            message: "\(shown) is too long; durations are at most \(format(maximumMicroseconds))")
        // The value is integer + fraction / 10^k units; in microseconds the fraction must divide exactly.
        var integerValue: Int64 = 0
        for digit in integerDigits {
            let (times, overflowTimes) = integerValue.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int64(digit))
            if overflowTimes || overflowSum || sum > maximumMicroseconds { return .failure(tooLong) }
            integerValue = sum
        }
        let (wholeMicroseconds, overflowWhole) = integerValue.multipliedReportingOverflow(by: unit.microseconds)
        if overflowWhole || wholeMicroseconds > maximumMicroseconds { return .failure(tooLong) }
        // A fraction finer than the unit's microseconds has more digits than the unit has decimal places.
        let decimalPlaces: Int
        switch unit {
        case .microseconds: decimalPlaces = 0
        case .milliseconds: decimalPlaces = 3
        case .seconds: decimalPlaces = 6
        }
        if fractionDigits.count > decimalPlaces {
            return .failure(ParseError(
                message: "\(shown) is finer than a microsecond; durations are whole microseconds, e.g. 1us"))
        }
        var fractionMicroseconds: Int64 = 0
        for place in 0..<decimalPlaces {
            fractionMicroseconds = fractionMicroseconds * 10 + Int64(place < fractionDigits.count ? fractionDigits[place] : 0)
        }
        let (total, overflowTotal) = wholeMicroseconds.addingReportingOverflow(fractionMicroseconds)
        if overflowTotal || total > maximumMicroseconds { return .failure(tooLong) }
        return .success(total)
    }

    /// The shortest exact text for a duration: whole seconds as `s`, whole milliseconds as `ms`, else `us`.
    public static func format(_ microseconds: Int64) -> String {
        if microseconds != 0 && microseconds % 1_000_000 == 0 { return "\(microseconds / 1_000_000)s" }
        if microseconds != 0 && microseconds % 1_000 == 0 { return "\(microseconds / 1_000)ms" }
        return "\(microseconds)us"
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.value >= 0x30, scalar.value <= 0x39 else { return nil }
        return UInt8(scalar.value - 0x30)
    }
}
