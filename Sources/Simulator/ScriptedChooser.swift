import Scenario
import Trace

/// Answers every choice from a ``ChoiceScript`` (a model path's decisions), by identity.
///
/// A choice the script does not answer is a drift between the model and the implementation: it is recorded in
/// ``drifts`` (never silently answered by position), and answered with the range's minimum, insertion order, or
/// "the fault happens", so the run can go on and show where the two part.
public struct ScriptedChooser: Chooser {
    /// The script.
    public let script: ChoiceScript
    /// The choices asked that the script does not answer, in the order asked.
    public private(set) var drifts: [String] = []
    private let position: [EventIdentity: Int]

    public init(script: ChoiceScript) {
        self.script = script
        var position: [EventIdentity: Int] = [:]
        for (index, identity) in script.order.enumerated() where position[identity] == nil {
            position[identity] = index
        }
        self.position = position
    }

    public mutating func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64 {
        guard let delay = script.delays[choice] else {
            if range.minMicroseconds != range.maxMicroseconds {
                drifts.append("no answer for the \(choice)")
            }
            return range.minMicroseconds
        }
        if !range.contains(delay) {
            drifts.append("the \(choice) is \(delay)us, outside \(range.text)")
        }
        return delay
    }

    public mutating func happens(_ fault: FaultChoice) -> Bool {
        guard let happens = script.faults[fault] else {
            drifts.append("no answer for \(fault)")
            return true
        }
        return happens
    }

    public mutating func first(among candidates: [EventIdentity]) -> Int {
        var best: (index: Int, position: Int)?
        for (index, candidate) in candidates.enumerated() {
            guard let at = position[candidate] else { continue }
            if best == nil || at < best!.position {
                best = (index, at)
            }
        }
        guard let best else {
            drifts.append("no answer for the order of \(candidates.map(\.description).joined(separator: ", "))")
            return 0
        }
        return best.index
    }
}

/// Wraps a chooser and writes down its every answer as a ``ChoiceScript``, so a run can be replayed by
/// ``ScriptedChooser`` choice for choice.
public struct RecordingChooser<Base: Chooser>: Chooser {
    /// The wrapped chooser.
    public private(set) var base: Base
    /// The answers so far.
    public private(set) var script = ChoiceScript()

    public init(_ base: Base) {
        self.base = base
    }

    public mutating func delay(_ choice: DelayChoice, in range: LatencyRange) -> Int64 {
        let delay = base.delay(choice, in: range)
        script.delays[choice] = delay
        return delay
    }

    public mutating func happens(_ fault: FaultChoice) -> Bool {
        let happens = base.happens(fault)
        script.faults[fault] = happens
        return happens
    }

    public mutating func first(among candidates: [EventIdentity]) -> Int {
        let index = base.first(among: candidates)
        script.order.append(candidates[index])
        return index
    }
}
