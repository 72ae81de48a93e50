import LeaseCache
import Trace

/// What a stress run measured and found.
public struct StressReport: Sendable {
    /// What was run.
    public var parameters: StressParameters
    /// The server, `host:port`.
    public var endpoint: String
    /// Wall time from the first call's start to the last call's return.
    public var elapsedMicroseconds: Int64
    /// Every call's client-side record, in the order they returned.
    public var calls: [CallRecord]
    /// Call latency percentiles (each call's own duration, from its first command to its return).
    public var latency: LatencySummary
    /// Origin loads per key, sorted by key.
    public var originLoads: [(key: String, loads: Int)]
    /// The most loads of one key in flight at once, per key, sorted by key.
    public var maximumConcurrentLoads: [(key: String, loads: Int)]
    /// Source writes, and the refills the writers stored under the lease.
    public var writes: Int
    public var refills: Int
    /// Lease keys found in Redis (EXISTS) once every call had returned; nil when the server could not be asked.
    public var leasesLeft: [String]?
    /// The history check: its findings, or why it is off.
    public var history: HistoryResult
    /// Problems that do not stop the report: a writer's Redis error, a failed cleanup, each one clear line.
    public var problems: [String]

    /// The history check's result.
    public enum HistoryResult: Sendable {
        /// The whole MONITOR history was replayed and judged.
        case checked(HistoryCheck)
        /// No check: MONITOR was off, or the history is incomplete or unreadable. `reason` says which, in one line.
        case off(reason: String)
    }

    /// A judged history.
    public struct HistoryCheck: Sendable {
        public var findings: HistoryChecker.Findings
        /// Server events replayed (commands and expiries).
        public var events: Int
        /// MONITOR lines about other keys, dropped unread.
        public var dropped: Int
        /// Commands the call connections sent (not the writers', not the harness's): round trips actually made.
        public var callCommands: Int
        /// The server instant the report's relative times count from (the first event).
        public var originServerMicroseconds: Int64
        /// The bounds judged by.
        public var bounds: HistoryChecker.Bounds
    }

    /// Calls per second over the run.
    public var callsPerSecond: Double {
        elapsedMicroseconds > 0 ? Double(calls.count) * 1_000_000 / Double(elapsedMicroseconds) : 0
    }

    /// Commands the calls sent, counted by LeaseCache (`commandsSent`): each one round trip.
    public var commandsSent: Int
    /// The most commands one connection had in flight at once (LeaseCache's `deepestPipeline`): 1 without
    /// pipelining.
    public var deepestPipeline: Int

    /// Round trips one call needed: LeaseCache's count of commands sent over the calls. With MONITOR on, the
    /// history's own count of the call connections' commands is ``HistoryCheck/callCommands``; they agree unless a
    /// command was sent and the server never executed it.
    public var roundTripsPerCall: Double {
        calls.isEmpty ? 0 : Double(commandsSent) / Double(calls.count)
    }

    /// How many calls ended with each outcome kind (`fresh`, `stale contended`, `error connection-lost`, ...).
    public var outcomeCounts: [(kind: String, count: Int)] {
        var counts: [String: Int] = [:]
        for call in calls { counts[call.result.outcome.kind, default: 0] += 1 }
        return counts.map { (kind: $0.key, count: $0.value) }.sorted { $0.kind < $1.kind }
    }

    /// The first error outcome's failure line (it names host:port and what to do), if any call failed.
    public var firstFailure: String? {
        calls.lazy.compactMap(\.result.failure).first
    }

    /// Violations found per property (zero for those judged and clean); empty when the history was not checked.
    public var violationCounts: [(property: PropertyName, count: Int)] {
        guard case .checked(let check) = history else { return [] }
        return PropertyName.judgedByStress.map { (property: $0, count: check.findings.counts[$0] ?? 0) }
    }

    /// Why the run is not clean, each reason a few words (`3 single-loader violations`, `history not judged`);
    /// empty when it is clean.
    public var uncleanReasons: [String] {
        var reasons: [String] = []
        switch history {
        case .checked(let check):
            for (property, count) in violationCounts where count > 0 {
                reasons.append("\(count) \(property.rawValue) violation\(count == 1 ? "" : "s")")
            }
            if check.findings.disagreementCount > 0 {
                reasons.append("the replay contradicts \(check.findings.disagreementCount) calls' outcomes")
            }
        case .off:
            reasons.append("history not judged")
        }
        let errors = calls.count { $0.result.outcome.kind.hasPrefix("error") }
        if errors > 0 { reasons.append("\(errors) of \(calls.count) calls ended in error") }
        switch leasesLeft {
        case .none: reasons.append("leases left unknown")
        case .some(let left) where !left.isEmpty: reasons.append("\(left.count) lease\(left.count == 1 ? "" : "s") left")
        case .some: break
        }
        if !problems.isEmpty { reasons.append("\(problems.count) problem\(problems.count == 1 ? "" : "s")") }
        return reasons
    }

    /// Whether the run is clean: every call returned without error, the history was checked and broke nothing,
    /// no lease was left, and nothing went wrong on the way.
    public var isClean: Bool {
        uncleanReasons.isEmpty
    }
}

extension PropertyName {
    /// The properties a stress run judges, in report order. `fresh-after-quiescence` is not among them: writers run
    /// until the calls end, so there is no quiet moment to judge it at.
    public static let judgedByStress: [PropertyName] = [
        .singleLoader, .noStaleOverwrite, .ownerOnlyRelease, .noOrphanedLease, .boundedLeaseHold, .boundedLatency,
    ]
}
