/// One key of a scenario's keyspace (`keys:`), with the versions it starts with.
///
/// Versions are symbolic (`v<version>`, DESIGN.md "Traces"): each write to the source adds one.
public struct ScenarioKey: Hashable, Sendable {
    /// The cache key, unprefixed (`user:1`); its lease key is `lease:<key>`.
    public var key: String
    /// The version the cache holds at time 0, or `nil` for a cold cache (`cached:` absent or null).
    public var cachedVersion: Int?
    /// The version the source holds at time 0 (`source:`).
    public var sourceVersion: Int

    public init(key: String, cachedVersion: Int?, sourceVersion: Int) {
        self.key = key
        self.cachedVersion = cachedVersion
        self.sourceVersion = sourceVersion
    }
}
