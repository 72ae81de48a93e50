import Testing

@testable import Scenario

/// Durations: always a unit, exact decimals, whole microseconds, no negatives.
@Suite struct DurationTextTests {
    @Test(arguments: [
        ("0ms", Int64(0)), ("250us", 250), ("300ms", 300_000), ("2s", 2_000_000), ("1.5s", 1_500_000),
        ("0.001ms", 1), ("1.000000s", 1_000_000), ("0.5s", 500_000), (".5s", 500_000), ("+5ms", 5_000),
        ("-0ms", 0), ("86400s", 86_400_000_000), ("1.250ms", 1_250),
    ])
    func parsesExactly(text: String, microseconds: Int64) {
        #expect(DurationText.microseconds(from: text) == .success(microseconds))
    }

    @Test(arguments: [
        ("300", "'300' has no unit; write 300ms, 300s or 300us"),
        ("1.5", "'1.5' has no unit; write 1.5ms, 1.5s or 1.5us"),
        ("-5ms", "'-5ms' is negative; write a time of 0 or more"),
        ("-300", "'-300' is negative; write a time of 0 or more"),
        ("0.5us", "'0.5us' is finer than a microsecond; durations are whole microseconds, e.g. 1us"),
        ("0.0000001s", "'0.0000001s' is finer than a microsecond; durations are whole microseconds, e.g. 1us"),
        ("5m", "'5m' has an unknown unit 'm'; units are us, ms and s"),
        ("5sec", "'5sec' has an unknown unit 'sec'; units are us, ms and s"),
        ("5 ms", "'5 ms' is not a duration; write a number and a unit, e.g. 300ms, 1.5s or 250us"),
        ("abc", "'abc' is not a duration; write a number and a unit, e.g. 300ms, 1.5s or 250us"),
        ("", "'' is not a duration; write a number and a unit, e.g. 300ms, 1.5s or 250us"),
        ("5.s", "'5.s' is not a duration; write a number and a unit, e.g. 300ms, 1.5s or 250us"),
        ("86401s", "'86401s' is too long; durations are at most 86400s"),
        ("99999999999999999999999s", "'99999999999999999999999s' is too long; durations are at most 86400s"),
    ])
    func refuses(text: String, message: String) {
        #expect(DurationText.microseconds(from: text) == .failure(DurationText.ParseError(message: message)))
    }

    @Test func formatsWithTheLargestExactUnit() {
        #expect(DurationText.format(0) == "0us")
        #expect(DurationText.format(7) == "7us")
        #expect(DurationText.format(1_500) == "1500us")
        #expect(DurationText.format(3_000) == "3ms")
        #expect(DurationText.format(1_500_000) == "1500ms")
        #expect(DurationText.format(2_000_000) == "2s")
    }

    @Test func formatRoundTrips() {
        for value: Int64 in [0, 1, 999, 1_000, 1_001, 999_999, 1_000_000, 86_400_000_000] {
            #expect(DurationText.microseconds(from: DurationText.format(value)) == .success(value))
        }
    }
}
