/// The bounds the `bounded-*` properties judge against, as the file declares them (`bounds:`).
///
/// Either may be absent; ``Scenario/leaseHoldBoundMicroseconds(for:)`` and
/// ``Scenario/callLatencyBoundMicroseconds(for:)`` then derive one from the variant's knobs, so one scenario
/// gives each variant the bound its own timeouts promise.
public struct Bounds: Hashable, Sendable {
    /// The longest a call may take (`call-latency:`), or `nil` for the derived default.
    public var callLatencyMicroseconds: Int64?
    /// The longest a worker may hold a lease (`lease-hold:`), or `nil` for the derived default.
    public var leaseHoldMicroseconds: Int64?

    public init(callLatencyMicroseconds: Int64?, leaseHoldMicroseconds: Int64?) {
        self.callLatencyMicroseconds = callLatencyMicroseconds
        self.leaseHoldMicroseconds = leaseHoldMicroseconds
    }

    /// No declared bounds: both derived.
    public static let derived = Bounds(callLatencyMicroseconds: nil, leaseHoldMicroseconds: nil)
}
