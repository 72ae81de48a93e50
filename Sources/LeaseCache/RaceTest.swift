import CoreMetrics
import Logging
import RedisClient
import Trace

/// The race test of code review #4821, against a real Redis: many concurrent `evictAndReload` calls on a handful
/// of keys while writers keep changing the source.
///
/// It is a library piece, not test code, because the tests, `leaselab demo` and the benchmarks all run it. It
/// touches only keys under its `keyPrefix`: it seeds them, and deletes them afterwards (never FLUSHDB).
public struct RaceTest: Sendable {
    /// What to run.
    public struct Parameters: Sendable {
        /// The protocol variant.
        public var variant: ProtocolVariant
        /// How many calls, all started at once.
        public var calls: Int
        /// How many keys the calls are spread over, round robin.
        public var keys: Int
        /// How many Redis connections LeaseCache pools.
        public var connections: Int
        /// How long each origin load takes.
        public var originLatencyMicroseconds: Int64
        /// How many source writes happen while the calls run, spread over the keys.
        public var writes: Int
        /// Every key of the run starts with this.
        public var keyPrefix: String

        public init(
            variant: ProtocolVariant, calls: Int = 10_000, keys: Int = 4, connections: Int = 8,
            originLatencyMicroseconds: Int64 = 1_000, writes: Int = 200, keyPrefix: String
        ) {
            self.variant = variant
            self.calls = calls
            self.keys = keys
            self.connections = connections
            self.originLatencyMicroseconds = originLatencyMicroseconds
            self.writes = writes
            self.keyPrefix = keyPrefix
        }
    }

    /// What happened.
    public struct Report: Sendable {
        /// Every call's result, in call order.
        public var results: [EvictionResult]
        /// The most loads of one key in flight at once, per key.
        public var maximumConcurrentLoads: [(key: String, loads: Int)]
        /// How many origin loads each key had.
        public var originLoads: [(key: String, loads: Int)]
        /// Lease keys still present in Redis after every call returned.
        public var leasesLeft: [String]
        /// Wall time of the calls, in microseconds.
        public var elapsedMicroseconds: Int64

        /// How many calls ended with each outcome kind (`fresh`, `stale contended`, ...), sorted by kind.
        public var outcomeCounts: [(kind: String, count: Int)] {
            var counts: [String: Int] = [:]
            for result in results {
                counts[result.outcome.kind, default: 0] += 1
            }
            return counts.map { (kind: $0.key, count: $0.value) }.sorted { $0.kind < $1.kind }
        }
    }

    public let host: String
    public let port: Int
    public let password: String?
    public let parameters: Parameters

    public init(host: String, port: Int, password: String? = nil, parameters: Parameters) {
        self.host = host
        self.port = port
        self.password = password
        self.parameters = parameters
    }

    /// The run's keys, unprefixed: `race:0`, `race:1`, ...
    public var keys: [String] {
        (0..<parameters.keys).map { "race:\($0)" }
    }

    /// Seeds the keys, runs the calls and the writers, checks for leftover leases, and deletes the run's keys.
    /// Throws a `RedisError` when the server cannot be reached for seeding, or a `LeaseCacheError` for bad
    /// parameters.
    public func run(
        logger: Logger = Logger(label: "leaselab.race"), metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) async throws -> Report {
        let admin = try RedisConnection.session(
            host: host, port: port, password: password, commandTimeoutMicroseconds: 5_000_000)
        defer { admin.close() }
        let prefix = parameters.keyPrefix
        for key in keys {
            _ = try admin.send(strings: ["SET", prefix + key, "v1", "EX", "300"]).status(command: "SET")
        }
        defer {
            for key in keys {
                _ = try? admin.send(strings: ["DEL", prefix + key, prefix + Command.leaseKey(of: key)])
            }
        }

        let origin = RecordingOrigin(
            versions: Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) }),
            latencyMicroseconds: parameters.originLatencyMicroseconds)
        let cache = try LeaseCache(
            configuration: LeaseCacheConfiguration(
                host: host, port: port, connections: parameters.connections, variant: parameters.variant,
                keyPrefix: prefix, password: password),
            origin: origin.function, logger: logger, metricsFactory: metricsFactory)

        let clock = ContinuousClock()
        let started = clock.now
        let keys = self.keys
        let calls = parameters.calls
        let writes = parameters.writes
        let results = await withTaskGroup(of: (Int, EvictionResult)?.self) { group in
            group.addTask {
                // The writers: spread the source changes over the calls' run, round robin over the keys.
                for write in 0..<writes {
                    origin.write(keys[write % keys.count])
                    try? await Task.sleep(for: .microseconds(200))
                }
                return nil
            }
            for index in 0..<calls {
                group.addTask {
                    (index, await cache.evictAndReloadResult(keys[index % keys.count]))
                }
            }
            var results = [EvictionResult?](repeating: nil, count: calls)
            for await finished in group {
                if let (index, result) = finished {
                    results[index] = result
                }
            }
            return results.map { $0! }
        }
        let elapsed = clock.now - started

        var leasesLeft: [String] = []
        for key in keys {
            let leaseKey = Command.leaseKey(of: key)
            if try admin.send(strings: ["EXISTS", prefix + leaseKey]).integer(command: "EXISTS") != 0 {
                leasesLeft.append(leaseKey)
            }
        }
        return Report(
            results: results, maximumConcurrentLoads: origin.maximumConcurrentLoads, originLoads: origin.loadCounts,
            leasesLeft: leasesLeft,
            elapsedMicroseconds: elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds
                / 1_000_000_000_000)
    }
}

extension Outcome {
    /// The outcome without its value: `fresh`, `fresh lease-lost`, `stale contended`, `miss`, `error <reason>`.
    public var kind: String {
        switch self {
        case .fresh(_, let leaseLost): return leaseLost ? "fresh lease-lost" : "fresh"
        case .stale(_, let reason): return "stale \(reason.rawValue)"
        case .miss: return "miss"
        case .error(let reason): return "error \(reason.rawValue)"
        }
    }
}
