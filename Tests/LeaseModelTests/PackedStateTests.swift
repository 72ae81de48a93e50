@testable import LeaseModel
import Scenario
import Testing
import Trace

// The explorer runs the model's step on packed states (`PackedState`) when a scenario's fit. These tests are the
// agreement issue 4 asks for: on every bundled scenario and protocol, every reachable state packs and unpacks to
// itself, every transition from its packed form reaches the packed form of the readable transition's state (in
// the same order, with the same effect), and the two explorations report the same search and verdicts.

@Test("every bundled scenario's states fit a packed layout")
func bundledScenariosPack() throws {
    for (name, protocolName) in try bundledCases() {
        let model = try bundledModel(name, protocolName)
        #expect(PackedLayout(model: model) != nil, "\(name) \(protocolName): no packed layout")
    }
}

@Test("packed and readable states agree on every reachable state and transition of every bundled search")
func packedTransitionsMatchReadable() throws {
    for (name, protocolName) in try bundledCases() {
        let model = try bundledModel(name, protocolName)
        let layout = try #require(PackedLayout(model: model), "\(name) \(protocolName): no packed layout")
        var seen = Set(model.initialStates.map(\.fingerprint))
        var frontier = model.initialStates
        var states = 0
        while let state = frontier.popLast() {
            states += 1
            let packed = PackedState(state, layout: layout)
            #expect(packed.readable == state, "\(name) \(protocolName): a state does not unpack to itself")
            var readable: [(state: ModelState, madeEvent: Bool, effect: String)] = []
            model.forEachTransition(from: state, recordsEvents: false, recordsChoices: false) { _, _, _, step in
                readable.append((step.takeState(), step.madeEvent, String(describing: step.effect)))
            }
            var fromPacked: [(state: ModelState, words: [UInt64], madeEvent: Bool, effect: String)] = []
            model.forEachTransition(from: packed, recordsEvents: false, recordsChoices: false) { _, _, _, step in
                fromPacked.append(
                    (step.state.readable, step.state.wordArray, step.madeEvent, String(describing: step.effect)))
            }
            #expect(fromPacked.count == readable.count, "\(name) \(protocolName): transitions out of a state")
            for (quick, full) in zip(fromPacked, readable) {
                #expect(quick.state == full.state, "\(name) \(protocolName): a successor differs")
                #expect(
                    quick.words == PackedState(full.state, layout: layout).wordArray,
                    "\(name) \(protocolName): a successor's words are not its packed form")
                #expect(quick.madeEvent == full.madeEvent, "\(name) \(protocolName): silent or not")
                #expect(quick.effect == full.effect, "\(name) \(protocolName): effects differ")
            }
            for successor in readable where seen.insert(successor.state.fingerprint).inserted {
                frontier.append(successor.state)
            }
        }
        #expect(states == seen.count)
    }
}

@Test("the explorer on packed states reports what it reports on readable ones, on every bundled search")
func packedExplorationMatchesReadable() throws {
    for (name, protocolName) in try bundledCases() {
        let explorer = Explorer(model: try bundledModel(name, protocolName), protocolName: protocolName)
        let packed = explorer.run(packed: true)
        let readable = explorer.run(packed: false)
        #expect(
            String(describing: packed.always) == String(describing: readable.always),
            "\(name) \(protocolName): always verdicts and counterexamples")
        #expect(
            String(describing: packed.sometimes) == String(describing: readable.sometimes),
            "\(name) \(protocolName): sometimes verdicts and witnesses")
        #expect(packed.figures == readable.figures, "\(name) \(protocolName): figures")
        #expect(packed.statistics.distinctStates == readable.statistics.distinctStates)
        #expect(packed.statistics.transitions == readable.statistics.transitions)
        #expect(packed.statistics.maximumDepth == readable.statistics.maximumDepth)
        #expect(packed.statistics.terminalStates == readable.statistics.terminalStates)
        #expect(packed.statistics.largestFrontier == readable.statistics.largestFrontier)
    }
}

@Test("a scenario too big for the packed layout is explored on readable states, to the same result")
func oversizedScenarioFallsBack() throws {
    var scenario = try bundledScenario("stampede-pre-review")
    scenario.workerCount = 40
    let model = LeaseModel(scenario: scenario, variant: scenario.protocols[0].variant)
    #expect(PackedLayout(model: model) == nil)
    let report = Explorer(model: model, protocolName: scenario.protocols[0].name).run()
    #expect(report.statistics.distinctStates > 0)
}
