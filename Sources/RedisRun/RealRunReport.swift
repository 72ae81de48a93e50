import Conformance
import LeaseModel
import RealRedis
import RedisClient
import Scenario
import Trace

/// What a run against a real Redis showed: the calls' outcomes, the server's order checked against what the
/// workers got, the trace, and the model's verdict on it.
public struct RealRunReport: Sendable {
    /// One call's outcome as its worker saw it.
    public struct CallLine: Hashable, Sendable {
        public var worker: Int
        public var call: Int
        public var outcome: Outcome
        /// The error line of an error outcome (where, what, what to do).
        public var failure: String?
    }

    public var scenarioName: String
    public var protocolName: String
    public var endpoint: String
    public var privateServer: Bool
    public var keyPrefix: String
    public var scale: TimeScale
    /// The faults the run made, in the scenario's words.
    public var faultsApplied: [String]
    public var calls: [CallLine]
    /// MONITOR lines kept (the run's prefix) and dropped (any other key, unread).
    public var monitorLinesKept: Int
    public var monitorLinesDropped: Int
    /// The distinct keys of the kept MONITOR lines, sorted: all under ``keyPrefix`` (RedisMonitor keeps nothing
    /// else); for the safety tests.
    public var monitorKeptKeys: [String]
    /// Why the trace could not be checked (the MONITOR stream broke, the history did not decode), if so.
    public var unchecked: String?
    /// The trace, in scenario time.
    public var events: [TraceEvent]
    public var repliesCompared: Int
    public var replyMismatches: [String]
    public var attributionProblems: [String]
    public var timingProblems: [String]
    /// How many measured delays were clamped into the scenario's ranges (or to its fixed values).
    public var delaysClamped: Int
    /// The first event the model did not allow, if any.
    public var divergence: TraceDivergence?
    /// The properties along the trace, when the model accepted it.
    public var properties: TraceProperties?
    /// What the scenario expects of this protocol.
    public var expectation: Expectation?
    /// Why the run's keys could not be deleted at the end, if they could not (the server went away).
    public var cleanupProblem: String?

    /// Whether the model accepted the trace.
    public var modelAccepted: Bool { unchecked == nil && divergence == nil && properties != nil }

    /// Whether everything agreed: a whole record, every reply matched, every command attributed, and the model
    /// accepted the trace. Delays outside the tolerance are reported but do not fail a run the model accepts:
    /// its order was still one the scenario allows (``RealTiming``).
    public var passed: Bool {
        modelAccepted && replyMismatches.isEmpty && attributionProblems.isEmpty
    }

    /// Whether the run failed only where the machine's timing departed from the scenario beyond the tolerance:
    /// the model rejected a trace whose delays were not all within it, while the replies and attribution agreed.
    /// Such a run says nothing about the protocol; repeat it (at a larger `--time-scale`, on a quieter machine).
    public var failedOnTiming: Bool {
        unchecked == nil && !passed && !timingProblems.isEmpty && replyMismatches.isEmpty && attributionProblems.isEmpty
    }

    /// Builds the report from what the run recorded.
    static func build(
        configuration: RealRunConfiguration, faults: [FaultKind], observation: RealObservationRecord
    ) -> RealRunReport {
        let scenario = configuration.scenario
        let named = configuration.named
        var report = RealRunReport(
            scenarioName: scenario.name, protocolName: named.name, endpoint: configuration.endpoint,
            privateServer: configuration.privateServer, keyPrefix: configuration.keyPrefix,
            scale: configuration.scale, faultsApplied: faults.map(Self.describe), calls: [],
            monitorLinesKept: observation.monitor.lines.count, monitorLinesDropped: observation.monitor.dropped,
            monitorKeptKeys: Set(observation.monitor.lines.flatMap(\.keys)).map { String(decoding: $0, as: UTF8.self) }.sorted(),
            unchecked: nil, events: [], repliesCompared: 0, replyMismatches: [], attributionProblems: [],
            timingProblems: [], delaysClamped: 0, divergence: nil, properties: nil,
            expectation: scenario.expectation(for: named.name), cleanupProblem: nil)
        for (index, steps) in observation.workerSteps.enumerated() {
            var call = 0
            for stamped in steps {
                switch stamped.step {
                case .call(let number, _): call = number
                case .returned(let outcome, let failure):
                    report.calls.append(CallLine(worker: index + 1, call: call, outcome: outcome, failure: failure))
                case .sent, .received, .failed, .loadStart, .loadEnd, .loadFail, .originTimeout, .pause, .resume:
                    break
                }
            }
        }
        switch observation.monitor.ending {
        case .complete:
            if observation.monitor.overflowed {
                report.unchecked = "MONITOR kept only its first \(observation.monitor.lines.count) lines (the run's bound)"
            } else if observation.monitor.unreadable > 0 {
                report.unchecked = "MONITOR sent \(observation.monitor.unreadable) lines that could not be read: \(observation.monitor.firstUnreadable.map { "\($0)" } ?? "")"
            }
        case .failed(let error):
            report.unchecked = "the MONITOR stream broke, so the server's order after that is missing: \(error.description)"
        }
        guard report.unchecked == nil else { return report }
        let history: ServerHistory
        do {
            history = try ServerHistory(lines: observation.monitor.lines, keyPrefix: configuration.keyPrefix)
        } catch {
            report.unchecked = error.description
            return report
        }
        let replay = ServerOrderReplay.replay(history, untilMicroseconds: observation.endUnixMicroseconds)
        var builder = RealTraceBuilder(
            scenario: scenario, variant: named.variant,
            commands: ScaledCommands(scenario: named.variant, sent: configuration.scale.variant(named.variant)),
            scale: configuration.scale, observation: observation, serverEvents: replay.events)
        builder.build()
        report.events = builder.events
        report.repliesCompared = builder.repliesCompared
        report.replyMismatches = builder.replyMismatches
        report.attributionProblems = builder.attributionProblems
        report.timingProblems = builder.clamp.problems
        report.delaysClamped = builder.clamp.clampedCount

        let model = LeaseModel(scenario: scenario, variant: named.variant, domain: .validation(delays: builder.delays))
        report.divergence = TraceValidation.validate(builder.events, on: model, complete: true, seed: 0)
        if report.divergence == nil {
            report.properties = model.properties(along: builder.events)
        }
        return report
    }

