/// A fixed-length list of small values packed into four words held in place, or kept in an array when they do
/// not fit: the state's per-call, per-write, per-fault and per-key counters.
///
/// Why: the explorer copies a state for every successor it makes, and each copy retained every array the state
/// holds (retain and release were a third of the search's time). These lists never change length, and their
/// elements take a byte (a call's progress, a fault's decision, a flag) or a word (a version, a count), so up to
/// 32 bytes or 4 words of them ride inside the state and copy with it. A longer list keeps its elements in an
/// array, so any scenario fits; every bundled one stays in place.
///
/// Equal lists hold equal elements whatever their storage, and the state's encoding sees only the elements.
struct PackedList<Element: PackedListElement>: Hashable, Sendable, RandomAccessCollection, MutableCollection {
    /// The packed elements, `Element.packedBits` each from bit 0 of the first word on; zero past `count`.
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The elements, when more than fit in ``words``; empty otherwise.
    private var spilled: [Element] = []
    /// How many elements.
    let count: Int

    /// How many elements fit in place.
    static var inlineCapacity: Int { 256 / Element.packedBits }

    init(repeating element: Element, count: Int) {
        self.init(Array(repeating: element, count: count))
    }

    init(_ elements: [Element]) {
        count = elements.count
        if count > Self.inlineCapacity {
            spilled = elements
        } else {
            for (position, element) in elements.enumerated() { self[position] = element }
        }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < count, "PackedList: index \(position) of \(count)")
            if count > Self.inlineCapacity { return spilled[position] }
            let (word, shift) = Self.place(of: position)
            return Element(packed: (self.word(word) >> shift) & Self.mask)
        }
        set {
            precondition(position >= 0 && position < count, "PackedList: index \(position) of \(count)")
            if count > Self.inlineCapacity {
                spilled[position] = newValue
                return
            }
            let packed = newValue.packed
            precondition(packed & ~Self.mask == 0, "PackedList: \(newValue) does not fit in \(Element.packedBits) bits")
            let (word, shift) = Self.place(of: position)
            setWord(word, (self.word(word) & ~(Self.mask << shift)) | (packed << shift))
        }
    }

    private static var mask: UInt64 { Element.packedBits == 64 ? .max : (1 << UInt64(Element.packedBits)) - 1 }

    /// The word holding the element at `position`, and the element's shift within it.
    private static func place(of position: Int) -> (word: Int, shift: UInt64) {
        let bit = position * Element.packedBits
        return (bit / 64, UInt64(bit % 64))
    }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: return words.0
        case 1: return words.1
        case 2: return words.2
        case 3: return words.3
        default: preconditionFailure("PackedList: word \(index)")
        }
    }

    private mutating func setWord(_ index: Int, _ value: UInt64) {
        switch index {
        case 0: words.0 = value
        case 1: words.1 = value
        case 2: words.2 = value
        case 3: words.3 = value
        default: preconditionFailure("PackedList: word \(index)")
        }
    }

    static func == (lhs: PackedList, rhs: PackedList) -> Bool {
        lhs.elementsEqual(rhs)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for element in self { hasher.combine(element) }
    }
}

/// A value a ``PackedList`` can hold: `packedBits` bits of it say which.
protocol PackedListElement: Hashable, Sendable {
    /// How many bits an element takes: 8 or 64.
    static var packedBits: Int { get }
    /// The element these bits stand for.
    init(packed: UInt64)
    /// The element's bits.
    var packed: UInt64 { get }
}

extension Int: PackedListElement {
    static var packedBits: Int { 64 }
    init(packed: UInt64) { self.init(Int64(bitPattern: packed)) }
    var packed: UInt64 { UInt64(bitPattern: Int64(self)) }
}

extension Bool: PackedListElement {
    static var packedBits: Int { 8 }
    init(packed: UInt64) { self = packed != 0 }
    var packed: UInt64 { self ? 1 : 0 }
}

/// An enum kept as its one-byte raw value.
protocol PackedByteEnum: PackedListElement, RawRepresentable where RawValue == UInt8 {}

extension PackedByteEnum {
    static var packedBits: Int { 8 }
    init(packed: UInt64) {
        guard let value = Self(rawValue: UInt8(truncatingIfNeeded: packed)) else {
            preconditionFailure("\(Self.self): no value \(packed)")
        }
        self = value
    }
    var packed: UInt64 { UInt64(rawValue) }
}

extension CallStatus: PackedByteEnum {}

extension FaultDecision: PackedByteEnum {}
