@testable import LeaseModel
import Scenario
import Testing
import Trace

@Test("the fingerprint function gives the same values on every run, process and toolchain")
func fingerprintValuesArePinned() throws {
    #expect(Fingerprint.of([]) == 8_875_495_480_055_558_381)
    #expect(Fingerprint.of([1, 2, 3]) == 6_181_758_437_059_518_061)
    #expect(Fingerprint.of([3, 2, 1]) == 425_262_937_823_739_815)
    // A state's fingerprint pins the canonical encoding too: a field added or reordered changes it.
    let happy = try bundledModel("happy-path", "pr-4821").initialStates
    #expect(happy.count == 1)
    #expect(happy[0].fingerprint == 2_696_885_413_384_354_442)
    #expect(happy[0].canonicalWords.count == 20)
    let slow = try bundledModel("lease-expiry-slow-origin", "pr-4821").initialStates
    #expect(slow[0].fingerprint == 17_613_495_683_689_713_880)
    #expect(slow[0].canonicalWords.count == 26)
}

@Test("the fingerprint is the fingerprint of the canonical words, and word sequences of any length differ")
func fingerprintFoldsTheWords() throws {
    let state = try bundledModel("lost-acquire-reply", "pr-4821").initialStates[0]
    #expect(state.fingerprint == Fingerprint.of(state.canonicalWords))
    #expect(Fingerprint.of([0]) != Fingerprint.of([0, 0]))
    #expect(Fingerprint.of([]) != Fingerprint.of([0]))
}

/// Every state reachable in `model`, compared with Swift's own equality (the readable form).
private func reachableStates(_ model: LeaseModel) -> Set<ModelState> {
    var seen = Set(model.initialStates)
    var frontier = model.initialStates
    while let state = frontier.popLast() {
        for action in model.actions(in: state) {
            let next = model.next(state, after: action)
            if seen.insert(next).inserted { frontier.append(next) }
        }
    }
    return seen
}

@Test(
    "readable states, packed words and fingerprints agree: equal exactly when the states are equal",
    arguments: [("redis-restart-mid-reload", "pr-4821"), ("non-atomic-release", "get-then-delete"),
                ("lease-expiry-pause", "fenced")])
func packedAndReadableAgree(name: String, protocolName: String) throws {
    let model = try bundledModel(name, protocolName)
    let states = reachableStates(model)
    let packed = Set(states.map(\.canonicalWords))
    let fingerprints = Set(states.map(\.fingerprint))
    #expect(packed.count == states.count, "the encoding merges states that differ")
    #expect(fingerprints.count == states.count, "fingerprints collide")
    let report = try cachedReport(name, protocolName)
    #expect(report.statistics.distinctStates == states.count)
}
