/// The named properties of DESIGN.md "Properties". The model defines what each means; everything else refers to
/// them by these names.
public enum PropertyName: String, Hashable, Sendable, CaseIterable, Comparable {
    /// At most one origin load per key in flight at any instant.
    case singleLoader = "single-loader"
    /// No `SET` replaces a cached version with an older one.
    case noStaleOverwrite = "no-stale-overwrite"
    /// No release deletes a lease whose token is not the releaser's.
    case ownerOnlyRelease = "owner-only-release"
    /// A call that has returned holds no lease.
    case noOrphanedLease = "no-orphaned-lease"
    /// Once writes stop and every call has returned, each invalidated key holds the newest version or nothing.
    case freshAfterQuiescence = "fresh-after-quiescence"
    /// A worker holds a lease no longer than `bounds.lease-hold`.
    case boundedLeaseHold = "bounded-lease-hold"
    /// Every call returns within `bounds.call-latency`.
    case boundedLatency = "bounded-latency"

    public static func < (lhs: PropertyName, rhs: PropertyName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
