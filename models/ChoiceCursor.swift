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
        case indices(ChoicePoints)
        /// Take these recorded choices, by value; a different identity means the replay drifted.
        case recorded([ModelChoice])
    }

    private let source: Source
    /// The option index taken, and how many options there were, at each choice point so far.
    private(set) var points = ChoicePoints()
    /// Whether ``choices`` is kept: an action needs it, the explorer's successors do not.
    private let recordsChoices: Bool
    /// The choices made, by identity and value (empty unless ``recordsChoices``).
    var choices: [ModelChoice] { recorded ?? [] }
    /// The choices, nil until one is made: an empty array was retained and released with every copy of the
    /// cursor, one per transition in the explorer.
    private var recorded: [ModelChoice]?

    /// A script that takes these option indices first; it keeps the choices made when `recordsChoices`.
    init(indices: ChoicePoints, recordsChoices: Bool = true) {
        source = .indices(indices)
        self.recordsChoices = recordsChoices
    }

    /// A script that replays an action's choices.
    init(recorded: [ModelChoice]) {
        source = .recorded(recorded)
        recordsChoices = true
    }

    /// A delay for `identity`, one of `options`.
    mutating func delay(_ choice: DelayChoice, among options: DelayValues) -> TimeWindow {
        precondition(!options.isEmpty, "ChoiceCursor: no options for the \(choice)")
        let index = pick(count: options.count) { recorded in
            guard case .delay(let recordedChoice, let window) = recorded, recordedChoice == choice else { return nil }
            return options.firstIndex(of: window)
        }
        if recordsChoices { recorded = (recorded ?? []) + [.delay(choice, options[index])] }
        return options[index]
    }

    /// Whether a `maybe` fault happens: it does first, then not.
    mutating func happens(_ fault: FaultChoice) -> Bool {
        let picked = pick(count: 2) { recorded in
            guard case .fault(let recordedFault, let happens) = recorded, recordedFault == fault else { return nil }
            return happens ? 0 : 1
        }
        let happens = picked == 0
        if recordsChoices { recorded = (recorded ?? []) + [.fault(fault, happens: happens)] }
        return happens
    }

    private mutating func pick(count: Int, matching: (ModelChoice) -> Int?) -> Int {
        let position = points.count
        let index: Int
        switch source {
        case .indices(let indices):
            index = position < indices.count ? indices.taken(at: position) : 0
        case .recorded(let recorded):
            precondition(position < recorded.count, "ChoiceCursor: the replayed action made fewer choices")
            guard let found = matching(recorded[position]) else {
                preconditionFailure("ChoiceCursor: the replay asks another choice than \(recorded[position])")
            }
            index = found
        }
        precondition(index < count, "ChoiceCursor: option \(index) of \(count)")
        points.append(taken: index, of: count)
        return index
    }

    /// Whether a replay used every recorded choice.
    var isExhausted: Bool {
        switch source {
        case .indices: return true
        case .recorded(let recorded): return points.count == recorded.count
        }
    }
}

/// The choice points of one run of a step: at each, the option index taken and how many options there were.
///
/// The first eight points live inline, a byte each in two words, the rest in arrays: an action makes one or two
/// choices, and two arrays per step were a tenth of the explorer's allocations. Option counts are at most
/// ``ScenarioLimits/maximumExploreValues`` (or two, for a `maybe` fault), so a byte holds them.
struct ChoicePoints {
    private var inlineTaken: UInt64 = 0
    private var inlineCounts: UInt64 = 0
    // Nil until a ninth point: an empty array is still retained and released with each copy of the points, and
    // the explorer copies them for every transition.
    private var overflowTaken: [Int]? = nil
    private var overflowCounts: [Int]? = nil
    /// How many points.
    private(set) var count = 0

    private static let inlineCapacity = 8

    /// The option index taken at `position`.
    func taken(at position: Int) -> Int {
        position < Self.inlineCapacity
            ? Int(truncatingIfNeeded: inlineTaken >> UInt64(position * 8)) & 0xFF
            : overflowTaken![position - Self.inlineCapacity]
    }

    /// How many options the point at `position` had.
    func optionCount(at position: Int) -> Int {
        position < Self.inlineCapacity
            ? Int(truncatingIfNeeded: inlineCounts >> UInt64(position * 8)) & 0xFF
            : overflowCounts![position - Self.inlineCapacity]
    }

    /// Whether every point had one option: the run was the item's only combination of choices.
    var hadOneOptionEach: Bool {
        for position in 0..<count where optionCount(at: position) > 1 { return false }
        return true
    }

    /// Adds a point.
    @inline(__always)
    mutating func append(taken: Int, of optionCount: Int) {
        guard count < Self.inlineCapacity else { return appendOverflow(taken: taken, of: optionCount) }
        precondition(optionCount <= 0xFF, "ChoicePoints: \(optionCount) options at one point")
        inlineTaken |= UInt64(taken) << UInt64(count * 8)
        inlineCounts |= UInt64(optionCount) << UInt64(count * 8)
        count += 1
    }

    private mutating func appendOverflow(taken: Int, of optionCount: Int) {
        overflowTaken = (overflowTaken ?? []) + [taken]
        overflowCounts = (overflowCounts ?? []) + [optionCount]
        count += 1
    }

    /// The first `length` points with the last one's option replaced by `option`: the prefix that makes a run
    /// take `option` there and the first option at every later point.
    ///
    /// Within the inline points, by masks: built point by point, through a call per point, it was a twentieth of
    /// the explorer's time (the words written piecewise and read back whole stalled the load).
    func prefix(_ length: Int, then option: Int) -> ChoicePoints {
        precondition(length >= 1 && length <= count, "ChoicePoints: a prefix of \(length) of \(count) points")
        if length <= Self.inlineCapacity {
            precondition(option < optionCount(at: length - 1), "ChoicePoints: option \(option) at the last point")
            let kept = UInt64(length - 1) * 8
            let below: UInt64 = kept == 0 ? 0 : ~0 >> (64 - kept)
            let through: UInt64 = length == Self.inlineCapacity ? ~0 : ~0 >> (64 - kept - 8)
            var result = ChoicePoints()
            result.inlineTaken = inlineTaken & below | UInt64(option) << kept
            result.inlineCounts = inlineCounts & through
            result.count = length
            return result
        }
        var result = ChoicePoints()
        for position in 0..<(length - 1) {
            result.append(taken: taken(at: position), of: optionCount(at: position))
        }
        result.append(taken: option, of: optionCount(at: length - 1))
        return result
    }
}
