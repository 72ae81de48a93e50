/// Why a scenario file did not load: every mistake found, in file order.
///
/// The loader reads the whole file before it throws, so one run shows every mistake rather than one per run.
/// ``description`` is one line per problem, `file:line:column: what is wrong; what would be right`, ready for a
/// command line to print before exiting non-zero.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The mistakes, sorted by line then column (ties keep the order they were found in); never empty.
    public var problems: [ScenarioProblem]

    public init(problems: [ScenarioProblem]) {
        precondition(!problems.isEmpty, "a ScenarioError needs at least one problem")
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
