/// The bounds of a diff run (STYLE 10): every loop, wait and set here has one, and a run that hits one says so.
public enum DiffLimits {
    /// The fewest steps a generated sequence has.
    public static let stepsPerSequenceMinimum = 5
    /// The most steps a generated sequence has.
    public static let stepsPerSequenceMaximum = 40
    /// The most sequences one run may ask for.
    public static let sequencesMaximum = 10_000_000
    /// The most simulated states kept as possible at once. Beyond it the extra states are dropped (in their fixed
    /// order) and the report says how often: a dropped state could have explained a later reply.
    public static let candidateStatesMaximum = 32
    /// When a TTL-setting command's deadline cannot be pinned by PEXPIRETIME, every millisecond of its bracket is
    /// tried, up to this many; a wider bracket is cut and counted like a dropped candidate.
    public static let unpinnedBracketMillisecondsMaximum = 1_000
    /// The longest wait before a lookup near a deadline; a deadline further away is looked up at once (counted).
    public static let deadlineWaitMaximumMilliseconds: Int64 = 1_500
    /// The longest plain wait step.
    public static let waitStepMaximumMilliseconds = 5
    /// How many unexplained differences a report lists in full (all are counted).
    public static let recordedDifferencesMaximum = 100
    /// The most worker connections a run may use.
    public static let connectionsMaximum = 64
    /// The bound on the keys a final sweep (SCAN of the run's prefix) deletes, in SCAN rounds.
    public static let sweepScanRoundsMaximum = 100_000
    /// The bound on a whole run's wall time, in seconds: past it no new sequence starts and the report says so.
    public static let runWallTimeMaximumSeconds: Int64 = 6 * 3_600
}
