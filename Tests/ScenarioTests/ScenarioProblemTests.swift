import Testing
import Trace

@testable import Scenario

/// Each kind of mistake, with its exact message and position (line:column, both from 1).
@Suite struct ScenarioProblemTests {
    /// Compares the problems of `text` with `expected`, line by line.
    private func check(_ text: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = TestSupport.lines(text)
        #expect(actual == expected, sourceLocation: sourceLocation)
    }

    private let rootKeys = "name, about, protocols, keys, workers, calls, writes, network, origin, faults, explore, "
        + "seeds, bounds, expect, real-redis"

    // MARK: - Keys

    @Test func unknownKeyNamesTheNearestKnownKey() {
        check(TestSupport.minimal("network:\n  laterncy: 3ms"), [
            "8:3: unknown key 'laterncy'; did you mean 'latency'?",
        ])
    }

    @Test func unknownKeyFarFromEveryKeyListsThemAll() {
        check(TestSupport.minimal("colour: red"), [
            "7:1: unknown key 'colour'; expected one of: \(rootKeys)",
        ])
    }

    @Test func duplicateKeyPointsAtTheSecond() {
        check(TestSupport.minimal("workers: 3"), [
            "7:1: duplicate key 'workers' (first at 4:1); give each key once",
        ])
    }

    @Test func missingRequiredKeysAreEachReportedAtTheMapping() {
        check("about: nothing else\n", [
            "1:1: missing required key 'name'; add e.g. name: lease-expiry",
            "1:1: missing required key 'keys'; add e.g. keys: {user:1: {cached: 1, source: 1}}",
            "1:1: missing required key 'workers'; add e.g. workers: 2",
            "1:1: missing required key 'calls'; add e.g. calls: [{at: 0ms, worker: w1, key: user:1}]",
        ])
    }

    @Test func missingKeysInsideEntries() {
        let text = """
            name: x
            keys:
              user:1: {cached: 1}
            workers: 1
            calls:
              - {worker: w1}
            """
        check(text, [
            "3:11: missing required key 'source'; add e.g. source: 1",
            "6:5: missing required key 'at'; add e.g. at: 0ms",
            "6:5: missing required key 'key'; add e.g. key: user:1",
        ])
    }

    // MARK: - Types

    @Test func typeMismatches() {
        let text = """
            name: [x]
            keys: []
            workers: two
            calls: {at: 0ms}
            network: fast
            seeds: 1.5
            writes:
              - {at: {min: 1ms}, key: user:1, invalidate: yes}
            """
        check(text, [
            "1:7: 'scenario name' must be text, found a sequence; write e.g. lease-expiry",
            "2:7: 'keys' must be a mapping, found a sequence; write 'key: value' pairs under it",
            "3:10: 'workers' must be an integer, found 'two'; write a whole number, e.g. 2",
            "4:8: 'calls' must be a sequence, found a mapping; write a list, e.g. [a, b], or '- ' lines",
            "5:10: 'network' must be a mapping, found 'fast'; write 'key: value' pairs under it",
            "6:8: 'seeds' must be an integer, found '1.5'; write a whole number, e.g. 100",
            "8:10: 'at' must be a duration, found a mapping; write e.g. 300ms, 1.5s or 250us",
            "8:47: 'invalidate' must be true or false, found 'yes'; write true or false",
        ])
    }

    @Test func aScenarioMustBeAMapping() {
        check("- name: x\n", [
            "1:1: a scenario must be a mapping, found a sequence; write 'key: value' lines, starting with name:",
        ])
    }

    @Test func integersOutOfRange() {
        let text = TestSupport.minimal("seeds: 0").replacingOccurrences(of: "workers: 2", with: "workers: 1001")
        check(text, [
            "4:10: 'workers' is '1001'; write a whole number from 1 to 1000",
            "7:8: 'seeds' is '0'; write a whole number from 1 to 1000000",
        ])
    }

    // MARK: - Times

    @Test func durationsWithoutUnitsAndNegativeTimes() {
        let text = """
            name: x
            keys: {k: {source: 1}}
            workers: 1
            calls:
              - {at: 300, worker: w1, key: k}
              - {at: -5ms, worker: w1, key: k}
            network: {latency: {min: 3ms, max: 1ms}}
            """
        check(text, [
            "5:10: '300' has no unit; write 300ms, 300s or 300us",
            "6:10: '-5ms' is negative; write a time of 0 or more",
            "7:20: min 3ms is above max 1ms; swap them",
        ])
    }

