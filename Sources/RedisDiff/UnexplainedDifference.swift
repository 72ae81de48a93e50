import Trace

/// A real reply that no simulated state at no instant of its bracket explains.
public struct UnexplainedDifference: Hashable, Sendable, CustomStringConvertible {
    /// The sequence's number in its run (0-based).
    public var sequenceIndex: Int
    /// The sequence's own seed: `DiffSequence.generate(seed:)` gives its steps again.
    public var sequenceSeed: UInt64
    /// The step (0-based) within the sequence.
    public var stepIndex: Int
    /// The command compared, unprefixed.
    public var command: Command
    /// What the real server did.
    public var observation: RealObservation
    /// The simulated replies at the bracket's start, one per possible state, without repeats.
    public var simulatedAtStart: [Reply]
    /// The simulated replies at the bracket's end.
    public var simulatedAtEnd: [Reply]

    public var description: String {
        func list(_ replies: [Reply]) -> String { replies.map(\.description).joined(separator: " | ") }
        var text = "sequence \(sequenceIndex) seed \(sequenceSeed) step \(stepIndex): \(command)"
        text += ": real \(observation.reply)"
        if let expireTime = observation.expireTimeMilliseconds { text += " (PEXPIRETIME \(expireTime))" }
        text += ", simulated \(list(simulatedAtStart)) at the bracket's start and \(list(simulatedAtEnd)) at its end"
        text += " (bracket \(observation.startMicroseconds)...\(observation.endMicroseconds) µs of server time)"
        return text
    }
}

/// One compared step, kept when a run records steps (tests look at the brackets and replies).
public struct StepRecord: Hashable, Sendable {
    /// The step (0-based) within the sequence.
    public var stepIndex: Int
    /// The command compared.
    public var command: Command
    /// What the real server did.
    public var observation: RealObservation
    /// How it compared.
    public var verdict: CandidateStates.Verdict
    /// For a lookup near a deadline: the real deadline it aimed at (ms), when the key had one.
    public var aimedDeadlineMilliseconds: Int64?
}

/// What one sequence gave.
public struct SequenceOutcome: Sendable {
    /// What its compared replies came to.
    public var counts = DiffCounts()
    /// The first unexplained difference; comparing stops there, since the states have parted.
    public var difference: UnexplainedDifference?
    /// Every compared step, when asked for.
    public var records: [StepRecord] = []
}
