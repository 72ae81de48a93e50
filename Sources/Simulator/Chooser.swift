import Scenario
import Trace

/// Every nondeterministic choice of a simulation, asked by identity (DESIGN.md rule 3).
///
/// A choice names what it decides ("the network delay of w1's command 3"), never its position among choices, so a
/// replay that drifts from its path is reported rather than silently shifted. Random runs answer from a seeded
/// generator (``SeededChooser``); replays of model paths answer from the path.
public protocol Chooser {
    /// A delay for `choice`, within `range` (inclusive).
    mutating func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64
    /// Whether a `maybe` fault happens.
    mutating func happens(_ fault: FaultChoice) -> Bool
    /// Which of the events due at the same instant goes first: an index into `candidates`, which are in the
    /// order they were scheduled (insertion order is the answer when no choice is wanted).
    mutating func first(among candidates: [EventIdentity]) -> Int
}

/// Answers every choice from one seeded ``SplitMix64``: a random run, reproducible from its seed.
public struct SeededChooser: Chooser {
    /// The seed, printed first in every report (STYLE 6).
    public let seed: UInt64
    private var generator: SplitMix64

    public init(seed: UInt64) {
        self.seed = seed
        // Mix the seed once, so seeds 0, 1, 2 start far apart.
        var mixer = SplitMix64(seed: seed)
        generator = SplitMix64(seed: mixer.next())
    }

    public mutating func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64 {
        if range.minMicroseconds == range.maxMicroseconds { return range.minMicroseconds }
        return generator.next(in: range.minMicroseconds, range.maxMicroseconds)
    }

    public mutating func happens(_ fault: FaultChoice) -> Bool {
        generator.next(below: 2) == 1
    }

    public mutating func first(among candidates: [EventIdentity]) -> Int {
        Int(generator.next(below: UInt64(candidates.count)))
    }
}