    // MARK: - Names

    @Test func unknownWorkersAndKeys() {
        let text = """
            name: x
            keys:
              user:1: {cached: 1, source: 1}
            workers: 2
            calls:
              - {at: 0ms, worker: w3, key: user:2}
              - {at: 0ms, worker: x1, key: user:1}
            writes:
              - {at: 1s, key: session:9}
            """
        check(text, [
            "6:23: unknown worker 'w3'; workers: 2 names w1 and w2",
            "6:32: unknown cache key 'user:2'; did you mean 'user:1'?",
            "7:23: 'x1' is not a worker; write w1 and w2",
            "9:19: unknown cache key 'session:9'; expected one of: user:1",
        ])
    }

    @Test func unknownPresetsPropertiesAndProtocols() {
        let text = TestSupport.minimal("""
            protocols: [pr-4281, fenced]
            expect:
              fencd: {fail: [single-loader]}
            """)
        check(text, [
            "7:13: unknown preset 'pr-4281'; did you mean 'pr-4821'?",
        ])
        let expect = TestSupport.minimal("""
            protocols: [pr-4821, fenced]
            expect:
              fencd: {fail: [single-loder]}
              fenced: {hold: [owner-only-releese, single-loader, single-loader], fail: [single-loader]}
            """)
        check(expect, [
            "9:3: unknown protocol 'fencd' (not in protocols); did you mean 'fenced'?",
            "10:19: unknown property 'owner-only-releese'; did you mean 'owner-only-release'?",
            "10:54: 'single-loader' is listed twice; list it once",
        ])
        let both = TestSupport.minimal("""
            expect:
              fenced: {fail: [single-loader], hold: [single-loader]}
            """)
        check(both, [
            "8:35: 'single-loader' is in both fail and hold; keep it in one",
        ])
        let reach = TestSupport.minimal("""
            expect:
              fenced: {reach: [contended-call, fenced-write-refused], hold: [single-loader], raech: []}
            """)
        check(reach, [
            "8:82: unknown key 'raech'; did you mean 'reach'?",
        ])
        let reachName = TestSupport.minimal("""
            expect:
              fenced: {reach: [contended-cal, fenced-write-refused]}
            """)
        check(reachName, [
            "8:20: unknown sometimes property 'contended-cal'; did you mean 'contended-call'?",
        ])
    }

    @Test func badNames() {
        let text = """
            name: lease expiry
            keys:
              lease:user:1: {source: 1}
              "user 1": {source: 1}
              user:1: {cached: 3, source: 2}
            workers: 1
            calls: [{at: 0ms, worker: w1, key: user:1}]
            writes:
              - {at: 1s, key: user:1, writer: w2}
              - {at: 1s, key: user:1, writer: server}
            """
        check(text, [
            "1:7: 'lease expiry' is not a valid scenario name; use up to 128 letters, digits, '-' and '_', "
                + "starting with a letter or digit, e.g. lease-expiry",
            "3:3: 'lease:user:1' would collide with the lease keys 'lease:<key>'; name the cache key without the "
                + "'lease:' prefix",
            "4:3: 'user 1' is not a valid cache key; write up to 128 printable characters without spaces, e.g. user:1",
            "5:12: cached version 3 is newer than the source's version 2; the cache can only hold a version the "
                + "source had, at most 2",
            "9:35: writer name 'w2' is a worker's trace name; name writers otherwise, e.g. writer or cms",
            "10:35: writer name 'server' is a server's trace name; name writers otherwise, e.g. writer or cms",
        ])
    }

    // MARK: - Protocol variants

    @Test func incoherentVariantsUseTheVariantsOwnProblems() {
        let text = TestSupport.minimal("""
            protocols:
              - odd: {preset: pr-4821, lock: none, write: fenced}
              - zero: {preset: pr-4821, lease-ttl: 0ms}
              - no-lock-fenced: {preset: fenced, lock: none}
            """)
        check(text, [
            "8:40: incoherent protocol 'odd': write: a fenced write checks the lease, so it needs `lock: lease`",
            "9:29: incoherent protocol 'zero': lease-ttl: must be at least 1ms (Redis refuses PX 0)",
            "10:5: incoherent protocol 'no-lock-fenced': write: a fenced write checks the lease, so it needs "
                + "`lock: lease`",
        ])
    }

