/// A 64-bit fingerprint of a sequence of 64-bit words, the same on every run, process and toolchain.
///
/// Swift's `Hasher` is seeded per process (DESIGN.md rule 4), so the explorer's visited set, and any number a
/// test pins, uses this instead: each word is folded in through SplitMix64's finalizer (a bijective mixer with
/// full avalanche), and the word count is folded in last so that sequences of different lengths differ.
///
/// Four lanes, word `k` folded into lane `k % 4`, the lanes mixed together at the end: one chain through every
/// word made each word wait for the last one's multiplications (a state is 65-80 words, and the fingerprint
/// was a sixth of the explorer's time); four independent chains run side by side. (Since session 6; the values
/// tests pin changed with it.)
public struct Fingerprint: Sendable {
    /// The lanes; the next word goes into `lanes.0`, and the lanes then turn.
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (
        0x6C65_6173_656C_6162, 0x6C61_6230_6C61_6231, 0x6C61_6232_6C61_6233, 0x6C61_6234_6C61_6235
    )  // "leaselab", "lab0lab1", ...
    private var count: UInt64 = 0

    public init() {}

    /// Folds in one word.
    @inline(__always)
    public mutating func combine(_ word: UInt64) {
        let mixed = Self.mix((lanes.0 &+ 0x9E37_79B9_7F4A_7C15) ^ word)
        lanes = (lanes.1, lanes.2, lanes.3, mixed)
        count &+= 1
    }

    /// How many words were folded in.
    public var wordCount: Int { Int(count) }

    /// The fingerprint of the words so far.
    public var finalized: UInt64 {
        var value = Self.mix(lanes.0 ^ (count &* 0xD6E8_FEB8_6659_FD93))
        value = Self.mix(value ^ lanes.1)
        value = Self.mix(value ^ lanes.2)
        return Self.mix(value ^ lanes.3)
    }

    /// The fingerprint of a word sequence.
    public static func of(_ words: [UInt64]) -> UInt64 {
        var fingerprint = Fingerprint()
        for word in words { fingerprint.combine(word) }
        return fingerprint.finalized
    }

    /// SplitMix64's finalizer.
    @inline(__always)
    static func mix(_ input: UInt64) -> UInt64 {
        var z = input
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Where a state's canonical encoding goes: a fingerprint, or a word array.
protocol WordSink {
    mutating func append(_ word: UInt64)
}

extension Fingerprint: WordSink {
    @inline(__always)
    mutating func append(_ word: UInt64) { combine(word) }
}

/// Collects the words themselves: the packed form of a state, and its size.
struct WordArray: WordSink {
    var words: [UInt64] = []
    mutating func append(_ word: UInt64) { words.append(word) }
}

extension WordSink {
    @inline(__always)
    mutating func append(_ value: Int) { append(UInt64(bitPattern: Int64(value))) }
    @inline(__always)
    mutating func append(_ value: Int64) { append(UInt64(bitPattern: value)) }
    @inline(__always)
    mutating func append(_ value: Bool) { append(value ? 1 as UInt64 : 0) }
    @inline(__always)
    mutating func append(_ window: TimeWindow) {
        append(window.earliestMicroseconds)
        append(window.latestMicroseconds)
    }
}

/// The explorer's fingerprint of a packed state's words (``PackedState``): four lanes, each folding in two words
/// per 128-bit multiply (wyhash's mixer), then mixed together. Its values are the explorer's own (the visited set
/// and nothing else sees them); ``Fingerprint``, whose values tests pin, stays the readable state's. SplitMix64
/// per word was a seventh of the packed search; with two lanes each multiply waited for the one before it in its
/// lane (a tenth of the search), with four the multiplier is kept busy.
enum PackedFingerprint {
    @inline(__always)
    static func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    static func of(_ words: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var first: UInt64 = 0x2D35_8DCC_AA6C_78A5
        var second: UInt64 = 0x8BB8_4B93_962E_ACC9
        var third: UInt64 = 0x4B33_A62E_D433_D4A3
        var fourth: UInt64 = 0x4D5A_2DA5_1DE1_AA47
        var index = 0
        while index + 8 <= words.count {
            first = mum(words[index] ^ 0xA076_1D64_78BD_642F, words[index + 1] ^ first)
            second = mum(words[index + 2] ^ 0xE703_7ED1_A0B4_28DB, words[index + 3] ^ second)
            third = mum(words[index + 4] ^ 0x8EBC_6AF0_9C88_C6E3, words[index + 5] ^ third)
            fourth = mum(words[index + 6] ^ 0x5899_65CC_7537_4CC3, words[index + 7] ^ fourth)
            index += 8
        }
        // The rest, up to seven words: pairs into lanes of their own, so that they do not queue on one.
        if index + 2 <= words.count {
            first = mum(words[index] ^ 0xA076_1D64_78BD_642F, words[index + 1] ^ first)
            index += 2
        }
        if index + 2 <= words.count {
            second = mum(words[index] ^ 0xE703_7ED1_A0B4_28DB, words[index + 1] ^ second)
            index += 2
        }
        if index + 2 <= words.count {
            third = mum(words[index] ^ 0x8EBC_6AF0_9C88_C6E3, words[index + 1] ^ third)
            index += 2
        }
        if index < words.count {
            fourth = mum(words[index] ^ 0x5899_65CC_7537_4CC3, fourth ^ 0x1D8E_4E27_C47D_124F)
        }
        return mum(first ^ second ^ UInt64(words.count), third ^ fourth ^ 0x5899_65CC_7537_4CC3)
    }
}
