/// A MONITOR history that cannot be read as a run of the protocol.
public struct HistoryError: Error, Sendable, CustomStringConvertible {
    /// The 1-based position of the offending line among the kept lines.
    public var line: Int
    /// What is wrong.
    public var problem: String

    public var description: String {
        "MONITOR history line \(line): \(problem); the run's prefix must hold only the protocol's keys"
    }
}
