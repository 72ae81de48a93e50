/// A stress run that could not run, or could not be judged, as one line: where (host:port), what, what to do.
public struct StressError: Error, Sendable, CustomStringConvertible {
    private enum Base: Sendable {
        /// The parameters make no sense; `problem` says which and what would.
        case badParameters(problem: String)
        /// The server could not be used before the run (unreachable, AUTH refused): `cause` is the Redis error line.
        case notReady(cause: String)
        /// MONITOR was refused: the history check cannot run.
        case monitorRefused(endpoint: String, cause: String)
        /// The server's `TIME` reply was not two numbers.
        case unusableTime(endpoint: String)
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    static func badParameters(_ problem: String) -> StressError { StressError(.badParameters(problem: problem)) }
    static func notReady(_ cause: String) -> StressError { StressError(.notReady(cause: cause)) }
    static func monitorRefused(endpoint: String, cause: String) -> StressError {
        StressError(.monitorRefused(endpoint: endpoint, cause: cause))
    }
    static func unusableTime(endpoint: String) -> StressError { StressError(.unusableTime(endpoint: endpoint)) }

    /// Whether MONITOR was refused (the CLI names `--no-monitor` as the way out).
    public var isMonitorRefused: Bool {
        if case .monitorRefused = base { return true }
        return false
    }

    public var description: String {
        switch base {
        case .badParameters(let problem):
            return "stress: \(problem)"
        case .notReady(let cause):
            return "stress: cannot start: \(cause)"
        case .monitorRefused(let endpoint, let cause):
            return "\(endpoint): MONITOR refused (\(cause)); the history check needs it, so nothing was run: allow "
                + "MONITOR for this user (ACL +monitor), or pass --no-monitor to run without the history check"
        case .unusableTime(let endpoint):
            return "\(endpoint): TIME did not answer two numbers; is this a Redis server?"
        }
    }
}