    static func describe(_ fault: FaultKind) -> String {
        switch fault {
        case .pause(let worker, let call, let duration, let point):
            return "w\(worker) call \(call) pauses \(DurationText.format(duration.minMicroseconds)) at \(point.rawValue)"
        case .loseReply(let worker, let call, let command):
            return "w\(worker) call \(call) loses the reply to its \(command.rawValue) (the harness's proxy holds it back)"
        case .dropConnection(let worker, let call, let command):
            return "w\(worker) call \(call)'s connection breaks after its \(command.rawValue) (the harness's proxy closes it)"
        case .restartRedis(let at):
            return "Redis restarts at \(DurationText.format(at))"
        }
    }

    // MARK: - Text

    /// The report, for a terminal: the parameters first (STYLE 6), then what held.
    public var text: String {
        var lines: [String] = []
        let server = privateServer ? "a private redis-server at \(endpoint)" : endpoint
        lines.append("# leaselab redis: scenario \(scenarioName) protocol \(protocolName) time-scale \(scale) on \(server)")
        lines.append("# keys under \(keyPrefix) (deleted at the end); timing tolerance \(RealTiming.realMicroseconds / 1_000) ms of real time")
        lines.append("# a ranged origin latency takes its minimum; a maybe fault follows the simulator's seed 0")
        lines.append(faultsApplied.isEmpty ? "faults: none" : "faults: " + faultsApplied.joined(separator: "; "))
        lines.append("calls:")
        for call in calls {
            lines.append("  w\(call.worker).\(call.call): \(call.outcome)" + (call.failure.map { " (\($0))" } ?? ""))
        }
        if let cleanupProblem { lines.append("cleanup: " + cleanupProblem) }
        lines.append("MONITOR: \(monitorLinesKept) lines kept under the run's prefix, \(monitorLinesDropped) about other keys dropped unread")
        if let unchecked {
            lines.append("not checked: \(unchecked)")
            lines.append("verdict: FAILED (the run did not complete; see the calls above)")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append(
            replyMismatches.isEmpty
                ? "replies: all \(repliesCompared) replies the workers got match the replay of the server's order"
                : "replies: \(replyMismatches.count) of \(repliesCompared) differ from the replay of the server's order:")
        lines += replyMismatches.map { "  " + $0 }
        if !attributionProblems.isEmpty {
            lines.append("attribution: \(attributionProblems.count) problems:")
            lines += attributionProblems.map { "  " + $0 }
        }
        lines.append(
            timingProblems.isEmpty
                ? "timing: every measured delay within tolerance (\(delaysClamped) clamped into the scenario's values)"
                : "timing: \(timingProblems.count) delays further than the tolerance from the scenario's (clamped all the same; the model judges the order they give):")
        lines += timingProblems.map { "  " + $0 }
        if let divergence {
            lines.append("model: REJECTED the trace")
            lines += divergence.report.split(separator: "\n").map { "  " + $0 }
        } else if let properties {
            lines.append("model: accepted the trace (\(events.count) events)")
            lines.append("properties held: " + (properties.held.map(\.rawValue).joined(separator: ", ")))
            lines.append("properties violated: " + (properties.violated.isEmpty ? "none" : properties.violated.map(\.rawValue).joined(separator: ", ")))
            if !properties.reached.isEmpty {
                lines.append("reached: " + properties.reached.map(\.rawValue).joined(separator: ", "))
            }
            if let expectation {
                let missed = expectation.fail.filter { !properties.violated.contains($0) }.map(\.rawValue)
                    + expectation.hold.filter { properties.violated.contains($0) }.map(\.rawValue)
                    + expectation.reach.filter { !properties.reached.contains($0) }.map(\.rawValue)
                lines.append(
                    missed.isEmpty
                        ? "expect: this run shows what the scenario expects of \(protocolName)"
                        : "expect: this run differs from the scenario's expect: on " + missed.joined(separator: ", ")
                            + " (expect: speaks of every path; one real run follows one)")
            }
        }
        if failedOnTiming {
            lines.append(
                "verdict: FAILED on timing: the machine's timing departed from the scenario beyond the tolerance, so this run says nothing about the protocol; run it again, at a larger --time-scale or on a quieter machine")
        } else {
            lines.append("verdict: " + (passed ? "PASSED" : "FAILED"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
