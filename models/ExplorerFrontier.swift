/// The states of one level of the explorer's breadth-first search, held in the way their storage suits.
protocol ExplorerFrontier {
    associatedtype State: StateStorage
    /// The states held.
    var count: Int { get }
    /// An empty frontier for the next level (reusing nothing of this one's states).
    func emptied() -> Self
    /// Adds a state.
    mutating func append(number: UInt32, _ state: State)
    /// Adds the state a step reached (and may take it out of the step: the step is not used again).
    mutating func append(number: UInt32, taking step: inout ModelStep<State>)
    /// The state at `position` and its number (each position is taken once).
    mutating func take(at position: Int) -> (number: UInt32, state: State)
    /// A state's fingerprint, and its size in words.
    static func fingerprintAndSize(of state: borrowing State) -> (fingerprint: UInt64, words: Int)
}

/// Readable states, each moved in and out of the frontier (a copy would retain each of its arrays).
struct ReadableFrontier: ExplorerFrontier {
    private var states: [(number: UInt32, state: ModelState?)] = []

    var count: Int { states.count }

    func emptied() -> ReadableFrontier {
        var next = ReadableFrontier()
        next.states.reserveCapacity(states.count * 2)  // a level is about twice the last: fewer regrowths
        return next
    }

    mutating func append(number: UInt32, _ state: ModelState) {
        states.append((number, state))
    }

    mutating func append(number: UInt32, taking step: inout ModelStep<ModelState>) {
        states.append((number, step.takeState()))
    }

    mutating func take(at position: Int) -> (number: UInt32, state: ModelState) {
        guard let state = states[position].state.take() else {
            preconditionFailure("Explorer: state \(states[position].number) taken from the frontier twice")
        }
        return (states[position].number, state)
    }

    static func fingerprintAndSize(of state: borrowing ModelState) -> (fingerprint: UInt64, words: Int) {
        state.fingerprintAndSize
    }
}

/// Packed states, their words one after another in one array: a state's place in the frontier is a copy of its
/// words in use, and nothing is allocated per state.
struct PackedFrontier: ExplorerFrontier {
    let layout: PackedLayout
    private var words: [UInt64] = []
    private var numbers: [UInt32] = []

    init(layout: PackedLayout) {
        self.layout = layout
    }

    var count: Int { numbers.count }

    func emptied() -> PackedFrontier {
        var next = PackedFrontier(layout: layout)
        next.numbers.reserveCapacity(numbers.count * 2)
        next.words.reserveCapacity(numbers.count * 2 * Int(layout.wordCount))
        return next
    }

    @inline(__always)
    mutating func append(number: UInt32, _ state: PackedState) {
        numbers.append(number)
        state.withWords { words.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(number: UInt32, taking step: inout ModelStep<PackedState>) {
        append(number: number, step.state)
    }

    mutating func take(at position: Int) -> (number: UInt32, state: PackedState) {
        let stride = Int(layout.wordCount)
        let state = words.withUnsafeBufferPointer { buffer in
            PackedState(layout: layout, words: UnsafeBufferPointer(rebasing: buffer[(position * stride)...]))
        }
        return (numbers[position], state)
    }

    @inline(__always)
    static func fingerprintAndSize(of state: borrowing PackedState) -> (fingerprint: UInt64, words: Int) {
        var fingerprint = Fingerprint()
        state.withWords { stateWords in
            for word in stateWords { fingerprint.combine(word) }
        }
        return (fingerprint.finalized, Int(state.layout.wordCount))
    }
}
