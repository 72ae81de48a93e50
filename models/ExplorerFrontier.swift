#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The states of one level of the explorer's breadth-first search, held in the way their storage suits, and taken
/// out once each, in the order they were added.
protocol ExplorerFrontier {
    associatedtype State: StateStorage
    /// The states added.
    var count: Int { get }
    /// An empty frontier for the next level, which may share this one's storage (whose states are being taken).
    func nextLevel() -> Self
    /// Adds a state.
    mutating func append(number: UInt32, _ state: State)
    /// The next state not yet taken, written over `state`, and its number: the first added, then the second, and
    /// so on, `count` times. Written over a state the caller keeps, so that its storage serves every take.
    mutating func takeNext(into state: inout State) -> UInt32
    /// A state's fingerprint, and its size in words.
    static func fingerprintAndSize(of state: borrowing State) -> (fingerprint: UInt64, words: Int)
}

/// Readable states, each moved in and out of the frontier (a copy would retain each of its arrays).
struct ReadableFrontier: ExplorerFrontier {
    private var states: [(number: UInt32, state: ModelState?)] = []
    private var taken = 0

    var count: Int { states.count }

    func nextLevel() -> ReadableFrontier {
        var next = ReadableFrontier()
        next.states.reserveCapacity(states.count * 2)  // a level is about twice the last: fewer regrowths
        return next
    }

    mutating func append(number: UInt32, _ state: ModelState) {
        states.append((number, state))
    }

    mutating func takeNext(into state: inout ModelState) -> UInt32 {
        precondition(taken < states.count, "Explorer: more states taken from the frontier than it holds")
        defer { taken += 1 }
        guard let next = states[taken].state.take() else {
            preconditionFailure("Explorer: state \(states[taken].number) taken from the frontier twice")
        }
        state = next
        return states[taken].number
    }

    static func fingerprintAndSize(of state: borrowing ModelState) -> (fingerprint: UInt64, words: Int) {
        state.fingerprintAndSize
    }
}

/// Packed states, one after another in blocks of words, each entry its number, a bit mask of the words that differ
/// from the state before it in the frontier, and those words XOR the state before's. A state's successors come one
/// after another and differ from each other in a few words (and every state's absent parts are zero words), so an
/// entry is about a sixth of a state. Nothing is allocated per state.
///
/// Why against the state before and not against zero: holding only the nonzero words took a third of each state,
/// and the frontier's memory, first touched a page at a time, cost a page fault and the kernel's zeroing per page:
/// a tenth of the search. The reader rebuilds each state over the one it took before (``takeNext(into:)``), which
/// also spares clearing the state's words.
///
/// The blocks come from a pool the levels share (``FrontierBlocks``): a block goes back as soon as its last entry is
/// taken, and the next level, being written meanwhile, writes into it. With a fresh array per level (or arrays
/// reused two levels on), every level larger than those before it was written into memory never touched, a page
/// fault per 4 KB, and regrown arrays were copied whole: together a sixth of the search, most of it in the kernel.
///
/// Not copied while states are added (a copy would share the last state added, ``previous``).
struct PackedFrontier: ExplorerFrontier {
    let layout: PackedLayout
    private let pool: FrontierBlocks
    /// The blocks holding entries not yet taken, in order.
    private var blocks: [UnsafeMutablePointer<UInt64>] = []
    /// The words written in the last block.
    private var written = 0
    private(set) var count = 0
    /// Entries taken; the next is in the first block of `blocks`, at `readOffset`.
    private var takenCount = 0
    private var readOffset = 0
    /// The most words an entry takes: its number, two mask words, and every word of the state.
    private let entryMaximum: Int
    /// The words of the state added last (zero before the first): what the next entry is written against.
    private let previous: WordBuffer
    #if DEBUG
    /// The words of the state taken last, to check that the caller handed the same state back.
    private var lastTaken: [UInt64] = []
    #endif

    init(layout: PackedLayout) {
        self.init(layout: layout, pool: FrontierBlocks())
    }

    private init(layout: PackedLayout, pool: FrontierBlocks) {
        precondition(PackedLayout.capacity <= 128, "PackedFrontier: two mask words cover 128 words")
        self.layout = layout
        self.pool = pool
        entryMaximum = 3 + Int(layout.wordCount)
        previous = WordBuffer(count: Int(layout.wordCount))
        precondition(entryMaximum <= FrontierBlocks.blockWords, "PackedFrontier: an entry larger than a block")
    }

    func nextLevel() -> PackedFrontier {
        PackedFrontier(layout: layout, pool: pool)
    }

    /// Writes the entry straight into the last block, after making sure it has room for the largest entry: so the
    /// reader, applying the same rule, finds where a block's entries end.
    @inline(__always)
    mutating func append(number: UInt32, _ state: PackedState) {
        if blocks.isEmpty || written + entryMaximum > FrontierBlocks.blockWords {
            blocks.append(pool.take())
            written = 0
        }
        let wordCount = Int(layout.wordCount)
        let out = UnsafeMutableBufferPointer(start: blocks[blocks.count - 1] + written, count: entryMaximum)
        let previous = UnsafeMutableBufferPointer(start: self.previous.pointer, count: wordCount)
        written += state.withWords { words in
            var next = 3
            out[0] = UInt64(number)
            out[1] = Self.pack(words, against: previous, 0..<min(wordCount, 64), into: out, at: &next)
            out[2] = Self.pack(words, against: previous, min(wordCount, 64)..<wordCount, into: out, at: &next)
            return next
        }
        count += 1
    }