    @Test func knobValuesAndUnits() {
        let text = TestSupport.minimal("""
            protocols:
              - a: {preset: pr-4821, lease-ttl: 1500us, cache-ttl: 1500ms, release: cas, lok: lease}
              - b: {lock: lease}
              - fenced: {preset: fenced}
              - pr-4821
              - pr-4821
            """)
        check(text, [
            "8:37: lease-ttl '1500us' is not a whole number of milliseconds; Redis takes PX in milliseconds, e.g. 1ms",
            "8:56: cache-ttl '1500ms' is not a whole number of seconds; Redis takes EX in seconds, e.g. 1s",
            "8:73: unknown release 'cas'; expected one of: compare-and-delete, get-then-delete, delete",
            "8:78: unknown key 'lok'; did you mean 'lock'?",
            "9:8: missing required key 'preset'; add e.g. preset: pr-4821",
            "10:5: 'fenced' is a preset's name; give the variant a name of its own, e.g. fenced-variant",
            "12:5: protocol 'pr-4821' is listed twice (first at 11:5); list each once",
        ])
    }

    @Test func emptyListsAreMistakes() {
        let text = """
            name: x
            keys: {}
            workers: 1
            calls: []
            protocols: []
            """
        check(text, [
            "2:7: 'keys' declares nothing; declare at least one key, e.g. user:1: {cached: 1, source: 1}",
            "4:8: 'calls' lists nothing; add at least one call, e.g. {at: 0ms, worker: w1, key: user:1}",
            "5:12: 'protocols' lists nothing; name at least one preset, e.g. [pr-4821]",
        ])
    }

    // MARK: - Calls, overrides and faults

    @Test func callsThatDoNotExist() {
        let text = TestSupport.minimal("""
            origin:
              overrides:
                - {worker: w1, call: 2, latency: 1s}
                - {worker: w2, fail: true}
                - {worker: w1}
                - {worker: w1, fail: true}
                - {worker: w1, call: 1, latency: 2s}
            """)
        check(text, [
            "9:26: w1 has no call 2; calls: gives w1 only 1 call",
            "10:7: w2 has no call 1; calls: gives w2 no calls",
            "11:7: this override changes nothing; give latency: <duration>, fail: true, or both",
            "13:7: w1's call 1 already has an override (at 12:7); merge them into one",
        ])
    }

    @Test func faultShapes() {
        let text = TestSupport.minimal("""
            faults:
              - {worker: w1, pause: 2s, at: after-lod}
              - {worker: w1, lose-reply: acquire, at: after-load}
              - {restart-redis: 4s, worker: w1}
              - {worker: w1}
              - {worker: w1, pause: 1s, lose-reply: read, at: after-load}
              - {worker: w1, pause: 0s, at: after-load}
              - {worker: w1, drop-connection: relase}
              - {worker: w1, drop-connection: write, maybe: true}
              - {worker: w1, call: 1, drop-connection: write, maybe: true}
              - {worker: w1, pause: 1s}
            """)
        check(text, [
            "8:33: unknown pause point 'after-lod'; did you mean 'after-load'?",
            "9:39: 'at' applies to pause faults only; remove it",
            "10:25: 'worker' does not apply to restart-redis faults; remove it",
            "11:5: a fault needs one of pause, lose-reply, drop-connection or restart-redis; "
                + "e.g. {worker: w1, pause: 2s, at: after-load}",
            "12:29: a fault has one kind, this one has pause and lose-reply; split it into two faults",
            "13:25: a pause of 0us does nothing; pause for at least 1us",
            "14:35: unknown command 'relase'; did you mean 'release'?",
            "16:5: this fault repeats the one at 15:5; give it once",
            "17:5: missing required key 'at'; add e.g. at: after-load",
        ])
    }

    // MARK: - Explore

