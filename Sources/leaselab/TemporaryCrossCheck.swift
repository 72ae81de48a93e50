// TEMPORARY (model engineer's own validation; deleted before hand-off).
import LeaseModel
import Scenario
import Simulator
import Trace

struct ExploreValuesChooser: Chooser {
    var state: UInt64
    let network: [Int64]
    let origin: [Int64]
    init(seed: UInt64, scenario: Scenario) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 12345
        network = scenario.explore.networkLatenciesMicroseconds.filter(scenario.network.latency.contains)
        origin = scenario.explore.originLatenciesMicroseconds.filter(scenario.origin.latency.contains)
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64 {
        switch choice {
        case .network, .restartNotice:
            return network.isEmpty ? range.minMicroseconds : network[Int(next() % UInt64(network.count))]
        case .origin:
            return origin.isEmpty ? range.minMicroseconds : origin[Int(next() % UInt64(origin.count))]
        case .pause:
            return range.minMicroseconds
        }
    }
    mutating func happens(_ fault: FaultChoice) -> Bool { next() % 2 == 0 }
    mutating func first(among candidates: [EventIdentity]) -> Int { Int(next() % UInt64(candidates.count)) }
}

enum TemporaryCrossCheck {
    static func run(paths: [String], seeds: Int) throws {
        var failures = 0
        for path in paths {
            let scenario = try ScenarioLoader.load(path: path)
            for named in scenario.protocols {
                let model = LeaseModel(scenario: scenario, variant: named.variant)
                var simToModel = 0
                var modelToSim = 0
                var driftOnly = 0
                var distinctSimTraces = Set<[TraceEvent]>()
                for seed in 0..<seeds {
                    // Simulator -> model.
                    var simulation = Simulation(
                        scenario: scenario, variant: named.variant,
                        chooser: ExploreValuesChooser(seed: UInt64(seed), scenario: scenario))
                    let result = simulation.run()
                    distinctSimTraces.insert(result.events)
                    if let problem = accepts(model, result.events) {
                        failures += 1
                        if simToModel < 2 {
                            print("SIM->MODEL \(scenario.name) \(named.name) seed \(seed): \(problem)")
                            for event in result.events { print("    " + TraceText.line(event)) }
                        }
                        simToModel += 1
                    }
                    // Model -> simulator: a random walk.
                    var random = ExploreValuesChooser(seed: UInt64(seed) &+ 999, scenario: scenario)
                    let initialIndex = Int(random.next() % UInt64(model.initialStates.count))
                    var state = model.initialStates[initialIndex]
                    var actions: [ModelAction] = []
                    while true {
                        let options = model.actions(in: state)
                        if options.isEmpty { break }
                        let action = options[Int(random.next() % UInt64(options.count))]
                        actions.append(action)
                        state = model.next(state, after: action)
                    }
                    let walk = ModelPath(initialStateIndex: initialIndex, actions: actions)
                    var replay = Simulation(
                        scenario: scenario, variant: named.variant,
                        chooser: ScriptedChooser(script: model.choiceScript(for: walk)))
                    let replayed = replay.run()
                    if !replay.chooser.drifts.isEmpty { driftOnly += 1 }
                    if replayed.events != walk.events {
                        failures += 1
                        if modelToSim < 2 {
                            print("MODEL->SIM \(scenario.name) \(named.name) walk \(seed): drifts \(replay.chooser.drifts)")
                            let n = max(replayed.events.count, walk.events.count)
                            for i in 0..<n {
                                let a = i < walk.events.count ? TraceText.line(walk.events[i]) : "-"
                                let b = i < replayed.events.count ? TraceText.line(replayed.events[i]) : "-"
                                print((a == b ? "    " : " !! ") + a + (a == b ? "" : "    SIM: " + b))
                            }
                        }
                        modelToSim += 1
                    }
                }
                print("\(scenario.name) \(named.name): sim->model failures \(simToModel), model->sim failures \(modelToSim), distinct sim traces \(distinctSimTraces.count), walks with ghost-order drifts \(driftOnly)")
            }
        }
        print("cross-check failures: \(failures)")
    }

    /// nil when the model accepts the trace (and agrees the run ends there).
    static func accepts(_ model: LeaseModel, _ events: [TraceEvent]) -> String? {
        var states = model.initialStates
        func closure(_ states: [ModelState]) -> [ModelState] {
            var seen = Set<UInt64>()
            var result: [ModelState] = []
            var work = states
            while let state = work.popLast() {
                guard seen.insert(state.fingerprint).inserted else { continue }
                result.append(state)
                for action in model.actions(in: state) where action.event == nil {
                    work.append(model.next(state, after: action))
                }
            }
            return result
        }
        for (index, event) in events.enumerated() {
            let current = closure(states)
            var next: [ModelState] = []
            var allowed: [String] = []
            for state in current {
                for action in model.actions(in: state) {
                    if let made = action.event { allowed.append(TraceText.line(made)) }
                    if action.event == event { next.append(model.next(state, after: action)) }
                }
            }
            if next.isEmpty {
                return "event \(index) `\(TraceText.line(event))` not enabled; model allows: \(Set(allowed).sorted())"
            }
            states = next
        }
        let end = closure(states)
        if !end.contains(where: { model.actions(in: $0).isEmpty }) {
            let more = end.flatMap { model.actions(in: $0).compactMap(\.event).map(TraceText.line) }
            return "the model does not end where the trace ends; it would go on with \(Set(more).sorted())"
        }
        return nil
    }
}