    /// The state, rebuilt over `state`, which must be the state this took last (or anything, for the first take of
    /// a level): in its own storage when no other state shares it, so no allocation and no reference counted. A
    /// block whose entries are all taken goes back to the pool.
    mutating func takeNext(into state: inout PackedState) -> UInt32 {
        precondition(takenCount < count, "Explorer: more states taken from the frontier than it holds")
        if readOffset + entryMaximum > FrontierBlocks.blockWords {
            pool.give(blocks.removeFirst())
            readOffset = 0
        }
        if takenCount == 0 {
            // The first entry is written against zero words.
            state.reset(to: layout)
        }
        #if DEBUG
        assert(takenCount == 0 || state.wordArray == lastTaken, "PackedFrontier: not the state taken last")
        defer { lastTaken = state.wordArray }
        #endif
        let entry = UnsafeBufferPointer(start: UnsafePointer(blocks[0] + readOffset), count: entryMaximum)
        var next = 3
        state.updateWords { words in
            Self.unpack(mask: entry[1], from: entry, at: &next, into: words, offset: 0)
            Self.unpack(mask: entry[2], from: entry, at: &next, into: words, offset: 64)
        }
        readOffset += next
        takenCount += 1
        if takenCount == count {
            for block in blocks { pool.give(block) }
            blocks.removeAll()
        }
        return UInt32(truncatingIfNeeded: entry[0])
    }

    /// Copies the words of `range` (at most 64) that differ from `previous`, XOR `previous`, to `out` from `next`
    /// on, advancing it; makes them `previous`; and returns their mask (bit `i`: word `range.lowerBound + i`
    /// differs). With no branch per word: a branch was mispredicted often enough to make the copying a tenth of the
    /// search; every word is written, and the next overwrites it unless it was kept.
    @inline(__always)
    private static func pack(
        _ words: UnsafeBufferPointer<UInt64>, against previous: UnsafeMutableBufferPointer<UInt64>,
        _ range: Range<Int>, into out: UnsafeMutableBufferPointer<UInt64>, at next: inout Int
    ) -> UInt64 {
        var mask: UInt64 = 0
        for index in range {
            let word = words[index]
            let change = word ^ previous[index]
            previous[index] = word
            out[next] = change
            let kept: UInt64 = change != 0 ? 1 : 0
            next &+= Int(kept)
            mask |= kept &<< UInt64(index &- range.lowerBound)
        }
        return mask
    }

    /// Applies the changes `mask` marks (from `offset` on) to `words`, read from `entry` from `next` on, advancing
    /// it.
    @inline(__always)
    private static func unpack(
        mask: UInt64, from entry: UnsafeBufferPointer<UInt64>, at next: inout Int,
        into words: UnsafeMutableBufferPointer<UInt64>, offset: Int
    ) {
        var mask = mask
        while mask != 0 {
            words[offset + mask.trailingZeroBitCount] ^= entry[next]
            next += 1
            mask &= mask - 1
        }
    }

    @inline(__always)
    static func fingerprintAndSize(of state: borrowing PackedState) -> (fingerprint: UInt64, words: Int) {
        (state.withWords { PackedFingerprint.of($0) }, Int(state.layout.wordCount))
    }
}

/// The blocks of words the packed frontiers of one search share, each taken by the level being written and given
/// back by the level being read. Fresh memory is touched only when the frontier outgrows every block it has had.
/// Blocks are 2 MB, aligned and offered for huge pages: one page fault each where Linux allows it.
final class FrontierBlocks {
    /// Words per block: 2 MB.
    static let blockWords = 1 << 18
    private static let blockBytes = blockWords * MemoryLayout<UInt64>.stride

    private var spare: [UnsafeMutablePointer<UInt64>] = []
    private var made: [UnsafeMutablePointer<UInt64>] = []

    /// A block: the one given back last (its pages are the likeliest still in cache), or a new one.
    func take() -> UnsafeMutablePointer<UInt64> {
        if let block = spare.popLast() { return block }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, Self.blockBytes, Self.blockBytes) == 0, let raw else {
            preconditionFailure("PackedFrontier: no memory for another \(Self.blockBytes)-byte block of states")
        }
        #if canImport(Glibc)
        _ = madvise(raw, Self.blockBytes, MADV_HUGEPAGE)
        #endif
        let block = raw.bindMemory(to: UInt64.self, capacity: Self.blockWords)
        made.append(block)
        return block
    }

    func give(_ block: UnsafeMutablePointer<UInt64>) {
        assert(made.contains(block) && !spare.contains(block), "FrontierBlocks: a block given back twice")
        spare.append(block)
    }

    deinit {
        for block in made { free(block) }
    }
}
