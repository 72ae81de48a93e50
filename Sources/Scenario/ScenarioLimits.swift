/// The bounds a scenario file must keep to (STYLE.md 10: limits on everything).
///
/// A scenario feeds an exhaustive model search and a simulator; a file that asks for a thousand workers or nests
/// a hundred levels deep is a mistake, not a workload, so the loader refuses it with a clear line instead of
/// running out of memory or time. The limits are a value (not only constants) so tests can shrink them and prove
/// that each one is enforced; ``standard`` is what every other caller uses.
public struct ScenarioLimits: Hashable, Sendable {
    /// The largest file read, in bytes. Reading stops one byte past it, so a huge file is never read whole.
    public var maximumFileBytes: Int
    /// The deepest nesting of sequences and mappings, checked while libyaml's events arrive so that neither the
    /// reader nor the decoder ever recurses deeply.
    public var maximumDepth: Int
    /// The most YAML nodes (scalars, sequences, mappings) one file may hold.
    public var maximumNodes: Int
    /// The most problems reported for one file; past it the report says that more follow.
    public var maximumProblems: Int
    /// The most workers (`workers:`).
    public var maximumWorkers: Int
    /// The most keys in the keyspace (`keys:`).
    public var maximumKeys: Int
    /// The most calls (`calls:`).
    public var maximumCalls: Int
    /// The most source writes (`writes:`).
    public var maximumWrites: Int
    /// The most faults (`faults:`).
    public var maximumFaults: Int
    /// The most origin overrides (`origin.overrides:`).
    public var maximumOriginOverrides: Int
    /// The most protocol variants (`protocols:`).
    public var maximumProtocols: Int
    /// The most values in each `explore:` list: every value multiplies the model's search.
    public var maximumExploreValues: Int
    /// The most random simulator runs (`seeds:`).
    public var maximumSeeds: Int
    /// The latest instant and the longest duration, in microseconds: one day of virtual time.
    public var maximumTimeMicroseconds: Int64
    /// The largest source or cached version (`keys:`).
    public var maximumVersion: Int
    /// The longest name (scenario, protocol, key, writer), in characters.
    public var maximumNameLength: Int

    public init(
        maximumFileBytes: Int, maximumDepth: Int, maximumNodes: Int, maximumProblems: Int,
        maximumWorkers: Int, maximumKeys: Int, maximumCalls: Int, maximumWrites: Int, maximumFaults: Int,
        maximumOriginOverrides: Int, maximumProtocols: Int, maximumExploreValues: Int, maximumSeeds: Int,
        maximumTimeMicroseconds: Int64, maximumVersion: Int, maximumNameLength: Int
    ) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
        self.maximumProblems = maximumProblems
        self.maximumWorkers = maximumWorkers
        self.maximumKeys = maximumKeys
        self.maximumCalls = maximumCalls
        self.maximumWrites = maximumWrites
        self.maximumFaults = maximumFaults
        self.maximumOriginOverrides = maximumOriginOverrides
        self.maximumProtocols = maximumProtocols
        self.maximumExploreValues = maximumExploreValues
        self.maximumSeeds = maximumSeeds
        self.maximumTimeMicroseconds = maximumTimeMicroseconds
        self.maximumVersion = maximumVersion
        self.maximumNameLength = maximumNameLength
    }

    /// The limits every caller uses: 1 MiB, 64 levels, 1,000 workers, 1,000,000 calls, one day of virtual time.
    ///
    /// Some of these cannot be reached within 1 MiB (a million calls need more bytes than that); they are stated
    /// anyway so that the decoder's guarantees do not depend on the file-size limit.
    public static let standard = ScenarioLimits(
        maximumFileBytes: 1 << 20,
        maximumDepth: 64,
        maximumNodes: 1_000_000,
        maximumProblems: 100,
        maximumWorkers: 1_000,
        maximumKeys: 1_000,
        maximumCalls: 1_000_000,
        maximumWrites: 1_000_000,
        maximumFaults: 10_000,
        maximumOriginOverrides: 10_000,
        maximumProtocols: 64,
        maximumExploreValues: 32,
        maximumSeeds: 1_000_000,
        maximumTimeMicroseconds: 86_400_000_000,
        maximumVersion: 1_000_000_000,
        maximumNameLength: 128
    )
}
