/// The "what would be right" halves of parse errors that both readers (text and JSON Lines) give, listed from the
/// vocabulary's own cases so they never fall behind it.
enum TraceParseExpectations {
    static let pausePoint = "a pause point: " + listed(PausePoint.allCases.map(\.rawValue))
    static let staleReason = "a stale reason: " + listed(StaleReason.allCases.map(\.rawValue))
    static let errorReason = "an error reason: " + listed(ErrorReason.allCases.map(\.rawValue))

    private static func listed(_ names: [String]) -> String {
        names.map { "`\($0)`" }.joined(separator: ", ")
    }
}
