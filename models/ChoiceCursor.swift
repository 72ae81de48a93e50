import Trace

/// Where one run of a step gets its choices: from option indices (to enumerate every combination) or from a
/// recorded action's choices (to replay it).
///
/// A step asks for each choice by identity as it reaches it, the way the simulator asks its chooser; the script
/// records every answer, so the enumeration (``LeaseModel/successors(of:)``) can try the other options of each
/// point afterwards, depth first, in lexicographic order of option indices.
struct ChoiceCursor {
    private enum Source {
        /// Take these option indices, then the first option at every further point.
        case indices([Int])
        /// Take these recorded choices, by value; a different identity means the replay drifted.
        case recorded([ModelChoice])
    }

    private let source: Source
    /// The option index taken at each choice point so far.
    private(set) var taken: [Int] = []
    /// How many options each choice point had.
    private(set) var optionCounts: [Int] = []
    /// The choices made, by identity and value.
    private(set) var choices: [ModelChoice] = []

    /// A script that takes these option indices first.
    init(indices: [Int]) {
        source = .indices(indices)
    }

    /// A script that replays an action's choices.
    init(recorded: [ModelChoice]) {
        source = .recorded(recorded)
    }

    /// A delay for `identity`, one of `options`.
    mutating func delay(_ choice: DelayChoice, among options: [TimeWindow]) -> TimeWindow {
        precondition(!options.isEmpty, "ChoiceCursor: no options for the \(choice)")
        let index = pick(count: options.count) { recorded in
            guard case .delay(let recordedChoice, let window) = recorded, recordedChoice == choice else { return nil }
            return options.firstIndex(of: window)
        }
        choices.append(.delay(choice, options[index]))
        return options[index]
    }

    /// Whether a `maybe` fault happens: it does first, then not.
    mutating func happens(_ fault: FaultChoice) -> Bool {
        let options = [true, false]
        let picked = pick(count: 2) { recorded in
            guard case .fault(let recordedFault, let happens) = recorded, recordedFault == fault else { return nil }
            return options.firstIndex(of: happens)
        }
        choices.append(.fault(fault, happens: options[picked]))
        return options[picked]
    }

    private mutating func pick(count: Int, matching: (ModelChoice) -> Int?) -> Int {
        let position = taken.count
        let index: Int
        switch source {
        case .indices(let indices):
            index = position < indices.count ? indices[position] : 0
        case .recorded(let recorded):
            precondition(position < recorded.count, "ChoiceCursor: the replayed action made fewer choices")
            guard let found = matching(recorded[position]) else {
                preconditionFailure("ChoiceCursor: the replay asks another choice than \(recorded[position])")
            }
            index = found
        }
        precondition(index < count, "ChoiceCursor: option \(index) of \(count)")
        taken.append(index)
        optionCounts.append(count)
        return index
    }

    /// Whether a replay used every recorded choice.
    var isExhausted: Bool {
        switch source {
        case .indices: return true
        case .recorded(let recorded): return taken.count == recorded.count
        }
    }
}
