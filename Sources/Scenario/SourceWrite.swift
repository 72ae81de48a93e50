/// One change of the source (`writes:`): a new version of a key, optionally followed by an invalidation.
public struct SourceWrite: Hashable, Sendable {
    /// When the source changes, in virtual microseconds (`at:`).
    public var atMicroseconds: Int64
    /// The key whose source changes (`key:`).
    public var key: String
    /// The version the write creates: the key's `source:` plus one per earlier write to the key, in the order
    /// of `at` (ties keep file order). Derived by the loader so every side numbers versions alike.
    public var version: Int
    /// Whether the writer then deletes the cached key (`invalidate: true`): an `exec DEL` by the writer.
    public var invalidate: Bool
    /// The trace actor that writes (`writer:`, default `writer`). Never `w<number>` (a worker's name) nor
    /// `server` (the trace actor of expiries and restarts), so trace actors stay unambiguous.
    public var writer: String

    public init(atMicroseconds: Int64, key: String, version: Int, invalidate: Bool, writer: String) {
        self.atMicroseconds = atMicroseconds
        self.key = key
        self.version = version
        self.invalidate = invalidate
        self.writer = writer
    }
}
