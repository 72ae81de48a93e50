import Testing
import Trace

@Suite struct TraceJSONLinesTests {
    /// One line per shape, pinned byte for byte: the key order and the escapes are the format.
    @Test func linesArePinned() {
        let cases: [(TraceEvent, String)] = [
            (SampleTrace.event(0, .worker(1), .call(key: "user:1", call: 1)),
             #"{"time_us":0,"actor":"w1","event":"call","key":"user:1","call":1}"#),
            (SampleTrace.event(2_000, .worker(1), .exec(SampleTrace.lease, .ok)),
             #"{"time_us":2000,"actor":"w1","event":"exec","command":{"op":"acquire","key":"user:1","token":"w1.1","ttl_ms":5000},"reply":{"type":"status","text":"OK"}}"#),
            (SampleTrace.event(1_000, .worker(1), .exec(.get(key: "user:1"), .bulk(Array("v1".utf8)))),
             #"{"time_us":1000,"actor":"w1","event":"exec","command":{"op":"get","key":"user:1"},"reply":{"type":"bulk","bytes":"v1"}}"#),
            (SampleTrace.event(1_000, .worker(1), .exec(.get(key: "user:1"), .bulk([0xFF, 0x00]))),
             #"{"time_us":1000,"actor":"w1","event":"exec","command":{"op":"get","key":"user:1"},"reply":{"type":"bulk","bytes":{"base64":"/wA="}}}"#),
            (SampleTrace.event(1_000, .worker(1), .exec(.get(key: "user:1"), .null)),
             #"{"time_us":1000,"actor":"w1","event":"exec","command":{"op":"get","key":"user:1"},"reply":{"type":"nil"}}"#),
            (SampleTrace.event(3_600, .writer("writer"), .exec(.delete(key: "user:1"), .integer(1))),
             #"{"time_us":3600,"actor":"writer","event":"exec","command":{"op":"del","key":"user:1"},"reply":{"type":"integer","value":1}}"#),
            (SampleTrace.event(5, .worker(1), .exec(.set(key: "user:1", value: CacheValue("a\"b\\c\n\t\u{1}\u{7F}é"), ttlSeconds: 300), .error("WRONGTYPE x"))),
             #"{"time_us":5,"actor":"w1","event":"exec","command":{"op":"set","key":"user:1","value":"a\"b\\c\n\t\u0001\u007fé","ttl_s":300},"reply":{"type":"error","message":"WRONGTYPE x"}}"#),
            (SampleTrace.event(6, .worker(2), .replyLost(.release(key: "user:1", token: Token("w2.1")))),
             #"{"time_us":6,"actor":"w2","event":"reply-lost","command":{"op":"release","key":"user:1","token":"w2.1"}}"#),
            (SampleTrace.event(7, .worker(2), .commandTimeout(.fencedWrite(key: "k", value: CacheValue(version: 2), token: Token("w2.1"), ttlSeconds: 300))),
             #"{"time_us":7,"actor":"w2","event":"command-timeout","command":{"op":"fenced-write","key":"k","value":"v2","token":"w2.1","ttl_s":300}}"#),
            (SampleTrace.event(8, .worker(2), .connectionLost(.get(key: "k"))),
             #"{"time_us":8,"actor":"w2","event":"connection-lost","command":{"op":"get","key":"k"}}"#),
            (SampleTrace.event(9, .worker(2), .exec(.get(key: "k"), .other("array"))),
             #"{"time_us":9,"actor":"w2","event":"exec","command":{"op":"get","key":"k"},"reply":{"type":"other","shape":"array"}}"#),
            (SampleTrace.event(10, .worker(2), .loadStart(key: "k", version: 1)),
             #"{"time_us":10,"actor":"w2","event":"load-start","key":"k","version":1}"#),
            (SampleTrace.event(11, .worker(2), .loadEnd(key: "k", version: 2)),
             #"{"time_us":11,"actor":"w2","event":"load-end","key":"k","version":2}"#),
            (SampleTrace.event(12, .worker(2), .loadFail(key: "k", reason: "refused")),
             #"{"time_us":12,"actor":"w2","event":"load-fail","key":"k","reason":"refused"}"#),
            (SampleTrace.event(13, .worker(2), .originTimeout(key: "k")),
             #"{"time_us":13,"actor":"w2","event":"origin-timeout","key":"k"}"#),
            (SampleTrace.event(14, .worker(2), .pause(.beforeWrite)),
             #"{"time_us":14,"actor":"w2","event":"pause","point":"before-write"}"#),
            (SampleTrace.event(15, .worker(2), .resume(.beforeWrite)),
             #"{"time_us":15,"actor":"w2","event":"resume","point":"before-write"}"#),
            (SampleTrace.event(16, .writer("writer"), .write(key: "k", version: 3)),
             #"{"time_us":16,"actor":"writer","event":"write","key":"k","version":3}"#),
            (SampleTrace.event(17, .server, .expire(key: "lease:k")),
             #"{"time_us":17,"actor":"server","event":"expire","key":"lease:k"}"#),
            (SampleTrace.event(18, .server, .restart),
             #"{"time_us":18,"actor":"server","event":"restart"}"#),
            (SampleTrace.event(19, .worker(1), .return(.fresh(CacheValue(version: 3), leaseLost: false))),
             #"{"time_us":19,"actor":"w1","event":"return","outcome":{"kind":"fresh","value":"v3","lease_lost":false}}"#),
            (SampleTrace.event(20, .worker(1), .return(.stale(CacheValue(version: 2), .contended))),
             #"{"time_us":20,"actor":"w1","event":"return","outcome":{"kind":"stale","value":"v2","reason":"contended"}}"#),
            (SampleTrace.event(21, .worker(1), .return(.miss)),
             #"{"time_us":21,"actor":"w1","event":"return","outcome":{"kind":"miss"}}"#),
            (SampleTrace.event(22, .worker(1), .return(.error(.serverError))),
             #"{"time_us":22,"actor":"w1","event":"return","outcome":{"kind":"error","reason":"server-error"}}"#),
        ]
        for (event, expected) in cases {
            #expect(TraceJSONLines.line(event) == expected)
            #expect((try? TraceJSONLines.parse(expected, source: "t")) == [event], "line: \(expected)")
        }
    }

    @Test func sampleTraceRoundTrips() throws {
        let text = TraceJSONLines.format(SampleTrace.events)
        #expect(text.split(separator: "\n").count == SampleTrace.events.count)
        #expect(text.hasSuffix("}\n"))
        #expect(try TraceJSONLines.parse(text, source: "sample.jsonl") == SampleTrace.events)
    }

    /// A reader is lenient where JSON is: field order, whitespace, escapes the writer does not use, blank lines.
    @Test func readsAnyEquivalentJSON() throws {
        let text = """

              { "event" : "exec", "reply": {"text":"OK","type":"status"}, "actor":"w1", "time_us": 2000,
            """ + #""command":{"ttl_ms":5000,"token":"w\u0031.1","key":"user\/1","op":"acquire"}}"# + "\r\n\n"
        #expect(try TraceJSONLines.parse(text, source: "t") == [
            SampleTrace.event(2_000, .worker(1), .exec(
                .acquire(key: "user/1", token: Token(worker: 1, call: 1), ttlMilliseconds: 5_000), .ok)),
        ])
        let emoji = #"{"time_us":1,"actor":"w1","event":"call","key":"\ud83d\ude42","call":1}"#
        #expect(try TraceJSONLines.parse(emoji, source: "t") == [SampleTrace.event(1, .worker(1), .call(key: "🙂", call: 1))])
        let base64Text = #"{"time_us":1,"actor":"w1","event":"return","outcome":{"kind":"miss"}}"#
        #expect(try TraceJSONLines.parse(base64Text, source: "t") == [SampleTrace.event(1, .worker(1), .return(.miss))])
    }
}
