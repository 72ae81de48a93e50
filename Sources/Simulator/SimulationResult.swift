import LeaseCore
import Trace

/// What one simulation run produced.
public struct SimulationResult: Sendable {
    /// The trace, if recording was on; empty otherwise.
    public var events: [TraceEvent]
    /// How many events happened (recorded or not).
    public var eventCount: Int
    /// Every call that returned, in the scenario's call order (by start time).
    public var calls: [CallResult]
    /// The virtual instant the run ended at, in microseconds.
    public var endMicroseconds: Int64
    /// The most events that were queued at once.
    public var peakQueueLength: Int
    /// How many queued events were processed (the discrete events; ``eventCount`` counts trace events).
    public var itemsProcessed: Int
    /// Set when the run stopped at a limit instead of running to its end.
    public var limitReached: String?
}

/// One call's end.
public struct CallResult: Hashable, Sendable {
    /// The worker, from 1.
    public var worker: Int
    /// The worker's call number, from 1.
    public var callNumber: Int
    /// The call's key.
    public var key: String
    /// How it ended.
    public var outcome: Outcome
    /// What its release found, if it released.
    public var releaseResult: ReleaseResult?
}

/// The bounds of a simulation run (STYLE 10): a run that reaches one stops and says so.
public struct SimulationLimits: Hashable, Sendable {
    /// The most events one run may produce.
    public var eventsMaximum: Int
    /// The latest virtual instant a run may reach, in microseconds.
    public var virtualTimeMaximumMicroseconds: Int64

    public init(eventsMaximum: Int, virtualTimeMaximumMicroseconds: Int64) {
        self.eventsMaximum = eventsMaximum
        self.virtualTimeMaximumMicroseconds = virtualTimeMaximumMicroseconds
    }

    /// 100 million events, 30 virtual days.
    public static let standard = SimulationLimits(
        eventsMaximum: 100_000_000, virtualTimeMaximumMicroseconds: 30 * 24 * 3_600 * 1_000_000)
}
