import ArgumentParser
import RedisRun
import Scenario
import Trace

/// `leaselab redis`: one scenario run in real time against a real Redis, checked against the model.
struct RedisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "Run a scenario for real against Redis and check its trace on the model.",
        discussion: """
            The production LeaseCache runs the scenario in real time, one connection per worker, against a real \
            redis-server (a private one on a free loopback port unless --redis is given), with an origin that \
            takes the scenario's latencies, pauses at its points and lost replies made by a proxy the harness owns. \
            MONITOR records the server's order of the run's commands; its replay gives each reply and expiry, \
            which are checked against what the workers got; the run's trace, in scenario time, is then validated \
            on the model. Every key is under leaselab:<run-id>: and deleted at the end; nothing is flushed. \
            Without --format the report is printed; with it, the trace (the report then goes to standard error).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl, mermaid
    }

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: [.customLong("preset"), .customLong("protocol")], help: "The protocol to run: a name the scenario lists. Default: its first.")
    var protocolName: String?

    @OptionGroup var target: RedisTargetOptions

    @Option(help: "Real time per scenario time, from \(TimeScale.minimumFactor) to \(TimeScale.maximumFactor): 0.1 runs a 6 s scenario in 0.6 s.")
    var timeScale: Double = 1

    @Option(help: "Print the trace in this format (text, jsonl or mermaid) after the report.")
    var format: Format?

    func validate() throws {
        do {
            _ = try TimeScale(timeScale)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let scale = try TimeScale(timeScale)
        guard let loaded = try ScenarioFiles.load(try ScenarioFiles.resolve([scenario])).first else {
            throw usageProblem("\(scenario): no scenario in it")
        }
        let named: NamedVariant
        if let protocolName {
            guard let found = loaded.namedVariant(protocolName) else {
                let names = loaded.protocols.map(\.name).joined(separator: ", ")
                throw usageProblem("\(scenario) has no protocol '\(protocolName)'; it lists \(names)")
            }
            named = found
        } else {
            guard let first = loaded.protocols.first else { throw usageProblem("\(scenario) lists no protocols") }
            named = first
        }
        let report: RealRunReport
        do {
            report = try await target.withServer { host, port, password in
                try await RealRun.run(
                    RealRunConfiguration(
                        scenario: loaded, named: named, host: host, port: port, password: password, scale: scale,
                        privateServer: target.endpoint == nil))
            }
        } catch let error as RedisRunError {
            printError("error: " + error.description)
            throw error.isNotReproducible ? ExitCode.notReproducibleForReal : ExitCode.runNotStarted
        } catch {
            printError("error: leaselab redis: \(error)")
            throw ExitCode.runNotStarted
        }
        if let format {
            printError(report.text.trimmingSuffixNewline)
            let title = "\(loaded.name) · \(named.name) · real Redis, time-scale \(scale)"
            switch format {
            case .text:
                print("# scenario \(loaded.name) protocol \(named.name) real-redis time-scale \(scale)")
                print(TraceText.format(report.events), terminator: "")
            case .jsonl:
                print(TraceJSONLines.format(report.events), terminator: "")
            case .mermaid:
                print(TraceMermaid.format(report.events, title: title), terminator: "")
            }
        } else {
            print(report.text, terminator: "")
            print("trace:")
            print(TraceText.format(report.events), terminator: "")
        }
        if report.failedOnTiming { throw ExitCode.failedOnTiming }
        if !report.passed { throw ExitCode.checkFailed }
    }
}

extension ExitCode {
    /// `leaselab redis` could not start its run: the server unreachable, MONITOR refused, seeding failed.
    static let runNotStarted = ExitCode(2)
    /// The scenario cannot run against a real Redis (`real-redis: skip`, or a restart that would happen).
    static let notReproducibleForReal = ExitCode(3)
    /// The run failed only where the machine's timing departed from the scenario beyond the tolerance.
    static let failedOnTiming = ExitCode(4)
}

extension String {
    fileprivate var trimmingSuffixNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
