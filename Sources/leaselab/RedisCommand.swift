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

    @OptionGroup var chosen: ScenarioProtocolArguments

    @OptionGroup var target: RedisTargetOptions

    @Option(help: "Real time per scenario time, from \(TimeScale.minimumFactor) to \(TimeScale.maximumFactor): 0.1 runs a 6 s scenario in 0.6 s.")
    var timeScale: Double = 1

    @Option(help: "Print the trace in this format (text, jsonl or mermaid) after the report.")
    var format: TraceFormat?

    func validate() throws {
        do {
            _ = try TimeScale(timeScale)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let scale = try TimeScale(timeScale)
        let (loaded, named) = try chosen.load()
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
            format.print(
                report.events, header: "scenario \(loaded.name) protocol \(named.name) real-redis time-scale \(scale)",
                title: title)
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
