import Trace

/// One `evictAndReload` call of a scenario (`calls:`).
public struct Call: Hashable, Sendable {
    /// When the worker starts the call, in virtual microseconds from 0 (`at:`).
    public var atMicroseconds: Int64
    /// The calling worker, numbered from 1 (`worker: w1`).
    public var worker: Int
    /// The cache key the call evicts and reloads (`key:`).
    public var key: String
    /// The call's number among its worker's calls, from 1, in the order of `at` (ties keep file order).
    ///
    /// Faults and origin overrides name calls by this number, and tokens carry it (`w2.1`).
    public var callNumber: Int

    public init(atMicroseconds: Int64, worker: Int, key: String, callNumber: Int) {
        self.atMicroseconds = atMicroseconds
        self.worker = worker
        self.key = key
        self.callNumber = callNumber
    }

    /// The call's lease token in the simulator and the model: `w<worker>.<call>`.
    public var token: Token {
        Token(worker: worker, call: callNumber)
    }
}
