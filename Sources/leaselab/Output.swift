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
