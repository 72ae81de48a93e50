import Conformance
import Dispatch
import LeaseModel
import Scenario
import Trace

/// The conformance checker's two rates (issue 5): trace events replayed on the model per second, and model paths
/// replayed on the implementation per second, over the bundled scenarios.
///
/// Lives in the command line, not in Conformance: it reads a clock, and the checker's library keeps none.
///
/// The work is gathered first, untimed (seeded simulator traces with the models that validate them; the paths
/// `leaselab check` replays), and then each half is timed alone, so the rates are of the replay and nothing else.
enum ConformanceBenchmark {
    /// One seeded trace and the model that validates it (built with the run's own delays).
    struct RecordedTrace: Sendable {
        var model: LeaseModel
        var events: [TraceEvent]
        var complete: Bool
    }

    /// One model path and the model it came from.
    struct RecordedPath: Sendable {
        var model: LeaseModel
        var path: ModelPath
    }

    /// What is replayed.
    struct Workload: Sendable {
        var traces: [RecordedTrace] = []
        var paths: [RecordedPath] = []

        /// Trace events over all traces.
        var eventCount: Int { traces.reduce(0) { $0 + $1.events.count } }
    }

    /// What one measurement found.
    struct Figures: Sendable {
        var events: Int
        var eventSeconds: Double
        /// Traces the model did not accept: 0 in a healthy tree, else the rate measures a failure's path.
        var tracesRejected: Int
        var paths: Int
        var pathSeconds: Double
        /// Paths the simulator did not reproduce.
        var pathsMismatched: Int

        var eventsPerSecond: Double { eventSeconds > 0 ? Double(events) / eventSeconds : 0 }
        var pathsPerSecond: Double { pathSeconds > 0 ? Double(paths) / pathSeconds : 0 }
    }

    /// Gathers the seeded traces (seeds `0..<seedsPerProtocol`, capped by each scenario's `seeds:`) and the paths
    /// `leaselab check` replays, for every scenario and protocol.
    static func workload(_ scenarios: [Scenario], seedsPerProtocol: Int) -> Workload {
        var workload = Workload()
        for scenario in scenarios {
            for named in scenario.protocols {
                for seed in 0..<UInt64(min(seedsPerProtocol, scenario.seedCount)) {
                    let (result, model) = TraceValidation.seededRun(scenario, named, seed: seed)
                    workload.traces.append(
                        RecordedTrace(model: model, events: result.events, complete: result.limitReached == nil))
                }
                let model = LeaseModel(scenario: scenario, variant: named.variant)
                _ = PathReplay.run(scenario, named) { workload.paths.append(RecordedPath(model: model, path: $0)) }
            }
        }
        return workload
    }

    /// Replays the workload once, timing each half; the traces `traceRepeats` times over (one pass over them
    /// lasts some milliseconds, too short to time steadily on a busy machine). Rejected traces are counted in the
    /// first pass: every pass replays the same traces.
    static func measure(_ workload: Workload, traceRepeats: Int) -> Figures {
        var rejected = 0
        let eventStart = DispatchTime.now().uptimeNanoseconds
        for pass in 0..<traceRepeats {
            for trace in workload.traces {
                switch trace.model.fit(trace.events, complete: trace.complete) {
                case .fits: break
                case .diverges, .endsEarly: if pass == 0 { rejected += 1 }
                }
            }
        }
        let eventEnd = DispatchTime.now().uptimeNanoseconds
        var mismatched = 0
        for recorded in workload.paths where PathReplay.mismatch(of: recorded.path, model: recorded.model) != nil {
            mismatched += 1
        }
        let pathEnd = DispatchTime.now().uptimeNanoseconds
        return Figures(
            events: workload.eventCount * traceRepeats, eventSeconds: Double(eventEnd - eventStart) / 1e9,
            tracesRejected: rejected,
            paths: workload.paths.count, pathSeconds: Double(pathEnd - eventEnd) / 1e9, pathsMismatched: mismatched)
    }
}
