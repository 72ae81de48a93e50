import ArgumentParser
import Foundation

/// Writes one line to standard error: reports go to standard output, problems here.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension ExitCode {
    /// A scenario file has mistakes (each printed as `file:line:column: what; what would be right`).
    static let scenarioInvalid = ExitCode(65)
    /// A check found a disagreement: a property verdict, a trace, or conformance.
    static let checkFailed = ExitCode(1)
}

extension ExitCode {
    /// The command line names something that is not there or does not fit (a missing file, an unknown protocol).
    static let usageProblem = ExitCode(64)
}

/// Prints one `error: ...` line and gives the exit status to throw, for a problem found while running.
///
/// `ValidationError` is for `validate()`: thrown from `run()`, ArgumentParser follows it with the root command's
/// usage, which says nothing about a missing file.
func usageProblem(_ message: String) -> ExitCode {
    printError("error: " + message)
    return .usageProblem
}

/// Prints one `error: ...` line and gives the exit status to throw, for a run that could not be carried out
/// (a benchmark whose server misbehaved, a run that hit a limit).
func runProblem(_ message: String) -> ExitCode {
    printError("error: " + message)
    return .failure
}

extension Duration {
    /// The duration in seconds, as a Double, for rates.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
