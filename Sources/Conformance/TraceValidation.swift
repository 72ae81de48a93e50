import LeaseModel
import Scenario
import Simulator
import Trace

/// Implementation to model (DESIGN.md "Traces"): a simulator trace replayed on the model event by event.
///
/// Each seeded run is recorded with its chooser's answers; the model then validates the trace in the
/// ``ModelDomain/validation(delays:)`` domain, where each delay the run drew inside the scenario's ranges is the
/// value the model takes for it, and everything else (the order of items, commands, replies, versions read,
/// outcomes, whether the run may end there) is the model's own to judge.
public enum TraceValidation {
    /// How many events before the divergent one a report shows.
    public static let contextEvents = 5

    /// Runs the simulator with `seed` and replays its trace on the model.
    public static func check(
        _ scenario: Scenario, _ named: NamedVariant, seed: UInt64, mutation: SimulationMutation = .none
    ) -> (result: SimulationResult, divergence: TraceDivergence?) {
        let (result, model) = seededRun(scenario, named, seed: seed, mutation: mutation)
        return (result, validate(result.events, on: model, complete: result.limitReached == nil, seed: seed))
    }

    /// Runs the simulator with `seed`, and builds the model that validates its trace: the run's own drawn delays
    /// are the model's (``ModelDomain/validation(delays:)``).
    public static func seededRun(
        _ scenario: Scenario, _ named: NamedVariant, seed: UInt64, mutation: SimulationMutation = .none
    ) -> (result: SimulationResult, model: LeaseModel) {
        var simulation = Simulation(
            scenario: scenario, variant: named.variant, chooser: RecordingChooser(SeededChooser(seed: seed)),
            mutation: mutation)
        let result = simulation.run()
        let model = LeaseModel(
            scenario: scenario, variant: named.variant,
            domain: .validation(delays: simulation.chooser.script.delays))
        return (result, model)
    }

    /// Replays `events` on `model`; nil when they fit.
    public static func validate(
        _ events: [TraceEvent], on model: LeaseModel, complete: Bool, seed: UInt64
    ) -> TraceDivergence? {
        switch model.fit(events, complete: complete) {
        case .fits:
            return nil
        case .diverges(let index, let allowed):
            let states = model.states(after: Array(events[..<index]))
            return TraceDivergence(
                seed: seed, index: index, event: events[index], allowed: allowed,
                before: Array(events[max(0, index - contextEvents)..<index]),
                modelState: states.first.map(model.summary(of:)) ?? [], modelStateCount: states.count)
        case .endsEarly(let pending):
            let states = model.states(after: events)
            return TraceDivergence(
                seed: seed, index: events.count, event: nil, allowed: pending,
                before: Array(events.suffix(contextEvents)),
                modelState: states.first.map(model.summary(of:)) ?? [], modelStateCount: states.count)
        }
    }
}

/// The first event of a simulator trace that the model does not allow.
public struct TraceDivergence: Hashable, Sendable {
    /// The run's seed.
    public var seed: UInt64
    /// The event's index in the trace (the trace's length when the trace ends too early).
    public var index: Int
    /// The event; nil when the trace ended where the model could not.
    public var event: TraceEvent?
    /// The events the model would have allowed there.
    public var allowed: [TraceEvent]
    /// The events just before.
    public var before: [TraceEvent]
    /// The model's state there (the first of ``modelStateCount``), one line per part.
    public var modelState: [String]
    /// How many model states the events before lead to.
    public var modelStateCount: Int

    /// The report: what did not fit, after what, in which model state, and what the model would have allowed.
    public var report: String {
        var lines: [String] = []
        if let event {
            lines.append("seed \(seed): event \(index + 1) does not fit the model: \(TraceText.line(event))")
        } else {
            lines.append("seed \(seed): the trace ends after event \(index) but the model cannot end there")
        }
        if !before.isEmpty {
            lines.append("  after:")
            lines += before.map { "    " + TraceText.line($0) }
        }
        let states = modelStateCount > 1 ? " (one of \(modelStateCount))" : ""
        lines.append("  model state there\(states):")
        lines += modelState.map { "    " + $0 }
        lines.append(allowed.isEmpty ? "  the model allows no event there" : "  the model would allow:")
        lines += allowed.prefix(8).map { "    " + TraceText.line($0) }
        if allowed.count > 8 { lines.append("    ... \(allowed.count - 8) more") }
        return lines.joined(separator: "\n")
    }
}
