/// The states of one level of the explorer's breadth-first search, held in the way their storage suits.
protocol ExplorerFrontier {
    associatedtype State: StateStorage
    /// The states held.
    var count: Int { get }
    /// An empty frontier for the next level, which may reuse `spare`'s storage (a frontier two levels back, all
    /// taken).
    func emptied(reusing spare: consuming Self?) -> Self
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

    func emptied(reusing spare: consuming ReadableFrontier?) -> ReadableFrontier {
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

/// Packed states, one after another in one array, each as a bit mask of its nonzero words and those words: most
/// of a state's words are zero (parts absent, lists short), so an entry is about a third of the state, and the
/// frontier's pages (first touched one by one, a page fault each) a third as many. Nothing is allocated per state.
struct PackedFrontier: ExplorerFrontier {
    let layout: PackedLayout
    /// The entries: two mask words (bit `i` of the pair: word `i` is nonzero), then the nonzero words in order.
    private var entries: [UInt64] = []
    private var numbers: [UInt32] = []
    /// Where each entry starts in `entries`.
    private var starts: [UInt32] = []
    /// The state last taken, whose storage the next take reuses.
    private var taken: PackedState
    /// Where an entry is made before it is appended.
    private var scratch: [UInt64]

    init(layout: PackedLayout) {
        precondition(PackedLayout.capacity <= 128, "PackedFrontier: two mask words cover 128 words")
        self.layout = layout
        taken = PackedState(layout: layout)
        scratch = Array(repeating: 0, count: 2 + Int(layout.wordCount))
    }

    var count: Int { numbers.count }

    /// Reuses the spare's arrays (fresh ones for every level were first touched page by page), with room for four
    /// times this level, so that those of two levels back mostly hold the next one in pages already touched; room
    /// reserved and never written costs no memory.
    func emptied(reusing spare: consuming PackedFrontier?) -> PackedFrontier {
        var next = spare ?? PackedFrontier(layout: layout)
        next.numbers.removeAll(keepingCapacity: true)
        next.starts.removeAll(keepingCapacity: true)
        next.entries.removeAll(keepingCapacity: true)
        next.numbers.reserveCapacity(numbers.count * 4)
        next.starts.reserveCapacity(numbers.count * 4)
        next.entries.reserveCapacity(max(entries.count * 4, 1024))
        return next
    }

    @inline(__always)
    mutating func append(number: UInt32, _ state: PackedState) {
        numbers.append(number)
        let base = entries.count
        starts.append(UInt32(base))
        let wordCount = Int(layout.wordCount)
        let used = state.withWords { words in
            scratch.withUnsafeMutableBufferPointer { out in
                var next = 2
                out[0] = Self.pack(words, 0..<min(wordCount, 64), into: out, at: &next)
                out[1] = Self.pack(words, min(wordCount, 64)..<wordCount, into: out, at: &next)
                return next
            }
        }
        scratch.withUnsafeBufferPointer { entries.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<used])) }
    }

    @inline(__always)
    mutating func append(number: UInt32, taking step: inout ModelStep<PackedState>) {
        append(number: number, step.state)
    }

    /// The state, in the storage of the one taken before (its holder has let it go by then): no allocation.
    mutating func take(at position: Int) -> (number: UInt32, state: PackedState) {
        let start = Int(starts[position])
        entries.withUnsafeBufferPointer { entries in
            taken.overwrite { words in
                var next = start + 2
                Self.unpack(mask: entries[start], from: entries, at: &next, into: words, offset: 0)
                Self.unpack(mask: entries[start + 1], from: entries, at: &next, into: words, offset: 64)
            }
        }
        return (numbers[position], taken)
    }

    /// Copies the nonzero words of `range` (at most 64) to `out` from `next` on, advancing it, and returns their
    /// mask (bit `i`: word `range.lowerBound + i` is nonzero). With no branch per word: a branch was mispredicted
    /// often enough to make the copying a tenth of the search; every word is written, and the next overwrites it
    /// unless it was kept.
    @inline(__always)
    private static func pack(
        _ words: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, into out: UnsafeMutableBufferPointer<UInt64>,
        at next: inout Int
    ) -> UInt64 {
        var mask: UInt64 = 0
        for index in range {
            let word = words[index]
            out[next] = word
            let kept: UInt64 = word != 0 ? 1 : 0
            next &+= Int(kept)
            mask |= kept &<< UInt64(index &- range.lowerBound)
        }
        return mask
    }

    /// Puts the words `mask` marks (from `offset` on) back in their places in `words`, read from `entries` from
    /// `next` on, advancing it.
    @inline(__always)
    private static func unpack(
        mask: UInt64, from entries: UnsafeBufferPointer<UInt64>, at next: inout Int,
        into words: UnsafeMutableBufferPointer<UInt64>, offset: Int
    ) {
        var mask = mask
        while mask != 0 {
            words[offset + mask.trailingZeroBitCount] = entries[next]
            next += 1
            mask &= mask - 1
        }
    }

    @inline(__always)
    static func fingerprintAndSize(of state: borrowing PackedState) -> (fingerprint: UInt64, words: Int) {
        (state.withWords { PackedFingerprint.of($0) }, Int(state.layout.wordCount))
    }
}
