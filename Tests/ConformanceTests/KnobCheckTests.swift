import Conformance
import Testing
import Trace

@Suite struct KnobCheckTests {
    @Test func theModelKnowsEveryKnobToday() {
        #expect(KnobCheck.problems().isEmpty)
    }

    @Test func aKnobTheModelDoesNotStateIsReportedByName() {
        let problems = KnobCheck.problems(
            implementation: Knob.allCases, modelled: Knob.allCases.filter { $0 != .originTimeout && $0 != .write })
        #expect(problems.count == 2)
        #expect(problems[0].hasPrefix("knob 'origin-timeout': "))
        #expect(problems[1].hasPrefix("knob 'write': "))
        #expect(problems.allSatisfy { $0.contains("LeaseModel.modelledKnobs") })
    }
}
