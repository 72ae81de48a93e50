import Conformance
import LeaseModel
import Scenario
import Simulator
import Testing
import Trace

// The model replays a trace along a chain of single states in place, and hands over to the general walk where
// the chain branches (``TraceReplay`` in models/). These tests tie that replay to the general walk alone, through
// the model's public readable API, on seeded runs of every bundled scenario and on copies of them spoiled one
// event at a time, so that a divergence is reported at the same event with the same allowed events.

/// What `fit` must answer, worked out through `states(after:)` and `actions(in:)` only: slow, and plain.
private func referenceFit(_ model: LeaseModel, _ events: [TraceEvent], complete: Bool) -> TraceFit {
    func madeEvents(from states: [ModelState]) -> [TraceEvent] {
        var made: [TraceEvent] = []
        for state in states {
            for action in model.actions(in: state) {
                if let event = action.event, !made.contains(event) { made.append(event) }
            }
        }
        return made
    }
    for index in events.indices where model.states(after: Array(events[...index])).isEmpty {
        return .diverges(index: index, allowed: madeEvents(from: model.states(after: Array(events[..<index]))))
    }
    guard complete else { return .fits }
    let ends = model.states(after: events)
    if ends.contains(where: { model.actions(in: $0).isEmpty }) { return .fits }
    return .endsEarly(pending: madeEvents(from: ends))
}

/// Copies of `events` each spoiled at one place: an event dropped, moved a millisecond later, or swapped with
/// the next, at a few places along the trace.
private func spoiled(_ events: [TraceEvent]) -> [[TraceEvent]] {
    guard events.count > 2 else { return [] }
    var copies: [[TraceEvent]] = []
    for index in Set([1, events.count / 2, events.count - 2]).sorted() {
        var dropped = events
        dropped.remove(at: index)
        var later = events
        later[index].timeMicroseconds += 1_000
        var swapped = events
        swapped.swapAt(index, index + 1)
        copies += [dropped, later, swapped]
    }
    return copies
}

@Test("the in-place trace replay gives the general walk's verdicts, on seeded runs and spoiled copies of them")
func traceReplayMatchesTheGeneralWalk() throws {
    var traces = 0
    var diverging = 0
    for name in try bundledScenarioNames() {
        let scenario = try ScenarioLoader.load(path: conformancePackageRoot + "/scenarios/\(name).yaml")
        for named in scenario.protocols {
            for seed in UInt64(0)..<3 {
                let (result, model) = TraceValidation.seededRun(scenario, named, seed: seed)
                let complete = result.limitReached == nil
                #expect(model.fit(result.events, complete: complete) == .fits, "\(name) \(named.name) seed \(seed)")
                for events in [result.events] + spoiled(result.events) {
                    let fit = model.fit(events, complete: complete)
                    #expect(
                        fit == referenceFit(model, events, complete: complete),
                        "\(name) \(named.name) seed \(seed): \(events.count) events")
                    traces += 1
                    if case .diverges = fit { diverging += 1 }
                }
            }
        }
    }
    // The spoiled copies must mostly be caught, or the comparison above shows little.
    #expect(traces > 100 && diverging > traces / 2, "\(diverging) of \(traces) traces diverge")
}
