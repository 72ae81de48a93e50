import LeaseModel
import Testing
import Trace

@Test("the model states every knob of the vocabulary")
func everyKnobIsModelled() {
    #expect(LeaseModel.unmodelledKnobs.isEmpty)
    #expect(Set(LeaseModel.modelledKnobs) == Set(Knob.allCases))
}

@Test("a knob's text is what a scenario file writes")
func knobTexts() {
    let variant = Preset.pr4821Timeout.variant
    #expect(Knob.allCases.map { variant.text(of: $0) } == [
        "lease", "5000ms", "300s", "2s", "compare-and-delete", "plain", "serve-stale", "1s",
    ])
}
