import Testing
import Trace

@testable import Scenario

/// A valid scenario decoded field by field, and the defaults of everything optional.
@Suite struct ScenarioDecodingTests {
    static let full = """
        name: full_example-1
        about: |
          Every field.
          Two lines.
        protocols:
          - pr-4821
          - tuned: {preset: fenced, lock: lease, lease-ttl: 3s, cache-ttl: 60s, origin-timeout: 1.5s,
                    release: get-then-delete, write: fenced, contended: serve-stale, command-timeout: 250ms}
          - no-timeout: {preset: pr-4821-timeout, origin-timeout: none}
        keys:
          user:1: {cached: 1, source: 2}
          cold: {source: 0}
          null-cached: {cached: ~, source: 5}
        workers: 3
        calls:
          - {at: 2s, worker: w1, key: user:1}
          - {at: 0ms, worker: w1, key: cold}
          - {at: 0ms, worker: w2, key: user:1}
          - {at: 0ms, worker: w1, key: user:1}
          - {at: 1.5ms, worker: w3, key: null-cached}
        writes:
          - {at: 3s, key: user:1, invalidate: true}
          - {at: 1s, key: user:1, writer: cms}
          - {at: 1s, key: cold, invalidate: false, writer: cms}
        network:
          latency: {min: 1ms, max: 3ms}
        origin:
          latency: {min: 40ms, max: 60ms}
          overrides:
            - {worker: w1, call: 3, latency: 7s}
            - {worker: w2, fail: true}
            - {worker: w3, call: 1, latency: 10ms, fail: true}
        faults:
          - {worker: w1, call: 2, pause: 2s, at: after-load}
          - {worker: w2, lose-reply: acquire, maybe: true}
          - {worker: w3, call: 1, drop-connection: release}
          - {restart-redis: 4s}
          - {worker: w1, pause: 500ms, at: before-release-delete, maybe: false}
        explore:
          network-latency: [3ms, 1ms, 2ms]
          origin-latency: [7s, 50ms]
          pause: [500ms, 1s]
        seeds: 7
        bounds: {call-latency: 10s, lease-hold: 6s}
        expect:
          tuned: {fail: [single-loader], hold: [no-stale-overwrite, owner-only-release]}
          pr-4821: {fail: [no-stale-overwrite, single-loader]}
        """

