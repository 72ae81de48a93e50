import Trace

/// One scenario: the keyspace, the workers and their calls, the source writes, the network and origin, the
/// faults, and the protocols to run it under with what each is expected to show (DESIGN.md "Scenarios").
///
/// Plain data, so the model, the simulator and the real-Redis harness all read the same scenario the same way.
/// Lists keep file order except where a time order is defined (``calls``, ``writes``), so nothing depends on
/// hash order. Build one with ``ScenarioLoader``, or in code with ``init(name:about:sourcePath:protocols:keys:workerCount:calls:writes:network:origin:faults:explore:seedCount:bounds:expectations:)``.
public struct Scenario: Hashable, Sendable {
    /// The scenario's name (`name:`): letters, digits, `-` and `_`, used in golden trace file names.
    public var name: String
    /// What the scenario shows (`about:`); empty when absent.
    public var about: String
    /// The file the scenario came from, as given to the loader (empty for a scenario built in code).
    public var sourcePath: String
    /// The protocols to run (`protocols:`), in file order. Default: every preset, in ``Preset`` order.
    public var protocols: [NamedVariant]
    /// The keyspace (`keys:`), in file order.
    public var keys: [ScenarioKey]
    /// How many workers there are (`workers:`); they are named `w1` to `w<workerCount>`.
    public var workerCount: Int
    /// The calls (`calls:`), sorted by time; calls at the same time keep file order.
    public var calls: [Call]
    /// The source writes (`writes:`), sorted by time; writes at the same time keep file order.
    public var writes: [SourceWrite]
    /// The network (`network:`).
    public var network: NetworkSettings
    /// The origin (`origin:`).
    public var origin: OriginSettings
    /// The faults (`faults:`), in file order.
    public var faults: [Fault]
    /// The values the model's search tries (`explore:`), defaults filled in.
    public var explore: ExploreValues
    /// How many random simulator runs there are (`seeds:`, default 100): seeds 0 to `seedCount - 1`; seed 0 gives
    /// the golden trace.
    public var seedCount: Int
    /// The declared bounds (`bounds:`); see ``leaseHoldBoundMicroseconds(for:)`` for the derived defaults.
    public var bounds: Bounds
    /// The expectations (`expect:`), in file order; at most one per protocol.
    public var expectations: [Expectation]
    /// Why a run against a real Redis cannot reproduce this scenario (`real-redis: {skip: "why"}`), or `nil` when it
    /// can. `leaselab redis` refuses such a scenario with this reason, and its tests report it.
    public var realRedisSkipReason: String?

    public init(
        name: String,
        about: String = "",
        sourcePath: String = "",
        protocols: [NamedVariant],
        keys: [ScenarioKey],
        workerCount: Int,
        calls: [Call],
        writes: [SourceWrite] = [],
        network: NetworkSettings = .standard,
        origin: OriginSettings = .standard,
        faults: [Fault] = [],
        explore: ExploreValues,
        seedCount: Int = Scenario.standardSeedCount,
        bounds: Bounds = .derived,
        expectations: [Expectation] = [],
        realRedisSkipReason: String? = nil
    ) {
        self.name = name
        self.about = about
        self.sourcePath = sourcePath
        self.protocols = protocols
        self.keys = keys
        self.workerCount = workerCount
        self.calls = calls
        self.writes = writes
        self.network = network
        self.origin = origin
        self.faults = faults
        self.explore = explore
        self.seedCount = seedCount
        self.bounds = bounds
        self.expectations = expectations
        self.realRedisSkipReason = realRedisSkipReason
    }

    /// The number of random simulator runs when `seeds:` is absent.
    public static let standardSeedCount = 100

    /// The protocols run when `protocols:` is absent: every preset, in ``Preset`` order.
    public static var standardProtocols: [NamedVariant] {
        Preset.allCases.map { NamedVariant(preset: $0) }
    }

    /// The seeds of the random simulator runs.
    public var seeds: Range<UInt64> {
        0..<UInt64(seedCount)
    }

    /// The protocol of that name, if the scenario runs one.
    public func namedVariant(_ name: String) -> NamedVariant? {
        protocols.first { $0.name == name }
    }

    /// What the scenario expects of the protocol of that name, if anything.
    public func expectation(for protocolName: String) -> Expectation? {
        expectations.first { $0.protocolName == protocolName }
    }

    /// A worker's calls, in call-number order.
    public func calls(ofWorker worker: Int) -> [Call] {
        calls.filter { $0.worker == worker }
    }

    /// The keyspace entry of a key, if the scenario declares it.
    public func key(_ key: String) -> ScenarioKey? {
        keys.first { $0.key == key }
    }

    /// The trace name of a worker: `w<worker>`.
    public static func workerName(_ worker: Int) -> String {
        "w\(worker)"
    }
}
