import Scenario
import Simulator
import Testing
import Trace

@Test("a recorded run replays choice for choice through the scripted chooser, with no drift")
func recordedRunsReplay() throws {
    for name in try FileManagerNames.scenarioNames() {
        let scenario = try bundledScenario(name)
        for named in scenario.protocols {
            for seed in 0..<10 as Range<UInt64> {
                var recorded = Simulation(
                    scenario: scenario, variant: named.variant, chooser: RecordingChooser(SeededChooser(seed: seed)))
                let original = recorded.run()
                var replayed = Simulation(
                    scenario: scenario, variant: named.variant,
                    chooser: ScriptedChooser(script: recorded.chooser.script))
                let replay = replayed.run()
                #expect(replay.events == original.events, "\(name) \(named.name) seed \(seed)")
                #expect(replayed.chooser.drifts.isEmpty, "\(name) \(named.name) seed \(seed): \(replayed.chooser.drifts)")
            }
        }
    }
}

@Test("a script that does not answer a choice is reported as drift, not answered by position")
func missingAnswersAreDrift() throws {
    let scenario = try bundledScenario("stampede-pre-review")
    var simulation = Simulation(
        scenario: scenario, variant: Preset.preReview.variant, chooser: ScriptedChooser(script: ChoiceScript()))
    _ = simulation.run()
    #expect(!simulation.chooser.drifts.isEmpty)
    #expect(simulation.chooser.drifts.contains { $0.hasPrefix("no answer for the network delay of w1 call 1 command 1 request") })
}
