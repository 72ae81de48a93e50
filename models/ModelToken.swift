import Trace

/// A lease token of the model: the worker and the call number that took it, `w<worker>.<call>` in traces.
///
/// Kept as two numbers rather than a ``Token`` string so that states compare, hash and encode cheaply; the trace
/// form is built only for events.
public struct ModelToken: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The worker, from 1.
    public var worker: Int
    /// The worker's call number, from 1.
    public var call: Int

    public init(worker: Int, call: Int) {
        self.worker = worker
        self.call = call
    }

    /// The trace token `w<worker>.<call>`.
    public var token: Token {
        Token(worker: worker, call: call)
    }

    public static func < (lhs: ModelToken, rhs: ModelToken) -> Bool {
        (lhs.worker, lhs.call) < (rhs.worker, rhs.call)
    }

    public var description: String {
        "w\(worker).\(call)"
    }
}
