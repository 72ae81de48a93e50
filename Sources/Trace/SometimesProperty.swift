/// The `sometimes` properties: things a search is meant to reach, so that a property that holds is known to hold
/// over paths that matter rather than over a search that never got there. Named here, in the shared vocabulary,
/// so that a scenario's `expect: {<protocol>: {reach: [...]}}` can name them; the model decides them.
public enum SometimesProperty: String, Hashable, Sendable, CaseIterable, Comparable {
    /// A call returned `stale ... contended`: another worker held the lease.
    case contendedCall = "contended-call"
    /// A lease expired while its holder was reloading: loading, or holding the loaded value unsent.
    case leaseExpiredMidReload = "lease-expired-mid-reload"
    /// A fenced write was refused (the script returned 0).
    case fencedWriteRefused = "fenced-write-refused"
    /// A call returned while its token still sat in a lease key.
    case orphanedLease = "orphaned-lease"

    public static func < (lhs: SometimesProperty, rhs: SometimesProperty) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
