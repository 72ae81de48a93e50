import LeaseModel
import Scenario
import Testing
import Trace

// Every bundled scenario's `expect:` entries against the model's verdicts, and the size of every search.

@Test("every bundled scenario's expect: entries agree with the model's verdicts", arguments: bundledScenarioNames)
func expectationsAgree(name: String) throws {
    let scenario = try bundledScenario(name)
    #expect(!scenario.expectations.isEmpty, "\(name) declares no expectations")
    for named in scenario.protocols {
        let report = try cachedReport(name, named.name)
        #expect(report.limitReached == nil, "\(name) \(named.name): \(report.limitReached ?? "")")
        if let expectation = scenario.expectation(for: named.name) {
            let disagreements = report.disagreements(with: expectation)
            #expect(disagreements.isEmpty, "\(name) \(named.name): \(disagreements)")
        }
    }
}

/// The distinct states of each bundled search: the size of the explored space (stateright's
/// `unique_state_count`). A change here is a change of the model's semantics or of a scenario: review it.
private let pinnedStateCounts: [String: [String: Int]] = [
    "happy-path": ["pre-review": 9, "pr-4821": 11, "pr-4821-timeout": 11, "fenced": 11],
    "lease-expiry-pause": ["pr-4821": 1241, "pr-4821-timeout": 1241, "fenced": 1551],
    "lease-expiry-slow-origin": ["pr-4821": 1225, "pr-4821-timeout": 1119, "fenced": 1535],
    "lost-acquire-reply": ["pre-review": 340, "pr-4821": 363, "fenced": 363],
    "non-atomic-release": ["get-then-delete": 5769, "compare-and-delete": 2033],
    "redis-restart-mid-reload": ["pr-4821": 642, "fenced": 597],
    "stale-set-after-invalidation": ["pre-review": 82, "pr-4821": 217, "fenced": 217],
    "stampede-pre-review": ["pre-review": 13809, "pr-4821": 5787],
]

@Test("the distinct-state count of every bundled scenario and protocol", arguments: bundledScenarioNames)
func stateCounts(name: String) throws {
    let scenario = try bundledScenario(name)
    let pinned = try #require(pinnedStateCounts[name], "no pinned state counts for \(name): add them")
    #expect(Set(pinned.keys) == Set(scenario.protocols.map(\.name)))
    for named in scenario.protocols {
        let report = try cachedReport(name, named.name)
        #expect(report.statistics.distinctStates == pinned[named.name], "\(name) \(named.name)")
        #expect(report.statistics.visitedBytesPerState <= 64 || report.statistics.distinctStates < 1_000)
    }
}

/// What each bundled scenario is meant to reach, per protocol (its `reach:` entries): proof the search got where it
/// was meant to.
private let meantToReach: [String: [String: [SometimesProperty]]] = [
    "lease-expiry-pause": [
        "pr-4821": [.leaseExpiredMidReload], "pr-4821-timeout": [.leaseExpiredMidReload],
        "fenced": [.leaseExpiredMidReload, .fencedWriteRefused],
    ],
    "lease-expiry-slow-origin": [
        "pr-4821": [.leaseExpiredMidReload], "fenced": [.leaseExpiredMidReload, .fencedWriteRefused],
    ],
    "lost-acquire-reply": ["pr-4821": [.orphanedLease, .contendedCall], "fenced": [.orphanedLease, .contendedCall]],
    "non-atomic-release": ["compare-and-delete": [.contendedCall]],
    "redis-restart-mid-reload": ["pr-4821": [.contendedCall], "fenced": [.contendedCall, .fencedWriteRefused]],
    "stampede-pre-review": ["pr-4821": [.contendedCall]],
]

@Test("the scenarios' reach: entries are the pinned table: a change of what a scenario must reach is reviewed")
func reachDeclarations() throws {
    var declared: [String: [String: [SometimesProperty]]] = [:]
    for name in bundledScenarioNames {
        for expectation in try bundledScenario(name).expectations where !expectation.reach.isEmpty {
            declared[name, default: [:]][expectation.protocolName] = expectation.reach
        }
    }
    #expect(declared == meantToReach)
}

@Test("a reach: entry the search does not reach is a disagreement")
func unreachedIsADisagreement() throws {
    let report = try cachedReport("happy-path", "pr-4821")
    let expectation = Expectation(protocolName: "pr-4821", fail: [], hold: [], reach: [.contendedCall])
    #expect(report.disagreements(with: expectation) == ["contended-call was expected to be reached but no path reaches it"])
}

@Test("each sometimes property is reached where a scenario is meant to reach it, and its witness shows it")
func sometimesReached() throws {
    for (name, perProtocol) in meantToReach.sorted(by: { $0.key < $1.key }) {
        for (protocolName, properties) in perProtocol.sorted(by: { $0.key < $1.key }) {
            let report = try cachedReport(name, protocolName)
            for property in properties {
                guard case .reached(let witness) = report.verdict(property) else {
                    Issue.record("\(name) \(protocolName): \(property.rawValue) not reached")
                    continue
                }
                let last = try #require(witness.events.last)
                switch property {
                case .contendedCall:
                    guard case .return(.stale(_, .contended)) = last.kind else {
                        Issue.record("\(name) \(protocolName): contended witness ends \(TraceText.line(last))")
                        continue
                    }
                case .leaseExpiredMidReload:
                    #expect(last.kind == .expire(key: leaseKey), "\(name) \(protocolName)")
                case .fencedWriteRefused:
                    guard case .exec(.fencedWrite, .integer(0)) = last.kind else {
                        Issue.record("\(name) \(protocolName): refused witness ends \(TraceText.line(last))")
                        continue
                    }
                case .orphanedLease:
                    guard case .return(.error) = last.kind else {
                        Issue.record("\(name) \(protocolName): orphan witness ends \(TraceText.line(last))")
                        continue
                    }
                }
            }
        }
    }
    // And nothing is reached where nothing can be: one call, nothing goes wrong.
    for name in ["pre-review", "pr-4821", "pr-4821-timeout", "fenced"] {
        let report = try cachedReport("happy-path", name)
        #expect(report.sometimes.allSatisfy { $0.verdict == .notReached }, "happy-path \(name)")
    }
}
