import Trace

extension LeaseModel {
    /// The knobs this model states, written out by hand (not `Knob.allCases`): a knob added to the vocabulary
    /// and the implementation but not here is reported by `leaselab check` as one the model does not know.
    public static let modelledKnobs: [Knob] = [
        .lock, .leaseTTL, .cacheTTL, .originTimeout, .release, .write, .contended, .commandTimeout,
    ]

    /// The knobs of the vocabulary the model does not state, in vocabulary order.
    public static var unmodelledKnobs: [Knob] {
        Knob.allCases.filter { !modelledKnobs.contains($0) }
    }
}
