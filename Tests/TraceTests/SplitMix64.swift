/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so every random test replays from its seed.
///
/// Not a `RandomNumberGenerator`: the standard library's `random(in:using:)` algorithms may change between
/// releases, and a seed must mean the same events for ever. Its own `below(_:)` is a plain modulo, which is
/// biased by at most 2^-50 for the small bounds used here.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "SplitMix64.below: bound \(bound) must be positive")
        return Int(next() % UInt64(bound))
    }

    /// True `percent` times in a hundred.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// One of `choices`.
    mutating func pick<Element>(_ choices: [Element]) -> Element {
        choices[below(choices.count)]
    }
}
