import Synchronization
import Trace

/// An origin for demos, tests and benchmarks: each key has a source version that writers bump, a load returns
/// `v<version>` after a latency, and it records how many loads of each key were in flight at once.
///
/// The concurrency record is what #4821's race test asks of the lease: under `pr-4821`, with loads shorter than the
/// lease TTL, at most one load per key is ever in flight; without a lease, a stampede shows as more.
public final class RecordingOrigin: Sendable {
    private struct KeyState {
        var version: Int
        var inFlight = 0
        var maximumInFlight = 0
        var loads = 0
    }

    private let state: Mutex<[String: KeyState]>
    private let latencyMicroseconds: Int64

    /// An origin whose keys start at the given versions, answering after `latencyMicroseconds` (0: at once).
    public init(versions: [String: Int], latencyMicroseconds: Int64) {
        state = Mutex(versions.mapValues { KeyState(version: $0) })
        self.latencyMicroseconds = latencyMicroseconds
    }

    /// The source changes: the key's version goes up by one. Returns the new version.
    @discardableResult
    public func write(_ key: String) -> Int {
        state.withLock { keys in
            keys[key, default: KeyState(version: 0)].version += 1
            return keys[key]!.version
        }
    }

    /// Loads a key: the version current when the load starts, after the latency. Honours cancellation.
    public func load(_ key: String) async throws -> CacheValue {
        let version = state.withLock { keys in
            var entry = keys[key, default: KeyState(version: 0)]
            entry.inFlight += 1
            entry.loads += 1
            entry.maximumInFlight = max(entry.maximumInFlight, entry.inFlight)
            keys[key] = entry
            return entry.version
        }
        defer {
            state.withLock { keys in keys[key]!.inFlight -= 1 }
        }
        if latencyMicroseconds > 0 {
            try await Task.sleep(for: .microseconds(latencyMicroseconds))
        }
        return CacheValue(version: version)
    }

    /// The origin as LeaseCache takes it.
    public var function: LeaseCache.Origin {
        { [self] key in try await self.load(key) }
    }

    /// The most loads of one key that were in flight at once, per key, sorted by key.
    public var maximumConcurrentLoads: [(key: String, loads: Int)] {
        state.withLock { keys in
            keys.map { (key: $0.key, loads: $0.value.maximumInFlight) }.sorted { $0.key < $1.key }
        }
    }

    /// How many loads each key had, sorted by key.
    public var loadCounts: [(key: String, loads: Int)] {
        state.withLock { keys in
            keys.map { (key: $0.key, loads: $0.value.loads) }.sorted { $0.key < $1.key }
        }
    }

    /// The current source version of a key.
    public func version(of key: String) -> Int {
        state.withLock { $0[key]?.version ?? 0 }
    }
}
