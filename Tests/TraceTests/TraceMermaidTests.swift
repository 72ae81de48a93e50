import Testing
import Trace

@Suite struct TraceMermaidTests {
    /// The lease-expiry story: w1's lease is held from its `OK` until the key expires mid-pause, then w1 writes its
    /// stale load and returns.
    static let expiryTrace: [TraceEvent] = Array(SampleTrace.events.prefix(13))

    @Test func leaseHeldExpiryAndReturnArePinned() {
        #expect(TraceMermaid.format(Self.expiryTrace, title: "lease expiry mid-reload") == """
            sequenceDiagram
                title lease expiry mid-reload
                participant w1
                participant writer
                participant Redis
                participant Origin
                Note over w1: call 1 evictAndReload(user:1)
                w1->>Redis: [1.000ms] GET user:1
                Redis-->>w1: v1
                w1->>Redis: [2.000ms] SET lease:user:1 w1.1 PX 5000 NX
                Redis-->>w1: OK
                activate w1
                Note right of w1: holds lease:user:1
                w1->>Origin: [3.000ms] load user:1 (reads v1)
                Note over writer: source user:1 -> v2
                writer->>Redis: [3.600ms] DEL user:1
                Redis-->>writer: 1
                Note over w1: pause (after-load)
                Note over Redis: expire lease:user:1 @ 5002.000ms
                deactivate w1
                Note over w1: resume
                Origin-->>w1: [6000.000ms] v1
                w1->>Redis: [6001.000ms] SET user:1 v1 EX 300
                Redis-->>w1: OK
                w1->>Redis: [6002.000ms] EVAL release lease:user:1 w1.1
                Redis-->>w1: 0
                Note over w1: return fresh v1

            """)
    }

    @Test func lostRepliesTimeoutsFailuresAndRestart() {
        let events: [TraceEvent] = [
            SampleTrace.event(1_000, .worker(2), .replyLost(
                .acquire(key: "user:1", token: Token(worker: 2, call: 1), ttlMilliseconds: 5_000))),
            SampleTrace.event(1_100, .worker(1), .exec(
                .acquire(key: "user:2", token: Token(worker: 1, call: 1), ttlMilliseconds: 5_000), .ok)),
            SampleTrace.event(2_000, .worker(2), .commandTimeout(.get(key: "user:1"))),
            SampleTrace.event(3_000, .worker(1), .loadFail(key: "user:2", reason: "connection refused")),
            SampleTrace.event(3_500, .worker(1), .originTimeout(key: "user:2")),
            SampleTrace.event(4_000, .worker(1), .connectionLost(.release(key: "user:2", token: Token(worker: 1, call: 1)))),
            SampleTrace.event(5_000, .worker(3), .exec(
                .acquire(key: "user:2", token: Token(worker: 3, call: 1), ttlMilliseconds: 5_000), .ok)),
            SampleTrace.event(6_000, .server, .restart),
            // Nothing is held any more: neither a release nor an expiry deactivates again.
            SampleTrace.event(7_000, .worker(3), .exec(.release(key: "user:2", token: Token(worker: 3, call: 1)), .integer(0))),
            SampleTrace.event(8_000, .server, .expire(key: "lease:user:1")),
            SampleTrace.event(9_000, .worker(2), .return(.error(.commandTimeout))),
        ]
        #expect(TraceMermaid.format(events, title: nil) == """
            sequenceDiagram
                participant w1
                participant w2
                participant w3
                participant Redis
                participant Origin
                w2->>Redis: [1.000ms] SET lease:user:1 w2.1 PX 5000 NX
                Redis--xw2: (reply lost)
                activate w2
                Note right of w2: holds lease:user:1
                w1->>Redis: [1.100ms] SET lease:user:2 w1.1 PX 5000 NX
                Redis-->>w1: OK
                activate w1
                Note right of w1: holds lease:user:2
                Note over w2: command timeout (GET user:1)
                Origin--xw1: [3.000ms] failed (#34;connection refused#34;)
                Note over w1: origin timeout
                w1->>Redis: [4.000ms] EVAL release lease:user:2 w1.1
                Redis--xw1: (connection lost)
                deactivate w1
                w3->>Redis: [5.000ms] SET lease:user:2 w3.1 PX 5000 NX
                Redis-->>w3: OK
                activate w3
                Note right of w3: holds lease:user:2
                Note over Redis: restart (empty)
                deactivate w2
                deactivate w3
                w3->>Redis: [7.000ms] EVAL release lease:user:2 w3.1
                Redis-->>w3: 0
                Note over Redis: expire lease:user:1 @ 8.000ms
                Note over w2: return error command-timeout

            """)
    }

    @Test func specialCharactersBecomeEntities() {
        let events: [TraceEvent] = [
            SampleTrace.event(1_000, .worker(1), .exec(
                .set(key: "k;1", value: CacheValue("a#b%c<d&e"), ttlSeconds: 300), .ok)),
            // A line holding `style` would let Mermaid's entity preprocessing eat the `;` after a colon: colons
            // become entities there.
            SampleTrace.event(2_000, .worker(1), .exec(.get(key: "style:x;"), .null)),
            // A reply starting `wrap:` would be taken for Mermaid's wrapping directive.
            SampleTrace.event(3_000, .worker(1), .exec(.get(key: "a:b"), .bulk(Array("wrap:x".utf8)))),
        ]
        #expect(TraceMermaid.format(events, title: "a; b # c") == """
            sequenceDiagram
                title a#59; b #35; c
                participant w1
                participant Redis
                participant Origin
                w1->>Redis: [1.000ms] SET k#59;1 a#35;b#37;c#60;d#38;e EX 300
                Redis-->>w1: OK
                w1->>Redis: [2.000ms] GET style#58;x#59;
                Redis-->>w1: nil
                w1->>Redis: [3.000ms] GET a:b
                Redis-->>w1: wrap#58;x

            """)
    }

    @Test func writersAreSortedAndAwkwardNamesAliased() {
        let events: [TraceEvent] = [
            SampleTrace.event(1, .writer("writer-2"), .write(key: "k", version: 2)),
            SampleTrace.event(2, .writer("end"), .write(key: "k", version: 3)),
            SampleTrace.event(3, .worker(10), .call(key: "k", call: 1)),
            SampleTrace.event(4, .writer("admin"), .write(key: "k", version: 4)),
            SampleTrace.event(5, .worker(2), .call(key: "k", call: 1)),
        ]
        #expect(TraceMermaid.format(events, title: "  ") == """
            sequenceDiagram
                participant w2
                participant w10
                participant admin
                participant writer_1 as end
                participant writer_2 as writer-2
                participant Redis
                participant Origin
                Note over writer_2: source k -> v2
                Note over writer_1: source k -> v3
                Note over w10: call 1 evictAndReload(k)
                Note over admin: source k -> v4
                Note over w2: call 1 evictAndReload(k)

            """)
    }

    /// Over random traces, every line is a statement Mermaid knows, no text holds a character that ends or
    /// comments a statement, and no participant is deactivated more often than it was activated.
    @Test(arguments: [UInt64(0), 1, 2, 3]) func randomTracesStayWellFormed(seed: UInt64) {
        var generator = RandomTraceEvents(seed: seed)
        let diagram = TraceMermaid.format(generator.events(count: 1_000), title: "seed \(seed)")
        var active: [String: Int] = [:]
        let lines = diagram.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "sequenceDiagram")
        #expect(lines.last == "")
        for line in lines.dropFirst().dropLast() {
            #expect(line.hasPrefix("    "), "seed \(seed): \(line)")
            let statement = line.dropFirst(4)
            #expect(!statement.contains(";") || statement.contains("#"), "seed \(seed): \(line)")
            // Every `#` starts an entity `#<code>;`.
            var rest = Substring(statement)
            while let hash = rest.firstIndex(of: "#") {
                let entity = rest[hash...].prefix { $0 != ";" }
                #expect(entity.count > 1 && entity.dropFirst().allSatisfy(\.isNumber), "seed \(seed): \(line)")
                rest = rest[rest.index(after: hash)...]
            }
            if statement.hasPrefix("activate ") {
                active[String(statement.dropFirst(9)), default: 0] += 1
            } else if statement.hasPrefix("deactivate ") {
                let id = String(statement.dropFirst(11))
                active[id, default: 0] -= 1
                #expect(active[id, default: 0] >= 0, "seed \(seed): \(id) deactivated twice")
            } else {
                let known = ["title ", "participant ", "Note over ", "Note right of "].contains { statement.hasPrefix($0) }
                    || statement.contains("->>") || statement.contains("-->>") || statement.contains("--x")
                #expect(known, "seed \(seed): \(line)")
            }
        }
    }
}
