/// The project's one random generator: SplitMix64 (Steele, Lea, Flood 2014), with its own bounded draw, so a seed
/// means the same on every toolchain and platform (DESIGN.md rule 4). Never the operating system's generator, and
/// never the standard library's bounded draws, whose algorithm is not promised to stay the same.
public struct SplitMix64: Hashable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw from `0..<bound` (Lemire's multiply-and-reject, exact: no modulo bias).
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "SplitMix64.next(below: 0)")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform draw from `lower...upper`.
    public mutating func next(in lower: Int64, _ upper: Int64) -> Int64 {
        precondition(lower <= upper, "SplitMix64.next(in: \(lower), \(upper))")
        let span = UInt64(bitPattern: upper &- lower) &+ 1
        if span == 0 {  // the whole Int64 range
            return Int64(bitPattern: next())
        }
        return lower &+ Int64(bitPattern: next(below: span))
    }
}
