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

    func run() async throws {
        let scale: TimeScale
        do {
            scale = try TimeScale(timeScale)
        } catch {
            throw ValidationError(error.description)
        }
        let loaded: Scenario
        do {
            loaded = try ScenarioLoader.load(path: scenario)
        } catch {
            printError(error.description)
            throw ExitCode.scenarioInvalid
        }
        let named: NamedVariant
        if let protocolName {
            guard let found = loaded.namedVariant(protocolName) else {
                let names = loaded.protocols.map(\.name).joined(separator: ", ")
                throw ValidationError("\(scenario) has no protocol '\(protocolName)'; it lists \(names)")
            }
            named = found
        } else {
            guard let first = loaded.protocols.first else { throw ValidationError("\(scenario) lists no protocols") }
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
            printError(error.description)
            throw error.isNotReproducible ? ExitCode(3) : ExitCode(2)
        } catch {
            printError("leaselab redis: \(error)")
            throw ExitCode(2)
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
        if report.failedOnTiming { throw ExitCode(4) }
        if !report.passed { throw ExitCode.checkFailed }
    }
}

extension String {
    fileprivate var trimmingSuffixNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
