import Trace

/// A test hook: replace the simulated reply at one step of every sequence, to show that a wrong simulated reply
/// is reported (with its sequence's seed and step) rather than explained away. Never set outside tests.
public struct SimulatedReplyFault: Hashable, Sendable {
    /// The step (0-based) whose simulated reply is replaced, in every sequence where it compares a reply.
    public var stepIndex: Int
    /// The reply the simulated Redis is made to give there.
    public var reply: Reply

    public init(stepIndex: Int, reply: Reply) {
        self.stepIndex = stepIndex
        self.reply = reply
    }
}
