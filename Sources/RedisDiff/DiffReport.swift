/// The totals of a diff run, and its unexplained differences.
public struct DiffReport: Sendable {
    /// The run's seed and size, for the report's first line.
    public var seed: UInt64
    public var sequencesRequested: Int
    public var endpoint: String
    public var connections: Int
    /// Sequences run to their end (or to their first unexplained difference).
    public var sequencesRun = 0
    /// What the compared replies came to, over every sequence run.
    public var counts = DiffCounts()
    /// How many unexplained differences there were.
    public var unexplainedCount = 0
    /// The first ``DiffLimits/recordedDifferencesMaximum`` of them, sorted by sequence.
    public var differences: [UnexplainedDifference] = []
    /// Every compared step, by sequence, when the run recorded them.
    public var records: [Int: [StepRecord]] = [:]
    /// True when the run stopped at ``DiffLimits/runWallTimeMaximumSeconds`` before running every sequence.
    public var stoppedAtTimeBound = false
    /// Wall time of the run, in microseconds.
    public var elapsedMicroseconds: Int64 = 0

    mutating func add(_ outcome: SequenceOutcome, index: Int, keepRecords: Bool) {
        sequencesRun += 1
        counts.add(outcome.counts)
        if let difference = outcome.difference {
            unexplainedCount += 1
            differences.append(difference)
            differences.sort { $0.sequenceIndex < $1.sequenceIndex }
            if differences.count > DiffLimits.recordedDifferencesMaximum { differences.removeLast() }
        }
        if keepRecords { records[index] = outcome.records }
    }

    /// The report's lines: seed and parameters first (STYLE 6), the summary line last.
    public var lines: [String] {
        var lines = [
            "leaselab diff-redis SEED=\(seed) sequences=\(sequencesRequested) redis=\(endpoint) connections=\(connections)"
        ]
        let tenths = elapsedMicroseconds / 100_000
        lines.append("sequences run: \(sequencesRun) in \(tenths / 10).\(tenths % 10) s")
        lines.append("commands compared: \(counts.commandsCompared)")
        lines.append("differences explained by timing: \(counts.explainedByTiming)")
        lines.append(
            "differences explained by the TTL clock (Redis 7.0 adds a TTL to a later clock reading than its expiry "
                + "checks; the simulated Redis uses one instant): \(counts.explainedByTTLClock)")
        lines.append(
            "lookups near a deadline: \(counts.deadlineLookupsAimed) aimed, \(counts.deadlineLookupsNotAimed) with no deadline "
                + "close enough (looked up at once)")
        if counts.droppedStateCount > 0 {
            lines.append(
                "bound hit: \(counts.droppedStateCount) simulated states or instants dropped (more than "
                    + "\(DiffLimits.candidateStatesMaximum) states, or an unpinned bracket of more than "
                    + "\(DiffLimits.unpinnedBracketMillisecondsMaximum) ms); an unexplained difference may be a false one")
        }
        if stoppedAtTimeBound {
            lines.append(
                "bound hit: stopped after \(DiffLimits.runWallTimeMaximumSeconds) s of wall time; "
                    + "\(sequencesRequested - sequencesRun) sequences not run")
        }
        if unexplainedCount > 0 {
            lines.append("unexplained differences (a sequence stops comparing at its first):")
            for difference in differences { lines.append("  " + difference.description) }
            if unexplainedCount > differences.count {
                lines.append("  ... and \(unexplainedCount - differences.count) more")
            }
        }
        lines.append("\(sequencesRun) sequences, \(counts.commandsCompared) commands, \(unexplainedCount) unexplained differences")
        return lines
    }
}
