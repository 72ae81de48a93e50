import Trace

/// Where one run of a step gets its choices: from option indices (to enumerate every combination) or from a
/// recorded action's choices (to replay it).
///
/// A step asks for each choice by identity as it reaches it, the way the simulator asks its chooser; the script
/// records every answer, so the enumeration (``LeaseModel/successors(of:)``) can try the other options of each
/// point afterwards, depth first, in lexicographic order of option indices.
struct ChoiceCursor {
    /// Take these option indices, then the first option at every further point (unless replaying).
    private var indices: ChoicePoints
    /// When replaying: take these recorded choices, by value; a different identity means the replay drifted.
    private var replay: [ModelChoice]?
    /// The option index taken, and how many options there were, at each choice point so far.
    private(set) var points = ChoicePoints()
    /// Whether ``choices`` is kept: an action needs it, the explorer's successors do not.
    private var recordsChoices: Bool
    /// The choices made, by identity and value (empty unless ``recordsChoices``).
    var choices: [ModelChoice] { recorded ?? [] }
    /// The choices, nil until one is made: an empty array was retained and released with every copy of the
    /// cursor, one per transition in the explorer.
    private var recorded: [ModelChoice]?

    /// A script that takes these option indices first; it keeps the choices made when `recordsChoices`.
    init(indices: ChoicePoints, recordsChoices: Bool = true) {
        self.indices = indices
        self.recordsChoices = recordsChoices
    }

    /// A script that replays an action's choices.
    init(recorded: [ModelChoice]) {
        indices = ChoicePoints()
        replay = recorded
        recordsChoices = true
    }

    /// Makes this the cursor ``init(indices:recordsChoices:)`` makes, in place: the explorer restarts one cursor
    /// for every transition, and a new cursor assigned over the old one retained and released each of its (nil)
    /// references, seventeen calls a transition.
    mutating func restart(indices: ChoicePoints, recordsChoices: Bool) {
        if replay != nil { replay = nil }
        self.indices.assign(indices)
        points.removeAll()
        if recorded != nil { recorded = nil }
        self.recordsChoices = recordsChoices
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
        if let replay {
            precondition(position < replay.count, "ChoiceCursor: the replayed action made fewer choices")
            guard let found = matching(replay[position]) else {
                preconditionFailure("ChoiceCursor: the replay asks another choice than \(replay[position])")
            }
            index = found
        } else {
            index = position < indices.count ? indices.taken(at: position) : 0
        }
        precondition(index < count, "ChoiceCursor: option \(index) of \(count)")
        points.append(taken: index, of: count)
        return index
    }

    /// Whether a replay used every recorded choice.
    var isExhausted: Bool {
        guard let replay else { return true }
        return points.count == replay.count
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
    /// The points past the eighth, nil until there is one: a reference is retained and released with each copy of
    /// the points (even nil, as a call), and the explorer copies them for every transition. Never changed once
    /// made (a copy shares it): a point added makes a new one.
    private var overflow: Overflow? = nil
    /// How many points.
    private(set) var count = 0

    private static let inlineCapacity = 8

    private final class Overflow {
        let taken: [Int]
        let counts: [Int]

        init(taken: [Int], counts: [Int]) {
            self.taken = taken
            self.counts = counts
        }
    }

    /// The option index taken at `position`.
    func taken(at position: Int) -> Int {
        position < Self.inlineCapacity
            ? Int(truncatingIfNeeded: inlineTaken >> UInt64(position * 8)) & 0xFF
            : overflow!.taken[position - Self.inlineCapacity]
    }

    /// How many options the point at `position` had.
    func optionCount(at position: Int) -> Int {
        position < Self.inlineCapacity
            ? Int(truncatingIfNeeded: inlineCounts >> UInt64(position * 8)) & 0xFF
            : overflow!.counts[position - Self.inlineCapacity]
    }

    /// Becomes `other`, touching the overflow reference only when either has one.
    mutating func assign(_ other: ChoicePoints) {
        inlineTaken = other.inlineTaken
        inlineCounts = other.inlineCounts
        count = other.count
        if overflow != nil || other.overflow != nil { overflow = other.overflow }
    }

    /// Forgets every point.
    mutating func removeAll() {
        inlineTaken = 0
        inlineCounts = 0
        count = 0
        if overflow != nil { overflow = nil }
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
        overflow = Overflow(
            taken: (overflow?.taken ?? []) + [taken], counts: (overflow?.counts ?? []) + [optionCount])
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
