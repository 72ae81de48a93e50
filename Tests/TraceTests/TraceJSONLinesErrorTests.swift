import Testing
import Trace

/// Malformed JSON Lines are reported at their line and column, with what would be right.
@Suite struct TraceJSONLinesErrorTests {
    static let good = #"{"time_us":0,"actor":"w1","event":"call","key":"user:1","call":1}"#

    /// The error of a file whose second line is `line`.
    func error(_ line: String) -> String? {
        do {
            _ = try TraceJSONLines.parse(Self.good + "\n" + line + "\n", source: "bad.jsonl")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func badJSON() {
        #expect(error(#"{"time_us":1,"#) ==
            "bad.jsonl:2:14: bad JSON: the line ends early; expected a field name in double quotes")
        #expect(error(#"{"time_us":1,}"#) ==
            "bad.jsonl:2:14: bad JSON: unexpected `}`; expected a field name in double quotes")
        #expect(error(#"{"time_us":01}"#) == "bad.jsonl:2:13: bad JSON: unexpected `1`; expected `,` or `}`")
        #expect(error("{\"time_us\":\u{1}}") ==
            "bad.jsonl:2:12: bad JSON: unexpected `U+1`; expected a value (an object, string, number, true, false or null)")
        #expect(error(#"{"time_us":-}"#) == "bad.jsonl:2:13: bad JSON: a bad number; expected a JSON number, such as `12` or `-3`")
        #expect(error(#"{"time_us":1} x"#) == "bad.jsonl:2:15: bad JSON: text after the object; expected one JSON object per line")
        #expect(error(#"{"key":"a"#) == "bad.jsonl:2:8: bad JSON: a string that is never closed; expected a closing `\"`")
        #expect(error(#"{"key":"\q"}"#) == """
            bad.jsonl:2:9: bad JSON: an unknown escape; expected one of `\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, \
            `\\t`, `\\uXXXX`
            """)
        #expect(error(#"{"key":"\ud83d"}"#) ==
            "bad.jsonl:2:9: bad JSON: a lone surrogate; expected a surrogate pair `\\uD8xx\\uDCxx`")
        #expect(error(#"{"a":1,"a":2}"#) == "bad.jsonl:2:8: bad JSON: field \"a\" appears twice; expected each field once")
        #expect(error("[1]") == "bad.jsonl:2:1: field \"the line\" holds an array; expected an object")
    }

    @Test func missingField() {
        #expect(error(#"{"time_us":1,"actor":"w1","event":"call","key":"user:1"}"#) ==
            "bad.jsonl:2:1: the event has no field \"call\"; expected \"call\": an integer that fits in 64 bits")
        #expect(error(#"{"actor":"w1","event":"restart"}"#) ==
            "bad.jsonl:2:1: the event has no field \"time_us\"; expected \"time_us\": an integer that fits in 64 bits")
        #expect(error(#"{"time_us":1,"actor":"w1","event":"exec","command":{"op":"get"},"reply":{"type":"nil"}}"#) ==
            "bad.jsonl:2:52: the command has no field \"key\"; expected \"key\": a string")
    }

    @Test func wrongType() {
        #expect(error(#"{"time_us":1,"actor":"w1","event":"call","key":"user:1","call":"1"}"#) ==
            "bad.jsonl:2:64: field \"call\" holds a string; expected an integer that fits in 64 bits")
        #expect(error(#"{"time_us":1.5,"actor":"w1","event":"restart"}"#) ==
            "bad.jsonl:2:12: field \"time_us\" holds the number 1.5; expected an integer that fits in 64 bits")
        #expect(error(#"{"time_us":1,"actor":"w1","event":"return","outcome":{"kind":"fresh","value":"v1","lease_lost":0}}"#) ==
            "bad.jsonl:2:96: field \"lease_lost\" holds the number 0; expected true or false")
        #expect(error(#"{"time_us":1,"actor":"w1","event":"return","outcome":{"kind":"fresh","value":7,"lease_lost":false}}"#) ==
            "bad.jsonl:2:78: field \"value\" holds the number 7; expected a string, or {\"base64\": \"...\"} for bytes that are not UTF-8")
        #expect(error(#"{"time_us":1,"actor":"w1","event":"return","outcome":{"kind":"miss","value":{"base64":"=="}}}"#) ==
            "bad.jsonl:2:69: the outcome has an unknown field \"value\"; expected only \"kind\"")
        #expect(error(#"{"time_us":1,"actor":"w1","event":"exec","command":{"op":"set","key":"k","value":{"base64":"/w"},"ttl_s":1},"reply":{"type":"nil"}}"#) ==
            "bad.jsonl:2:92: field \"base64\" holds a string that is not base64; expected standard base64 with `=` padding")
        #expect(error(#"{"time_us":1,"actor":"w1","event":"exec","command":"GET k","reply":{"type":"nil"}}"#) ==
            "bad.jsonl:2:52: field \"command\" holds a string; expected an object")
    }

    @Test func unknownNames() {
        #expect(error(#"{"time_us":1,"actor":"w1","event":"call","kee":"user:1","call":1}"#) ==
            "bad.jsonl:2:42: the event has an unknown field \"kee\"; expected only \"time_us\", \"actor\", \"event\", \"key\", \"call\"")
        #expect(error(#"{"time_us":1,"actor":"w1","event":"frobnicate"}"#).map { $0.hasPrefix("bad.jsonl:2:35: unknown event `frobnicate`; expected one of call, exec,") } == true)
        #expect(error(#"{"time_us":1,"actor":"w 1","event":"restart"}"#).map { $0.hasPrefix("bad.jsonl:2:22: unknown actor `w 1`;") } == true)
        #expect(error(#"{"time_us":1,"actor":"w1","event":"exec","command":{"op":"fetch","key":"k"},"reply":{"type":"nil"}}"#) ==
            "bad.jsonl:2:58: unexpected `fetch`; expected an op: `get`, `acquire`, `set`, `del`, `release` or `fenced-write`")
    }
}
