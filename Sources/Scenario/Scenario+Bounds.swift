import Trace

extension Scenario {
    /// The longest an origin load can take in this scenario when nothing cuts it short: the top of the origin's
    /// latency range, or the longest override latency if that is longer.
    public var largestOriginLatencyMicroseconds: Int64 {
        origin.overrides.reduce(origin.latency.maxMicroseconds) { longest, override in
            max(longest, override.latencyMicroseconds ?? 0)
        }
    }

    /// The sum of every pause's longest length in `faults:` (those that are `maybe` included).
    public var totalPauseMicroseconds: Int64 {
        faults.reduce(0) { total, fault in
            switch fault.kind {
            case .pause(_, _, let duration, _): return Self.saturatingSum(total, duration.maxMicroseconds)
            case .loseReply, .dropConnection, .restartRedis: return total
            }
        }
    }

    /// The bound `bounded-lease-hold` judges `variant` against: `bounds.lease-hold` when declared, else
    ///
    ///     load + 2 × command-timeout
    ///
    /// where `load` is the variant's origin timeout, or, with `origin-timeout: none`, the scenario's
    /// ``largestOriginLatencyMicroseconds``. Why: between acquiring and releasing, a worker waits for the origin
    /// (at most `load`), then sends two commands (the write and the release), each of which it waits for at most
    /// one command timeout. Pauses are deliberately not included: a process pause that stretches a lease hold
    /// is exactly what the property is there to catch.
    public func leaseHoldBoundMicroseconds(for variant: ProtocolVariant) -> Int64 {
        if let declared = bounds.leaseHoldMicroseconds { return declared }
        let load = variant.originTimeoutMicroseconds ?? largestOriginLatencyMicroseconds
        return Self.saturatingSum(load, Self.saturatingProduct(2, variant.commandTimeoutMicroseconds))
    }

    /// The bound `bounded-latency` judges `variant` against: `bounds.call-latency` when declared, else
    ///
    ///     lease-hold default + 5 × command-timeout + the sum of all pauses in faults:
    ///
    /// Why: a call's commands outside the lease hold are the first `GET`, the acquire (or pre-review's `DEL`)
    /// and, under `get-then-delete`, the release's second command: three more command timeouts at most on top of
    /// the hold's load and two commands. Two further command timeouts are slack for network legs that no single
    /// command wait covers (the acquire's reply in flight while the hold has already begun), so that a breach
    /// means a call was stuck, not unlucky. Pauses are added because a paused process delays its call by the
    /// pause whatever the protocol does; without them every pause scenario would breach the bound under every
    /// variant and the property would tell nothing about the protocol. The derived lease-hold part is used even
    /// when `bounds.lease-hold` is declared, so declaring one bound never moves the other.
    public func callLatencyBoundMicroseconds(for variant: ProtocolVariant) -> Int64 {
        if let declared = bounds.callLatencyMicroseconds { return declared }
        let load = variant.originTimeoutMicroseconds ?? largestOriginLatencyMicroseconds
        let commandWaits = Self.saturatingProduct(7, variant.commandTimeoutMicroseconds)
        return Self.saturatingSum(Self.saturatingSum(load, commandWaits), totalPauseMicroseconds)
    }

    /// `a + b`, or `Int64.max` when that overflows: a variant built in code may carry any timeout.
    static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int64.max : Int64.min) : sum
    }

    /// `a × b`, or `Int64.max` when that overflows.
    static func saturatingProduct(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int64.max : product
    }
}
