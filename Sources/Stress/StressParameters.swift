import Scenario
import Trace

/// What a stress run does: #4821's race test at scale, for one preset.
public struct StressParameters: Sendable {
    /// The preset whose knobs the calls run.
    public var preset: Preset
    /// `evictAndReload` calls.
    public var calls: Int
    /// How many calls are in flight at once: `inFlight` callers start together, each making its connection's calls
    /// one after another. Default 10,000, #4821's race test; at most ``callsInFlightMaximum``.
    public var inFlight: Int
    /// Redis connections the calls are spread over; call `i` runs on connection `i % connections`.
    public var connections: Int
    /// Keys the calls are spread over, round robin: `race:0`, `race:1`, ...
    public var keys: Int
    /// Writers changing the source (and invalidating) while the calls run.
    public var writers: Int
    /// Whether each write also invalidates the cached value (`DEL`, then a refill under the lease). Without it a
    /// write only changes the source, keys stay cached, and calls reload and contend instead of missing.
    public var invalidate: Bool
    /// The pause between one writer's writes.
    public var writeIntervalMicroseconds: Int64
    /// How long each origin load takes.
    public var originLatencyMicroseconds: Int64
    /// Whether calls sharing a connection pipeline their commands (``LeaseCacheConfiguration/pipelining``); off,
    /// each connection carries one command at a time, as `redis-benchmark` without `-P` does.
    public var pipelining: Bool
    /// LeaseCache's event loop threads (``LeaseCacheConfiguration/threads``), 1 to `connections`.
    public var threads: Int
    /// Whether a MONITOR client records the server's history, so the properties can be checked on it.
    public var monitor: Bool
    /// Every key of the run starts with this.
    public var keyPrefix: String
    /// `bounds.lease-hold`; nil: derived from the knobs as the model derives it.
    public var leaseHoldBoundMicroseconds: Int64?
    /// `bounds.call-latency`; nil: derived from the knobs as the model derives it.
    public var callLatencyBoundMicroseconds: Int64?

    public init(
        preset: Preset = .pr4821, calls: Int = 10_000, inFlight: Int = 10_000, connections: Int = 16, keys: Int = 8, writers: Int = 2,
        invalidate: Bool = true, writeIntervalMicroseconds: Int64 = 5_000, originLatencyMicroseconds: Int64 = 1_000,
        pipelining: Bool = true, threads: Int = 1, monitor: Bool = true,
        keyPrefix: String, leaseHoldBoundMicroseconds: Int64? = nil, callLatencyBoundMicroseconds: Int64? = nil
    ) {
        self.preset = preset
        self.calls = calls
        self.inFlight = inFlight
        self.connections = connections
        self.keys = keys
        self.writers = writers
        self.invalidate = invalidate
        self.writeIntervalMicroseconds = writeIntervalMicroseconds
        self.originLatencyMicroseconds = originLatencyMicroseconds
        self.pipelining = pipelining
        self.threads = threads
        self.monitor = monitor
        self.keyPrefix = keyPrefix
        self.leaseHoldBoundMicroseconds = leaseHoldBoundMicroseconds
        self.callLatencyBoundMicroseconds = callLatencyBoundMicroseconds
    }

    // MARK: - Limits (STYLE 10)

    public static let callsMaximum = 10_000_000
    public static let connectionsMaximum = 512
    public static let keysMaximum = 100_000
    public static let writersMaximum = 64
    public static let originLatencyMaximumMicroseconds: Int64 = 60_000_000
    /// The most calls in flight at once: each is a task with its own frame, and a huge run must keep its memory.
    public static let callsInFlightMaximum = 1_000_000
    /// MONITOR lines kept per call (a contended call sends 2 commands, a fresh one 4, a writer's write up to 4);
    /// beyond the capacity the monitor records an overflow and the history check says it is incomplete.
    public static let monitorLinesPerCall = 8
    public static let monitorLinesMinimum = 100_000

    /// The parameters that make no sense, each as one line naming the flag; empty when the run can go.
    public var problems: [String] {
        var found: [String] = []
        if !(1...Self.callsMaximum).contains(calls) { found.append("--calls must be 1 to \(Self.callsMaximum)") }
        if !(1...Self.callsInFlightMaximum).contains(inFlight) {
            found.append("--in-flight must be 1 to \(Self.callsInFlightMaximum)")
        }
        if !(1...Self.connectionsMaximum).contains(connections) {
            found.append("--connections must be 1 to \(Self.connectionsMaximum)")
        }
        if !(1...max(1, connections)).contains(threads) {
            found.append("--threads must be 1 to the number of connections (\(connections))")
        }
        if !(1...Self.keysMaximum).contains(keys) { found.append("--keys must be 1 to \(Self.keysMaximum)") }
        if !(0...Self.writersMaximum).contains(writers) { found.append("--writers must be 0 to \(Self.writersMaximum)") }
        if !(0...Self.originLatencyMaximumMicroseconds).contains(originLatencyMicroseconds) {
            found.append("--origin-latency must be 0ms to \(Self.originLatencyMaximumMicroseconds / 1_000_000)s")
        }
        if !(0...1_000_000).contains(writeIntervalMicroseconds) {
            found.append("--write-interval must be 0ms to 1s")
        }
        if keyPrefix.isEmpty { found.append("the key prefix must not be empty: a run keeps to keys of its own") }
        return found
    }

    /// The protocol's knobs.
    public var variant: ProtocolVariant { preset.variant }

    /// The run's keys, unprefixed.
    public var keyNames: [String] { (0..<keys).map { "race:\($0)" } }

    /// The MONITOR reader's line capacity.
    public var monitorCapacity: Int { max(Self.monitorLinesMinimum, calls * Self.monitorLinesPerCall) }

    /// The bounds the history is judged by: given ones, else the model's defaults for these knobs and this
    /// origin latency (`Scenario.defaultLeaseHoldBoundMicroseconds`: load + 2 command timeouts; call latency:
    /// load + 7 command timeouts), with no pauses.
    public var bounds: HistoryChecker.Bounds {
        HistoryChecker.Bounds(
            leaseHoldMicroseconds: leaseHoldBoundMicroseconds
                ?? Scenario.defaultLeaseHoldBoundMicroseconds(
                    for: variant, largestOriginLatencyMicroseconds: originLatencyMicroseconds),
            callLatencyMicroseconds: callLatencyBoundMicroseconds
                ?? Scenario.defaultCallLatencyBoundMicroseconds(
                    for: variant, largestOriginLatencyMicroseconds: originLatencyMicroseconds,
                    totalPauseMicroseconds: 0))
    }
}
