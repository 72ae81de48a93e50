import CoreMetrics
import LeaseCore
import Trace

/// The counters of #4821 and of this module, derived from outcomes (DESIGN.md: metrics are not trace events).
struct EvictionMetrics: Sendable {
    /// Calls that found the lease held and served stale (#4821's own metric).
    let contended: Counter
    /// Calls that reloaded (`fresh`, stored or refused by a fenced write).
    let reloaded: Counter
    /// Calls whose origin timeout fired.
    let originTimeout: Counter
    /// Calls whose origin failed.
    let originFailed: Counter
    /// Releases that found another token or no lease: the lease was lost before the release.
    let releaseLost: Counter
    /// Calls that ended in an error.
    let error: Counter
    /// Every call's duration.
    let duration: CoreMetrics.Timer

    init(factory: MetricsFactory) {
        contended = Counter(label: "cache.evict.contended", factory: factory)
        reloaded = Counter(label: "cache.evict.reloaded", factory: factory)
        originTimeout = Counter(label: "cache.evict.origin_timeout", factory: factory)
        originFailed = Counter(label: "cache.evict.origin_failed", factory: factory)
        releaseLost = Counter(label: "cache.evict.release_lost", factory: factory)
        error = Counter(label: "cache.evict.error", factory: factory)
        duration = CoreMetrics.Timer(label: "cache.evict.duration", factory: factory)
    }

    /// Counts one finished call.
    func record(_ result: EvictionResult) {
        switch result.outcome {
        case .fresh:
            reloaded.increment()
        case .stale(_, .contended):
            contended.increment()
        case .stale(_, .originFailed):
            originFailed.increment()
        case .stale(_, .originTimeout):
            originTimeout.increment()
        case .miss:
            break
        case .error:
            error.increment()
        }
        switch result.releaseResult {
        case .anotherOwner?, .noLease?:
            releaseLost.increment()
        case .released?, nil:
            break
        }
        duration.recordMicroseconds(result.durationMicroseconds)
    }
}
