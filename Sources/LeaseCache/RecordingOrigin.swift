import Synchronization
import Trace

/// An origin for demos, tests and benchmarks: each key has a source version that writers bump, a load returns
/// `v<version>` after a latency, and it records how many loads of each key were in flight at once.
///
/// The concurrency record is what #4821's race test asks of the lease: under `pr-4821`, with loads shorter than the
/// lease TTL, at most one load per key is ever in flight; without a lease, a stampede shows as more.
///
/// Given a clock, it also keeps every load's interval (``Load``), tagged with the token of the call it ran for
/// (``LeaseCache/loadingToken``): `leaselab stress` judges `single-loader` from these intervals and shows them beside
/// the server's history.
public final class RecordingOrigin: Sendable {
    /// One origin load: which key, the version it read, who asked, and when it ran.
    public struct Load: Sendable, Hashable {
        /// The key loaded (unprefixed).
        public var key: String
        /// The source version current when the load started: what it returns.
        public var version: Int
        /// The token of the call that asked (``LeaseCache/loadingToken``), nil for a load from outside a call.
        public var caller: Token?
        /// When the load started, on the clock given at init.
        public var startMicroseconds: Int64
        /// When the load answered or was cancelled; nil while it is still running.
        public var endMicroseconds: Int64?

        public init(key: String, version: Int, caller: Token?, startMicroseconds: Int64, endMicroseconds: Int64?) {
            self.key = key
            self.version = version
            self.caller = caller
            self.startMicroseconds = startMicroseconds
            self.endMicroseconds = endMicroseconds
        }
    }

    private struct KeyState {
        var version: Int
        var inFlight = 0
        var maximumInFlight = 0
        var loads = 0
    }

    private struct State {
        var keys: [String: KeyState]
        var loads: [Load] = []
    }

    private let state: Mutex<State>
    private let latencyMicroseconds: Int64
    private let clock: (@Sendable () -> Int64)?

    /// An origin whose keys start at the given versions, answering after `latencyMicroseconds` (0: at once).
    /// With `clock` (microseconds), every load's interval is kept (``loads``); without it only counts are.
    public init(versions: [String: Int], latencyMicroseconds: Int64, clock: (@Sendable () -> Int64)? = nil) {
        state = Mutex(State(keys: versions.mapValues { KeyState(version: $0) }))
        self.latencyMicroseconds = latencyMicroseconds
        self.clock = clock
    }

    /// The source changes: the key's version goes up by one. Returns the new version.
    @discardableResult
    public func write(_ key: String) -> Int {
        state.withLock { state in
            state.keys[key, default: KeyState(version: 0)].version += 1
            return state.keys[key]!.version
        }
    }

    /// Loads a key: the version current when the load starts, after the latency. Honours cancellation.
    public func load(_ key: String) async throws -> CacheValue {
        let caller = LeaseCache.loadingToken
        let (version, record) = state.withLock { state in
            var entry = state.keys[key, default: KeyState(version: 0)]
            entry.inFlight += 1
            entry.loads += 1
            entry.maximumInFlight = max(entry.maximumInFlight, entry.inFlight)
            state.keys[key] = entry
            guard let clock else { return (entry.version, nil as Int?) }
            // Read under the lock, so the kept intervals are ordered exactly as the in-flight counts saw them.
            state.loads.append(
                Load(key: key, version: entry.version, caller: caller, startMicroseconds: clock(), endMicroseconds: nil))
            return (entry.version, state.loads.count - 1)
        }
        defer {
            state.withLock { state in
                state.keys[key]!.inFlight -= 1
                if let record, let clock { state.loads[record].endMicroseconds = clock() }
            }
        }
        if latencyMicroseconds > 0 {
            try await TimerSleep.sleep(microseconds: latencyMicroseconds)
        }
        return CacheValue(version: version)
    }

    /// The origin as LeaseCache takes it.
    public var function: LeaseCache.Origin {
        { [self] key in try await self.load(key) }
    }

    /// The most loads of one key that were in flight at once, per key, sorted by key.
    public var maximumConcurrentLoads: [(key: String, loads: Int)] {
        state.withLock { state in
            state.keys.map { (key: $0.key, loads: $0.value.maximumInFlight) }.sorted { $0.key < $1.key }
        }
    }

    /// How many loads each key had, sorted by key.
    public var loadCounts: [(key: String, loads: Int)] {
        state.withLock { state in
            state.keys.map { (key: $0.key, loads: $0.value.loads) }.sorted { $0.key < $1.key }
        }
    }

    /// Every load so far, in the order they started; empty without a clock.
    public var loads: [Load] {
        state.withLock { $0.loads }
    }

    /// The current source version of a key.
    public func version(of key: String) -> Int {
        state.withLock { $0.keys[key]?.version ?? 0 }
    }
}
