import Testing
import Trace

@Suite struct TraceTextTests {
    @Test func everyLineIsPinned() {
        for (event, expected) in SampleTrace.textLines {
            #expect(TraceText.line(event) == expected)
        }
    }

    @Test func everyLineReadsBack() throws {
        for (event, line) in SampleTrace.textLines {
            #expect(try TraceText.parse(line + "\n", source: "sample.trace") == [event], "line: \(line)")
        }
    }

    @Test func sampleCoversEveryEventKind() {
        let names = Set(SampleTrace.events.map(\.kind.name))
        #expect(names == [
            "call", "exec", "reply-lost", "command-timeout", "connection-lost", "load-start", "load-end", "load-fail",
            "origin-timeout", "pause", "resume", "write", "expire", "restart", "return",
        ])
    }

    @Test func formatEndsEveryLineAndReadsBack() throws {
        let text = TraceText.format(SampleTrace.events)
        #expect(text == SampleTrace.textLines.map { $0.1 + "\n" }.joined())
        #expect(try TraceText.parse(text, source: "sample.trace") == SampleTrace.events)
        #expect(TraceText.format([]) == "")
    }

    @Test func commentsAndBlankLinesAreSkipped() throws {
        let text = TraceText.format(
            Array(SampleTrace.events.prefix(2)), comments: ["scenario lease-expiry-mid-reload preset pr-4821 seed 0", "two\nlines"])
        #expect(text == """
            # scenario lease-expiry-mid-reload preset pr-4821 seed 0
            # two
            # lines
                 0.000 w1     call user:1 1
                 1.000 w1     exec GET user:1 -> v1

            """)
        let withBlanks = "\n   \n  # indented comment\n" + text + "\n\n"
        #expect(try TraceText.parse(withBlanks, source: "t") == Array(SampleTrace.events.prefix(2)))
    }

    @Test func windowsLineEndsAndExtraSpacesRead() throws {
        let text = "     1.000   w1   exec   GET user:1   ->   v1\r\n2.000 w2 return miss\r\n"
        #expect(try TraceText.parse(text, source: "t") == [
            SampleTrace.event(1_000, .worker(1), .exec(.get(key: "user:1"), .bulk(Array("v1".utf8)))),
            SampleTrace.event(2_000, .worker(2), .return(.miss)),
        ])
    }

    @Test func commandTraceTextIsTheDescriptionForSymbolicWords() {
        let commands: [Command] = [
            .get(key: "user:1"), SampleTrace.lease, .set(key: "user:1", value: CacheValue(version: 3), ttlSeconds: 300),
            .delete(key: "lease:user:1"), .release(key: "user:1", token: Token(worker: 2, call: 1)),
            .fencedWrite(key: "user:1", value: CacheValue(version: 3), token: Token(worker: 2, call: 1), ttlSeconds: 300),
        ]
        for command in commands {
            #expect(command.traceText == command.description)
        }
    }

    @Test func replyTraceTextDiffersFromTheDescriptionOnlyWhereItWouldBeAmbiguous() {
        let same: [Reply] = [.ok, .null, .bulk(Array("v3".utf8)), .bulk(Array("w1.1".utf8)), .integer(1), .integer(0),
                             .error("ERR unknown"), .other("array"), .status("QUEUED")]
        for reply in same {
            #expect(reply.traceText == reply.description)
        }
        #expect(Reply.bulk(Array("OK".utf8)).traceText == "\"OK\"")
        #expect(Reply.bulk(Array("-3".utf8)).traceText == "\"-3\"")
        #expect(Reply.bulk(Array("STATUS(a)".utf8)).traceText == "\"STATUS(a)\"")
        #expect(Reply.bulk(Array("ok".utf8)).traceText == "ok")
        #expect(Reply.status("nil").traceText == "STATUS(nil)")
        #expect(Reply.status("").traceText == "STATUS(\"\")")
        #expect(Reply.status("ok").traceText == "STATUS(ok)")
    }

    @Test func timesHaveThreeDecimalsAtTheEdges() throws {
        let cases: [(Int64, String)] = [
            (0, "     0.000"), (1, "     0.001"), (999, "     0.999"), (1_000, "     1.000"),
            (999_999_999, "999999.999"), (1_000_000_000, "1000000.000"), (-1_000, "    -1.000"),
            (Int64.max, "9223372036854775.807"), (Int64.min, "-9223372036854775.808"),
        ]
        for (time, prefix) in cases {
            let event = SampleTrace.event(time, .server, .restart)
            let line = TraceText.line(event)
            #expect(line.hasPrefix(prefix + " server restart"), "time \(time): \(line)")
            #expect(try TraceText.parse(line, source: "t") == [event])
        }
    }
}
