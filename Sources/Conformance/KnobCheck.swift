import LeaseModel
import Trace

/// Whether the model states every knob the implementation has (issue 5, "Adding a knob").
///
/// A knob is added to `Knob` (Trace) and handled in LeaseCore before the model learns it; until
/// `LeaseModel.modelledKnobs` lists it, the model's verdicts say nothing about it, so `leaselab check` fails with
/// one line per such knob rather than passing on a model that ignores part of the protocol.
public enum KnobCheck {
    /// One line per knob of `implementation` missing from `modelled`; empty when the model knows them all.
    public static func problems(implementation: [Knob] = Knob.allCases, modelled: [Knob] = LeaseModel.modelledKnobs)
        -> [String]
    {
        implementation.filter { !modelled.contains($0) }.map { knob in
            "knob '\(knob.rawValue)': the implementation has it but the model does not state it; model it in "
                + "models/ and add it to LeaseModel.modelledKnobs (README: Adding a knob)"
        }
    }
}
