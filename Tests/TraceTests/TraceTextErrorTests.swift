import Testing
import Trace

/// Malformed text lines are reported at their line and column, with what would be right.
@Suite struct TraceTextErrorTests {
    /// The error a text parses to, as its one line.
    func error(_ text: String) -> String? {
        do {
            _ = try TraceText.parse(text, source: "bad.trace")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func unknownEvent() {
        #expect(error("# header\n\n     1.000 w1     frobnicate user:1\n") == """
            bad.trace:3:19: unknown event `frobnicate`; expected one of call, exec, reply-lost, command-timeout, \
            connection-lost, load-start, load-end, load-fail, origin-timeout, pause, resume, write, expire, restart, \
            return
            """)
    }

    @Test func badTime() {
        #expect(error("     0.000 w1     call user:1 1\n1.00 w1 call user:1 1\n") == """
            bad.trace:2:1: bad time `1.00`; expected milliseconds with three decimals, such as `12.345`
            """)
        #expect(error("1.2.3 w1 call user:1 1") ==
            "bad.trace:1:1: bad time `1.2.3`; expected milliseconds with three decimals, such as `12.345`")
        #expect(error("99999999999999999.000 w1 call user:1 1") ==
            "bad.trace:1:1: bad time `99999999999999999.000`; expected milliseconds with three decimals, such as `12.345`")
    }

    @Test func unknownActor() {
        #expect(error("     1.000 w#1    call user:1 1") == """
            bad.trace:1:12: unknown actor `w#1`; expected `w<n>` (n from 1), `server`, or a writer name of letters, \
            digits, `-` and `_`
            """)
    }

    @Test func badCommand() {
        #expect(error("     1.000 w1     exec FETCH user:1 -> v1") == """
            bad.trace:1:24: unknown command `FETCH`; expected `GET`, `SET`, `DEL`, `EVAL release` or `EVAL fenced-write`
            """)
        #expect(error("     1.000 w1     exec EVAL unlock lease:user:1 w1.1 -> 1") == """
            bad.trace:1:24: unknown command `EVAL unlock`; expected `GET`, `SET`, `DEL`, `EVAL release` or \
            `EVAL fenced-write`
            """)
        #expect(error("     1.000 w1     exec SET lease:user:1 w1.1 PX 5000 -> OK") ==
            "bad.trace:1:54: unexpected `->`; expected `NX`")
        #expect(error("     1.000 w1     exec SET user:1 w1.1 PX 5000 NX -> OK") ==
            "bad.trace:1:28: unexpected `user:1`; expected a lease key, such as `lease:user:1`")
        #expect(error("     1.000 w1     exec SET user:1 v1 KEEPTTL -> OK") ==
            "bad.trace:1:38: unexpected `KEEPTTL`; expected `PX` (a lease acquire) or `EX` (a cache write)")
        #expect(error("     1.000 w1     exec EVAL fenced-write user:1 lease:user:2 v2 w2.1 300 -> OK") ==
            "bad.trace:1:49: unexpected `lease:user:2`; expected `lease:user:1`, the key's lease")
    }

    @Test func missingAndExtraWords() {
        #expect(error("     1.000 w1     call user:1") ==
            "bad.trace:1:30: the line ends early; expected the call number")
        #expect(error("     1.000 w1     exec GET user:1 v1") ==
            "bad.trace:1:35: unexpected `v1`; expected `->`")
        #expect(error("     1.000 w1     return miss now") ==
            "bad.trace:1:31: unexpected `now`; expected the end of the line")
        #expect(error("     1.000 w1     return fresh v1 lost") ==
            "bad.trace:1:35: unexpected `lost`; expected `lease-lost` or the end of the line")
        #expect(error("     1.000 w1") == "bad.trace:1:14: the line ends early; expected the event name, such as `exec`")
    }

    @Test func badWords() {
        #expect(error("     1.000 w1     exec GET \"user:1 -> v1") == """
            bad.trace:1:28: a quote that is never closed; a quoted word is `"..."` with only `\\"`, `\\\\` and `\\xNN` \
            escapes
            """)
        #expect(error("     1.000 w1     exec GET \"a\\qb\" -> v1") == """
            bad.trace:1:30: an unknown escape; a quoted word is `"..."` with only `\\"`, `\\\\` and `\\xNN` escapes
            """)
        #expect(error("     1.000 w1     exec GET user:1 -> 99999999999999999999") == """
            bad.trace:1:38: unexpected `99999999999999999999`; expected an integer reply that fits in 64 bits (a bulk \
            of digits is quoted: `"12"`)
            """)
        #expect(error("     1.000 w1     exec GET user:1 -> ERR(x") ==
            "bad.trace:1:38: unexpected `ERR(x`; expected `ERR(<an error message>)`, one word inside the parentheses")
        #expect(error("     1.000 w1     load-start user:1 2") ==
            "bad.trace:1:37: unexpected `2`; expected a version, such as `v2`")
        #expect(error("     1.000 w1     call \"\\xff\" 1") ==
            "bad.trace:1:24: unexpected `\"\\xff\"`; expected a key (its bytes must be UTF-8)")
        #expect(error("     1.000 w1     pause mid-load") == """
            bad.trace:1:25: unexpected `mid-load`; expected a pause point: `before-acquire`, `after-load`, \
            `before-write`, `before-release`, `before-release-delete`
            """)
        #expect(error("     1.000 w1     return stale v1 busy") ==
            "bad.trace:1:35: unexpected `busy`; expected a stale reason: `contended`, `origin-failed`, `origin-timeout`")
    }

    @Test func columnsCountCharacters() {
        // `é` is two bytes but one column.
        #expect(error("     1.000 w1     call é x") ==
            "bad.trace:1:26: unexpected `x`; expected the call number (an integer)")
    }

    @Test func errorFieldsMatchTheDescription() throws {
        do {
            _ = try TraceText.parse("\n     1.000 w1     frobnicate", source: "x.trace")
            Issue.record("expected an error")
        } catch {
            #expect(error.source == "x.trace")
            #expect(error.line == 2)
            #expect(error.column == 19)
            #expect(error.message.hasPrefix("unknown event `frobnicate`"))
        }
    }
}
