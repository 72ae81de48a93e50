import Trace

/// What a scenario expects of one protocol (`expect: {<protocol>: {fail: [...], hold: [...], reach: [...]}}`).
///
/// Properties named in neither list are reported, not judged. A property may not be in both. `reach` names the
/// `sometimes` properties the search must reach, so that a property holds over paths that matter.
public struct Expectation: Hashable, Sendable {
    /// The name of one of the scenario's `protocols:`.
    public var protocolName: String
    /// The properties the protocol must violate on some path, in file order.
    public var fail: [PropertyName]
    /// The properties the protocol must keep on every path, in file order.
    public var hold: [PropertyName]
    /// The `sometimes` properties some path must reach, in file order.
    public var reach: [SometimesProperty]

    public init(protocolName: String, fail: [PropertyName], hold: [PropertyName], reach: [SometimesProperty] = []) {
        self.protocolName = protocolName
        self.fail = fail
        self.hold = hold
        self.reach = reach
    }
}
