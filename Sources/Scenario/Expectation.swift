import Trace

/// What a scenario expects of one protocol (`expect: {<protocol>: {fail: [...], hold: [...]}}`).
///
/// Properties named in neither list are reported, not judged. A property may not be in both.
public struct Expectation: Hashable, Sendable {
    /// The name of one of the scenario's `protocols:`.
    public var protocolName: String
    /// The properties the protocol must violate on some path, in file order.
    public var fail: [PropertyName]
    /// The properties the protocol must keep on every path, in file order.
    public var hold: [PropertyName]

    public init(protocolName: String, fail: [PropertyName], hold: [PropertyName]) {
        self.protocolName = protocolName
        self.fail = fail
        self.hold = hold
    }
}
