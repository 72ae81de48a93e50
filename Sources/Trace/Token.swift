/// A lease token: what `SET lease:<key> <token> PX ttl NX` stores, so a release can tell our lease from another's.
///
/// In the simulator and the model a token is `w<worker>.<call>` (DESIGN.md "Traces"); in production it comes from
/// the token generator injected into LeaseCache. Tokens are ASCII without spaces.
public struct Token: Hashable, Sendable, CustomStringConvertible {
    /// The token's text, as stored in Redis.
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The symbolic token of a worker's call: `w<worker>.<call>`, both numbered from 1.
    ///
    /// Built digit by digit rather than by interpolation: the simulator makes one per call on its hot path. The
    /// capacity asked for is the exact length, so a token of up to 15 bytes is a small string, stored inline
    /// without allocating (any larger capacity allocates, however short the text); the digits are written from
    /// the right, dividing only by the constant 10, which compiles to a multiplication.
    public init(worker: Int, call: Int) {
        precondition(worker >= 0 && call >= 0, "Token(worker: \(worker), call: \(call))")
        func digitCount(_ number: Int) -> Int {
            var count = 1
            var rest = number
            while rest >= 10 {
                rest /= 10
                count += 1
            }
            return count
        }
        let workerDigits = digitCount(worker)
        let length = 2 + workerDigits + digitCount(call)
        self.text = String(unsafeUninitializedCapacity: length) { buffer in
            func write(_ number: Int, endingBefore end: Int) {
                var rest = number
                var position = end
                repeat {
                    position -= 1
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
            }
            buffer[0] = UInt8(ascii: "w")
            write(worker, endingBefore: 1 + workerDigits)
            buffer[1 + workerDigits] = UInt8(ascii: ".")
            write(call, endingBefore: length)
            return length
        }
    }

    public var description: String { text }

    /// The token's bytes, as Redis stores and returns them.
    public var bytes: [UInt8] { Array(text.utf8) }
}