    @Test func fullScenarioField() throws {
        let scenario = try ScenarioLoader.load(text: Self.full, path: "full.yaml")
        #expect(scenario.name == "full_example-1")
        #expect(scenario.about == "Every field.\nTwo lines.\n")
        #expect(scenario.sourcePath == "full.yaml")

        let tuned = ProtocolVariant(
            lock: .lease, leaseTTLMilliseconds: 3_000, cacheTTLSeconds: 60, originTimeoutMicroseconds: 1_500_000,
            release: .getThenDelete, write: .fenced, contended: .serveStale, commandTimeoutMicroseconds: 250_000)
        var noTimeout = Preset.pr4821Timeout.variant
        noTimeout.originTimeoutMicroseconds = nil
        #expect(scenario.protocols == [
            NamedVariant(preset: .pr4821),
            NamedVariant(name: "tuned", preset: .fenced, variant: tuned),
            NamedVariant(name: "no-timeout", preset: .pr4821Timeout, variant: noTimeout),
        ])

        #expect(scenario.keys == [
            ScenarioKey(key: "user:1", cachedVersion: 1, sourceVersion: 2),
            ScenarioKey(key: "cold", cachedVersion: nil, sourceVersion: 0),
            ScenarioKey(key: "null-cached", cachedVersion: nil, sourceVersion: 5),
        ])
        #expect(scenario.workerCount == 3)

        // Sorted by time, ties in file order; numbered per worker in that order.
        #expect(scenario.calls == [
            Call(atMicroseconds: 0, worker: 1, key: "cold", callNumber: 1),
            Call(atMicroseconds: 0, worker: 2, key: "user:1", callNumber: 1),
            Call(atMicroseconds: 0, worker: 1, key: "user:1", callNumber: 2),
            Call(atMicroseconds: 1_500, worker: 3, key: "null-cached", callNumber: 1),
            Call(atMicroseconds: 2_000_000, worker: 1, key: "user:1", callNumber: 3),
        ])
        #expect(scenario.calls[2].token == Token("w1.2"))
        #expect(scenario.calls(ofWorker: 1).map(\.callNumber) == [1, 2, 3])

        // Versions count up per key from its source version, in time order.
        #expect(scenario.writes == [
            SourceWrite(atMicroseconds: 1_000_000, key: "user:1", version: 3, invalidate: false, writer: "cms"),
            SourceWrite(atMicroseconds: 1_000_000, key: "cold", version: 1, invalidate: false, writer: "cms"),
            SourceWrite(atMicroseconds: 3_000_000, key: "user:1", version: 4, invalidate: true, writer: "writer"),
        ])

        #expect(scenario.network == NetworkSettings(latency: LatencyRange(minMicroseconds: 1_000, maxMicroseconds: 3_000)))
        #expect(scenario.origin == OriginSettings(
            latency: LatencyRange(minMicroseconds: 40_000, maxMicroseconds: 60_000),
            overrides: [
                OriginOverride(worker: 1, callNumber: 3, latencyMicroseconds: 7_000_000, fails: false),
                OriginOverride(worker: 2, callNumber: 1, latencyMicroseconds: nil, fails: true),
                OriginOverride(worker: 3, callNumber: 1, latencyMicroseconds: 10_000, fails: true),
            ]))
        #expect(scenario.origin.override(worker: 2, callNumber: 1)?.fails == true)
        #expect(scenario.origin.override(worker: 2, callNumber: 2) == nil)

        #expect(scenario.faults == [
            Fault(kind: .pause(worker: 1, callNumber: 2, duration: LatencyRange(fixedMicroseconds: 2_000_000), point: .afterLoad),
                  maybe: false),
            Fault(kind: .loseReply(worker: 2, callNumber: 1, command: .acquire), maybe: true),
            Fault(kind: .dropConnection(worker: 3, callNumber: 1, command: .release), maybe: false),
            Fault(kind: .restartRedis(atMicroseconds: 4_000_000), maybe: false),
            Fault(kind: .pause(worker: 1, callNumber: 1, duration: LatencyRange(fixedMicroseconds: 500_000), point: .beforeReleaseDelete),
                  maybe: false),
        ])
        #expect(scenario.faults.map(\.worker) == [1, 2, 3, nil, 1])

        #expect(scenario.explore == ExploreValues(
            networkLatenciesMicroseconds: [3_000, 1_000, 2_000],
            originLatenciesMicroseconds: [7_000_000, 50_000],
            pausesMicroseconds: [500_000, 1_000_000]))
        #expect(scenario.seedCount == 7)
        #expect(scenario.seeds == 0..<7)
        #expect(scenario.bounds == Bounds(callLatencyMicroseconds: 10_000_000, leaseHoldMicroseconds: 6_000_000))
        #expect(scenario.expectations == [
            Expectation(protocolName: "tuned", fail: [.singleLoader], hold: [.noStaleOverwrite, .ownerOnlyRelease]),
            Expectation(protocolName: "pr-4821", fail: [.noStaleOverwrite, .singleLoader], hold: []),
        ])
        #expect(scenario.expectation(for: "tuned")?.fail == [.singleLoader])
        #expect(scenario.expectation(for: "no-timeout") == nil)
        #expect(scenario.namedVariant("tuned")?.variant == tuned)

        // Declared bounds win over the derived ones, for every variant.
        #expect(scenario.leaseHoldBoundMicroseconds(for: tuned) == 6_000_000)
        #expect(scenario.callLatencyBoundMicroseconds(for: tuned) == 10_000_000)
        scenario.checkInvariants()
    }

    @Test func defaults() throws {
        let scenario = try ScenarioLoader.load(text: TestSupport.minimal(), path: "minimal.yaml")
        #expect(scenario.about == "")
        #expect(scenario.protocols.map(\.name) == ["pre-review", "pr-4821", "pr-4821-timeout", "fenced"])
        #expect(scenario.protocols.map(\.variant) == Preset.allCases.map(\.variant))
        #expect(scenario.writes == [])
        #expect(scenario.network == NetworkSettings(latency: LatencyRange(fixedMicroseconds: 1_000)))
        #expect(scenario.origin == OriginSettings(latency: LatencyRange(fixedMicroseconds: 10_000), overrides: []))
        #expect(scenario.faults == [])
        #expect(scenario.explore == ExploreValues(
            networkLatenciesMicroseconds: [1_000], originLatenciesMicroseconds: [10_000], pausesMicroseconds: []))
        #expect(scenario.seedCount == 100)
        #expect(scenario.bounds == Bounds(callLatencyMicroseconds: nil, leaseHoldMicroseconds: nil))
        #expect(scenario.expectations == [])
    }

    @Test func nullSectionsMeanTheirDefaults() throws {
        let scenario = try ScenarioLoader.load(
            text: TestSupport.minimal("writes:\nnetwork:\norigin: ~\nfaults: null\nexplore:\nbounds:\nexpect:"),
            path: "nulls.yaml")
        #expect(scenario == (try ScenarioLoader.load(text: TestSupport.minimal(), path: "nulls.yaml")))
    }

    @Test func exploreDefaultsAreTheRangesEnds() throws {
        let scenario = try ScenarioLoader.load(text: TestSupport.minimal("""
            network: {latency: {min: 1ms, max: 3ms}}
            origin: {latency: {min: 50ms, max: 50ms}}
            faults:
              - {worker: w1, pause: 6s, at: after-load, maybe: true}
              - {worker: w1, pause: 2s, at: before-write}
              - {worker: w1, pause: 4s, at: before-acquire}
            """), path: "explore.yaml")
        #expect(scenario.explore == ExploreValues(
            networkLatenciesMicroseconds: [1_000, 3_000],
            originLatenciesMicroseconds: [50_000],
            pausesMicroseconds: [2_000_000, 6_000_000]))
    }

    @Test func designsExampleLoadsAsWritten() throws {
        // DESIGN.md "Scenarios", verbatim (comments included).
        let text = """
            name: lease-expiry-mid-reload
            about: The origin is slower than the lease TTL; w1's late SET overwrites w2's newer value.
            protocols: [pr-4821, fenced]      # presets; or named variants: {slow-lease: {preset: pr-4821, lease-ttl: 3s}}
            keys:
              user:1: {cached: 1, source: 1}  # versions; a missing `cached` means a cold cache
            workers: 2                        # w1, w2
            calls:                            # evictAndReload calls; numbered per worker from 1
              - {at: 0ms, worker: w1, key: user:1}
              - {at: 5500ms, worker: w2, key: user:1}
            writes:                           # the source changes; `invalidate: true` also DELs the cached key
              - {at: 3s, key: user:1}
            network:
              latency: {min: 1ms, max: 3ms}   # one way; or a single duration
            origin:
              latency: 50ms
              overrides:
                - {worker: w1, call: 1, latency: 7s}
            faults: []                        # e.g. {worker: w1, call: 1, pause: 2s, at: after-load}
                                              #      {worker: w2, call: 1, lose-reply: acquire}   {restart-redis: 4s}
            explore:                          # the values the model's search tries; each must lie inside the ranges above
              network-latency: [1ms, 3ms]
            seeds: 200                        # random simulator runs use seeds 0..199; seed 0 gives the golden trace
            bounds: {call-latency: 10s}
            expect:                           # per preset; properties not named are reported, not judged
              pr-4821: {fail: [no-stale-overwrite, single-loader], hold: [owner-only-release]}
              fenced:  {fail: [single-loader], hold: [no-stale-overwrite, owner-only-release]}
            """
        let scenario = try ScenarioLoader.load(text: text, path: "design.yaml")
        #expect(scenario.calls.map(\.token) == [Token("w1.1"), Token("w2.1")])
        #expect(scenario.writes.map(\.version) == [2])
        #expect(scenario.seeds == 0..<200)
        #expect(scenario.bounds.callLatencyMicroseconds == 10_000_000)
        #expect(scenario.explore.originLatenciesMicroseconds == [50_000])
    }

    // MARK: - Derived bounds

    @Test func derivedLeaseHoldIsTheLoadPlusTwoCommandTimeouts() throws {
        let scenario = try ScenarioLoader.load(text: TestSupport.minimal("""
            origin:
              latency: {min: 40ms, max: 60ms}
              overrides: [{worker: w1, latency: 7s}]
            faults: [{worker: w1, pause: 3s, at: after-load}, {worker: w1, pause: 1s, at: before-write}]
            """), path: "bounds.yaml")
        #expect(scenario.largestOriginLatencyMicroseconds == 7_000_000)
        #expect(scenario.totalPauseMicroseconds == 4_000_000)
        // No origin timeout: the largest origin latency (the override's 7s), plus 2 x 1s.
        #expect(scenario.leaseHoldBoundMicroseconds(for: Preset.pr4821.variant) == 9_000_000)
        // With the reviewer's 2s timeout: 2s + 2 x 1s.
        #expect(scenario.leaseHoldBoundMicroseconds(for: Preset.pr4821Timeout.variant) == 4_000_000)
        // Call latency: the load + 7 command timeouts + every pause.
        #expect(scenario.callLatencyBoundMicroseconds(for: Preset.pr4821.variant) == 7_000_000 + 7_000_000 + 4_000_000)
        #expect(scenario.callLatencyBoundMicroseconds(for: Preset.pr4821Timeout.variant)
                == 2_000_000 + 7_000_000 + 4_000_000)
        var slow = Preset.pr4821.variant
        slow.commandTimeoutMicroseconds = 250_000
        #expect(scenario.leaseHoldBoundMicroseconds(for: slow) == 7_500_000)
    }

    @Test func derivedBoundsSaturateInsteadOfOverflowing() throws {
        let scenario = try ScenarioLoader.load(text: TestSupport.minimal(), path: "bounds.yaml")
        var huge = Preset.pr4821.variant
        huge.commandTimeoutMicroseconds = Int64.max / 2
        #expect(scenario.leaseHoldBoundMicroseconds(for: huge) == Int64.max)
        #expect(scenario.callLatencyBoundMicroseconds(for: huge) == Int64.max)
    }

    @Test func declaringOneBoundLeavesTheOtherDerived() throws {
        let scenario = try ScenarioLoader.load(
            text: TestSupport.minimal("bounds: {lease-hold: 3s}"), path: "bounds.yaml")
        #expect(scenario.leaseHoldBoundMicroseconds(for: Preset.fenced.variant) == 3_000_000)
        #expect(scenario.callLatencyBoundMicroseconds(for: Preset.fenced.variant) == 10_000 + 7_000_000)
    }

    // MARK: - Files

    @Test func loadingTheSameTextTwiceGivesTheSameScenario() throws {
        let first = try ScenarioLoader.load(text: Self.full, path: "full.yaml")
        let second = try ScenarioLoader.load(bytes: Array(Self.full.utf8), path: "full.yaml")
        #expect(first == second)
    }

    @Test func carriageReturnLineEndingsAndABOMLoad() throws {
        let crlf = TestSupport.minimal().replacingOccurrences(of: "\n", with: "\r\n")
        let scenario = try ScenarioLoader.load(bytes: [0xEF, 0xBB, 0xBF] + Array(crlf.utf8), path: "crlf.yaml")
        #expect(scenario.name == "minimal")
    }
}