    @Test func exploreValuesOutsideTheirRanges() {
        let text = TestSupport.minimal("""
            network: {latency: {min: 1ms, max: 3ms}}
            origin:
              latency: {min: 50ms, max: 100ms}
              overrides: [{worker: w1, latency: 7s}]
            faults:
              - {worker: w1, pause: 2s, at: after-load}
              - {worker: w1, pause: 6s, at: before-write, maybe: true}
            explore:
              network-latency: [1ms, 2ms, 5ms, 2ms]
              origin-latency: [50ms, 7s, 8s]
              pause: [2s, 4s, 7s]
            """)
        check(text, [
            "15:31: network-latency 5ms lies outside network.latency 1ms..3ms; explore values inside it",
            "15:36: network-latency 2ms is listed twice; list each value once",
            "16:30: origin-latency 8s lies outside origin.latency 50ms..100ms and matches no override's latency; "
                + "explore values inside it",
            "17:19: pause 7s lies outside the fault pauses 2s..6s; explore values inside it",
        ])
    }

    @Test func explorePauseNeedsAPauseFault() {
        check(TestSupport.minimal("explore: {pause: [1s], network-latency: []}"), [
            "7:11: explore lists pause lengths but no fault pauses; add a pause fault or remove 'pause'",
            "7:41: 'network-latency' lists nothing; list at least one value, or remove it to explore the range's ends",
        ])
    }

    @Test func boundsMustBePositive() {
        check(TestSupport.minimal("bounds: {lease-hold: 0ms, call-latncy: 1s}"), [
            "7:22: lease-hold 0us allows nothing; give a positive duration, or remove it for the default",
            "7:27: unknown key 'call-latncy'; did you mean 'call-latency'?",
        ])
    }

    // MARK: - YAML the loader refuses

    @Test func anchorsAliasesAndTagsAreRefused() {
        let text = TestSupport.minimal("""
            network: {latency: &fast 1ms}
            origin: {latency: *fast}
            seeds: !!int 5
            """)
        check(text, [
            "7:20: YAML anchors are not supported ('&fast'); write the value out in full",
            "8:19: YAML aliases are not supported ('*fast'); write the value out in full",
            "9:8: YAML tags are not supported ('tag:yaml.org,2002:int'); remove the tag",
        ])
    }

    @Test func complexKeysAreRefused() {
        check(TestSupport.minimal("? [a, b]\n: 1"), [
            "7:3: a key must be plain text, found a sequence; write a name before the ':'",
        ])
    }

    @Test func malformedYAMLGivesLibyamlsProblemAndMark() {
        check("name: x\nkeys: [a, b\nworkers: 1\n", [
            "3:8: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at 2:7); "
                + "check the indentation, brackets and quotes here",
        ])
        check("name: x\n  workers: 1\n", [
            "2:10: malformed YAML: mapping values are not allowed in this context; "
                + "check the indentation, brackets and quotes here",
        ])
    }

    @Test func oneDocumentPerFile() {
        check(TestSupport.minimal("---\nname: y"), [
            "7:1: a second YAML document starts here; a scenario file holds one document, remove this '---'",
        ])
    }

    @Test func emptyAndBlankFiles() {
        let empty = "1:1: the file is empty; a scenario needs at least name, keys, workers and calls"
        check("", [empty])
        check("  \n\n\t\n", [empty])
        check("# only a comment\n", [
            "1:1: the file holds no YAML document; a scenario needs at least name, keys, workers and calls",
        ])
        check("---\n", [
            "1:1: the file holds no scenario; write at least name, keys, workers and calls",
        ])
    }

    // MARK: - The report

    @Test func descriptionIsOneLinePerProblemWithThePath() {
        let text = TestSupport.minimal("network:\n  laterncy: 3ms\nseeds: many")
        do {
            _ = try ScenarioLoader.load(text: text, path: "scenarios/x.yaml")
            Issue.record("loaded a scenario with mistakes")
        } catch {
            #expect(error.description == """
                scenarios/x.yaml:8:3: unknown key 'laterncy'; did you mean 'latency'?
                scenarios/x.yaml:9:8: 'seeds' must be an integer, found 'many'; write a whole number, e.g. 100
                """)
            #expect(error.problems.map(\.kind) == [.unknownKey, .typeMismatch])
        }
    }

    @Test func messagesEchoUserTextOnOneLine() {
        check(TestSupport.minimal("\"work\\ners\": 1"), [
            "7:1: unknown key 'work\\ners'; did you mean 'workers'?",
        ])
        let long = String(repeating: "x", count: 100)
        check(TestSupport.minimal("\(long): 1"), [
            "7:1: unknown key '\(String(repeating: "x", count: 60))...'; expected one of: \(rootKeys)",
        ])
    }
}
