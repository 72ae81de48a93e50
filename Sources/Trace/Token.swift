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
    public init(worker: Int, call: Int) {
        self.text = "w\(worker).\(call)"
    }

    public var description: String { text }

    /// The token's bytes, as Redis stores and returns them.
    public var bytes: [UInt8] { Array(text.utf8) }
}
