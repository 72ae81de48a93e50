import Foundation
import Scenario
import Stress
import Trace

/// The words of `leaselab stress`: a short heading, a few small tables, then each violation with its events.
enum StressOutput {
    static func heading(_ parameters: StressParameters, endpoint: String) -> String {
        "leaselab stress: \(parameters.preset.rawValue), \(parameters.calls) calls (\(min(parameters.calls, parameters.inFlight)) "
            + "in flight), \(parameters.connections) "
            + "connections\(parameters.pipelining ? "" : " (not pipelining)"), \(parameters.keys) keys, \(parameters.writers) writers"
            + (parameters.invalidate || parameters.writers == 0 ? "" : " (not invalidating)") + ", origin "
            + "\(DurationText.format(parameters.originLatencyMicroseconds)), MONITOR "
            + "\(parameters.monitor ? "on" : "off"), redis \(endpoint), key prefix \(parameters.keyPrefix)"
    }

    // MARK: - Text

    static func text(_ report: StressReport, violationsShown: Int) -> String {
        var lines: [String] = []
        let latency = report.latency
        lines.append(
            TextTable(
                header: [
                    "calls", "calls/s", "round trips/call", "deepest pipeline", "p50", "p90", "p99", "p99.9", "max",
                ],
                rows: [[
                    String(report.calls.count), String(Int(report.callsPerSecond)),
                    String(format: "%.2f", report.roundTripsPerCall), String(report.deepestPipeline),
                    milliseconds(latency.p50Microseconds), milliseconds(latency.p90Microseconds),
                    milliseconds(latency.p99Microseconds), milliseconds(latency.p999Microseconds),
                    milliseconds(latency.maxMicroseconds),
                ]]
            ).rendered)
        lines.append("")
        lines.append(
            TextTable(header: ["outcome", "calls"], rows: report.outcomeCounts.map { [$0.kind, String($0.count)] })
                .rendered)
        lines.append("")
        let maxima = Dictionary(uniqueKeysWithValues: report.maximumConcurrentLoads.map { ($0.key, $0.loads) })
        lines.append(
            TextTable(
                header: ["key", "origin loads", "max loads at once"],
                rows: report.originLoads.map { [$0.key, String($0.loads), String(maxima[$0.key] ?? 0)] }
            ).rendered)
        lines.append("")
        lines.append(
            "writers: \(report.writes) writes\(report.parameters.invalidate ? " (each one invalidation)" : ", none invalidating"), "
                + "\(report.refills) refills under the lease; "
                + "leases left: \(report.leasesLeft.map { $0.isEmpty ? "none" : $0.joined(separator: " ") } ?? "unknown")")
        if let failure = report.firstFailure {
            lines.append("first error: \(failure)")
        }
        switch report.history {
        case .off(let reason):
            lines.append("history check: off: \(reason)")
        case .checked(let check):
            lines.append(
                "history check: \(check.events) server events replayed (the calls' \(check.callCommands) commands "
                    + "among them; LeaseCache sent \(report.commandsSent)), \(check.dropped) MONITOR lines of other "
                    + "keys dropped; longest lease hold "
                    + "\(milliseconds(check.findings.longestLeaseHoldMicroseconds))")
            lines.append("")
            lines.append(
                TextTable(
                    header: ["property", "violations", "judged from"],
                    rows: report.violationCounts.map {
                        [$0.property.rawValue, String($0.count), judgedFrom($0.property, bounds: check.bounds)]
                    }
                ).rendered)
            lines.append(
                check.findings.disagreementCount == 0
                    ? "replay: agrees with every call's outcome (each acquire's replayed reply fits its call)"
                    : "replay: contradicts \(check.findings.disagreementCount) calls' outcomes, so the verdicts above are suspect:")
            for line in check.findings.disagreements { lines.append("  \(line)") }
            lines.append(contentsOf: violationBlocks(check, shown: violationsShown))
        }
        for problem in report.problems {
            lines.append("problem: \(problem)")
        }
        lines.append(
            report.isClean
                ? "clean: no violation, no error, no lease left"
                : "NOT CLEAN: " + report.uncleanReasons.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    private static func violationBlocks(_ check: StressReport.HistoryCheck, shown: Int) -> [String] {
        var lines: [String] = []
        for property in PropertyName.judgedByStress {
            let found = check.findings.violations.filter { $0.property == property }
            guard !found.isEmpty, shown > 0 else { continue }
            let total = check.findings.counts[property] ?? found.count
            lines.append("")
            lines.append("\(property.rawValue): \(total) violation\(total == 1 ? "" : "s")"
                + (total > shown ? ", the first \(min(shown, found.count)) (--violations N shows more)" : ""))
            for violation in found.prefix(shown) {
                lines.append(
                    "  \(relative(violation.serverMicroseconds, to: check.originServerMicroseconds)) \(violation.summary)")
                let width = violation.context.map(\.actor.count).max() ?? 0
                for line in violation.context {
                    lines.append(
                        "    \(line.isCulprit ? ">" : " ") \(relative(line.serverMicroseconds, to: check.originServerMicroseconds))  "
                            + "\(line.actor.padding(toLength: width, withPad: " ", startingAt: 0))  \(line.text)")
                }
            }
        }
        return lines
    }

    private static func judgedFrom(_ property: PropertyName, bounds: HistoryChecker.Bounds) -> String {
        switch property {
        case .singleLoader: return "origin load intervals per key"
        case .noStaleOverwrite: return "MONITOR history: SET versions"
        case .ownerOnlyRelease: return "MONITOR history: releases vs holders"
        case .noOrphanedLease: return "MONITOR history + call returns"
        case .boundedLeaseHold: return "MONITOR history, bound \(milliseconds(bounds.leaseHoldMicroseconds))"
        case .boundedLatency: return "call durations, bound \(milliseconds(bounds.callLatencyMicroseconds))"
        case .freshAfterQuiescence: return "not judged"
        }
    }

    /// `+12.345ms` from the history's first event.
    private static func relative(_ microseconds: Int64, to origin: Int64) -> String {
        let offset = microseconds - origin
        return (offset < 0 ? "-" : "+") + milliseconds(abs(offset))
    }

    static func milliseconds(_ microseconds: Int64) -> String {
        String(format: "%.3fms", Double(microseconds) / 1_000)
    }

    // MARK: - JSON

    static func json(_ report: StressReport) -> String {
        let quoted = JSONText.quoted
        let parameters = report.parameters
        var fields: [String] = [
            "\"preset\":\(quoted(parameters.preset.rawValue))",
            "\"redis\":\(quoted(report.endpoint))",
            "\"keyPrefix\":\(quoted(parameters.keyPrefix))",
            "\"calls\":\(report.calls.count)",
            "\"inFlight\":\(parameters.inFlight)",
            "\"connections\":\(parameters.connections)",
            "\"pipelining\":\(parameters.pipelining)",
            "\"keys\":\(parameters.keys)",
            "\"writers\":\(parameters.writers)",
            "\"originLatencyMicroseconds\":\(parameters.originLatencyMicroseconds)",
            "\"monitor\":\(parameters.monitor)",
            "\"elapsedMicroseconds\":\(report.elapsedMicroseconds)",
            "\"callsPerSecond\":\(String(format: "%.1f", report.callsPerSecond))",
            "\"commandsSent\":\(report.commandsSent)",
            "\"roundTripsPerCall\":\(String(format: "%.3f", report.roundTripsPerCall))",
            "\"deepestPipeline\":\(report.deepestPipeline)",
        ]
        let latency = report.latency
        fields.append(
            "\"latencyMicroseconds\":{\"p50\":\(latency.p50Microseconds),\"p90\":\(latency.p90Microseconds),"
                + "\"p99\":\(latency.p99Microseconds),\"p99.9\":\(latency.p999Microseconds),\"max\":\(latency.maxMicroseconds)}")
        fields.append(
            "\"outcomes\":{" + report.outcomeCounts.map { "\(quoted($0.kind)):\($0.count)" }.joined(separator: ",") + "}")
        let maxima = Dictionary(uniqueKeysWithValues: report.maximumConcurrentLoads.map { ($0.key, $0.loads) })
        fields.append(
            "\"originLoads\":{" + report.originLoads.map {
                "\(quoted($0.key)):{\"loads\":\($0.loads),\"maximumAtOnce\":\(maxima[$0.key] ?? 0)}"
            }.joined(separator: ",") + "}")
        fields.append("\"writes\":\(report.writes)")
        fields.append("\"refills\":\(report.refills)")
        fields.append(
            "\"leasesLeft\":" + (report.leasesLeft.map { "[" + $0.map(quoted).joined(separator: ",") + "]" } ?? "null"))
        fields.append("\"firstFailure\":" + (report.firstFailure.map(quoted) ?? "null"))
        switch report.history {
        case .off(let reason):
            fields.append("\"history\":{\"checked\":false,\"reason\":\(quoted(reason))}")
        case .checked(let check):
            let counts = report.violationCounts.map { "\(quoted($0.property.rawValue)):\($0.count)" }
                .joined(separator: ",")
            let violations = check.findings.violations.map { violation in
                let context = violation.context.map { line in
                    "{\"serverMicroseconds\":\(line.serverMicroseconds),\"actor\":\(quoted(line.actor)),"
                        + "\"text\":\(quoted(line.text)),\"culprit\":\(line.isCulprit)}"
                }.joined(separator: ",")
                return "{\"property\":\(quoted(violation.property.rawValue)),"
                    + "\"serverMicroseconds\":\(violation.serverMicroseconds),\"key\":\(quoted(violation.key)),"
                    + "\"summary\":\(quoted(violation.summary)),\"context\":[\(context)]}"
            }.joined(separator: ",")
            fields.append(
                "\"history\":{\"checked\":true,\"events\":\(check.events),\"dropped\":\(check.dropped),"
                    + "\"callCommands\":\(check.callCommands),"
                    + "\"leaseHoldBoundMicroseconds\":\(check.bounds.leaseHoldMicroseconds),"
                    + "\"callLatencyBoundMicroseconds\":\(check.bounds.callLatencyMicroseconds),"
                    + "\"longestLeaseHoldMicroseconds\":\(check.findings.longestLeaseHoldMicroseconds),"
                    + "\"replayDisagreements\":\(check.findings.disagreementCount),"
                    + "\"violationCounts\":{\(counts)},\"violationsKeptPerProperty\":\(HistoryChecker.keptPerPropertyMaximum),"
                    + "\"violations\":[\(violations)]}")
        }
        fields.append("\"problems\":[" + report.problems.map(quoted).joined(separator: ",") + "]")
        fields.append("\"clean\":\(report.isClean)")
        return "{" + fields.joined(separator: ",") + "}"
    }
}
