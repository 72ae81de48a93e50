import RealRedis
import Trace

extension HistoryChecker {
    /// Where the replayed history and the calls' own outcomes disagree, one line each: a check on the replay
    /// itself, so that a property judged on it is judged on what really happened.
    ///
    /// MONITOR shows no replies; the replay computes them. Each call's token ties its acquire in the history to
    /// the outcome the call returned: an acquire the replay answers `OK` must belong to a call that loaded (`fresh`,
    /// or stale after the origin failed or timed out), one answered nil to a `stale contended` call, and a `miss`
    /// sends no acquire; without a lease no call acquires. Calls that ended in an error are skipped: their last
    /// reply may have been lost after the server applied the command.
    func replayDisagreements(_ input: Input) -> (count: Int, first: [String]) {
        var acquireReplies: [Token: Reply] = [:]
        for event in input.events {
            if case .exec(_, _, .protocolCommand(.acquire(_, let token, _)), let reply) = event {
                acquireReplies[token] = reply
            }
        }
        var count = 0
        var first: [String] = []
        for call in input.calls {
            let expected: Reply?
            switch call.result.outcome {
            case .error:
                continue
            case .miss:
                expected = nil
            case .stale(_, .contended):
                expected = lock == .lease ? .null : nil
            case .fresh, .stale(_, .originFailed), .stale(_, .originTimeout):
                expected = lock == .lease ? .ok : nil
            }
            let found = acquireReplies[call.token]
            guard found != expected else { continue }
            count += 1
            if first.count < Self.disagreementsKeptMaximum {
                first.append(
                    "\(call.token) returned \(call.result.outcome) but the replayed history has "
                        + (found.map { "its acquire answered \($0)" } ?? "no acquire of it")
                        + (expected.map { " (expected \($0))" } ?? " (expected none)"))
            }
        }
        return (count, first)
    }

    /// How many disagreement lines are kept; all are counted.
    public static let disagreementsKeptMaximum = 20
}
