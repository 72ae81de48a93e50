import Testing
import Trace

/// Both machine-readable forms read back exactly what they wrote, for thousands of seeded random events.
@Suite struct TraceRoundTripTests {
    static let seeds: [UInt64] = [0, 1, 2, 3, 4, 5, 6, 7]
    static let eventsPerSeed = 1_000

    @Test(arguments: seeds) func textRoundTrips(seed: UInt64) throws {
        var generator = RandomTraceEvents(seed: seed)
        let events = generator.events(count: Self.eventsPerSeed)
        for (index, event) in events.enumerated() {
            let line = TraceText.line(event)
            #expect(!line.contains("\n") && !line.contains("\r"), "seed \(seed) event \(index): \(line)")
            let parsed = try TraceText.parse(line, source: "seed-\(seed)")
            #expect(parsed == [event], "seed \(seed) event \(index): \(line)")
            if parsed != [event] { return }
        }
        #expect(try TraceText.parse(TraceText.format(events), source: "seed-\(seed)") == events, "seed \(seed)")
    }

    @Test(arguments: seeds) func jsonLinesRoundTrip(seed: UInt64) throws {
        var generator = RandomTraceEvents(seed: seed)
        let events = generator.events(count: Self.eventsPerSeed)
        for (index, event) in events.enumerated() {
            let line = TraceJSONLines.line(event)
            #expect(!line.contains("\n") && !line.contains("\r"), "seed \(seed) event \(index): \(line)")
            let parsed = try TraceJSONLines.parse(line, source: "seed-\(seed)")
            #expect(parsed == [event], "seed \(seed) event \(index): \(line)")
            if parsed != [event] { return }
        }
        #expect(try TraceJSONLines.parse(TraceJSONLines.format(events), source: "seed-\(seed)") == events, "seed \(seed)")
    }

    /// The generator reaches what it is meant to: a round trip that never met a hard case would prove little.
    @Test func generatorCoversTheHardCases() {
        var generator = RandomTraceEvents(seed: 0)
        let events = generator.events(count: Self.eventsPerSeed * Self.seeds.count)
        var names: Set<String> = []
        var quotedBulks = 0
        var invalidUTF8Values = 0
        var keysWithSpaces = 0
        for event in events {
            names.insert(event.kind.name)
            if case .exec(let command, .bulk(let bytes)) = event.kind {
                if Reply.bulk(bytes).traceText != Reply.bulk(bytes).description { quotedBulks += 1 }
                if case .set(let key, _, _) = command, key.contains(" ") { keysWithSpaces += 1 }
                if String(validating: bytes, as: UTF8.self) == nil { invalidUTF8Values += 1 }
            }
        }
        #expect(names.count == 15)
        #expect(quotedBulks > 10)
        #expect(invalidUTF8Values > 10)
        #expect(keysWithSpaces > 0)
    }

    @Test func sameSeedSameEvents() {
        var first = RandomTraceEvents(seed: 42)
        var second = RandomTraceEvents(seed: 42)
        #expect(first.events(count: 100) == second.events(count: 100))
    }
}
