import Foundation
import Testing
import Trace

@testable import Scenario

/// Every file in scenarios/ loads cleanly, and the failure modes DESIGN.md names each have one.
@Suite struct BundledScenarioTests {
    @Test func everyBundledScenarioLoads() throws {
        let paths = try TestSupport.bundledScenarioPaths()
        #expect(!paths.isEmpty)
        for path in paths {
            do {
                let scenario = try ScenarioLoader.load(path: path)
                scenario.checkInvariants()
                let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                #expect(scenario.name == stem, "\(path): name should match the file name")
                #expect(!scenario.about.isEmpty, "\(path): about should say what it shows")
                #expect(scenario.expectations.count == scenario.protocols.count,
                        "\(path): every protocol should have an expectation")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func eachFailureModeHasAScenario() throws {
        let names = try TestSupport.bundledScenarioPaths().map {
            URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent
        }
        for expected in [
            "happy-path", "lease-expiry-pause", "lease-expiry-slow-origin", "lost-acquire-reply",
            "non-atomic-release", "redis-restart-mid-reload", "stale-set-after-invalidation", "stampede-pre-review",
        ] {
            #expect(names.contains(expected), "scenarios/\(expected).yaml is missing")
        }
    }

    @Test func nonAtomicReleaseComparesTwoReleaseStyles() throws {
        let path = TestSupport.scenariosDirectory.appendingPathComponent("non-atomic-release.yaml").path
        let scenario = try ScenarioLoader.load(path: path)
        #expect(scenario.protocols.map(\.name) == ["get-then-delete", "compare-and-delete"])
        #expect(scenario.protocols.map(\.variant.release) == [.getThenDelete, .compareAndDelete])
        var expected = Preset.pr4821.variant
        expected.release = .getThenDelete
        #expect(scenario.protocols[0].variant == expected)
        #expect(scenario.faults == [Fault(
            kind: .pause(worker: 1, callNumber: 1, duration: LatencyRange(fixedMicroseconds: 6_000_000), point: .beforeReleaseDelete),
            maybe: false)])
        #expect(scenario.explore.pausesMicroseconds == [6_000_000])
    }
}
