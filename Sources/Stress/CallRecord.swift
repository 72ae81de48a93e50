import LeaseCache
import Trace

/// What the client side saw of one `evictAndReload` call of a stress run.
///
/// The server's MONITOR history says what the server did; this says what each call was told and when it returned,
/// which the history cannot show (a lease left by a call that had already returned is only an orphan given both).
public struct CallRecord: Sendable, Hashable {
    /// The call's lease token, `w<worker>.<n>`: the worker is the connection the call ran on, numbered from 1.
    public var token: Token
    /// The key evicted and reloaded (unprefixed).
    public var key: String
    /// The connection the call ran on, numbered from 1.
    public var worker: Int
    /// When the call returned, on the client's wall clock (``UnixClock``), in microseconds since the epoch.
    public var returnMicroseconds: Int64
    /// The outcome, what the release found, and the call's own duration.
    public var result: EvictionResult

    public init(token: Token, key: String, worker: Int, returnMicroseconds: Int64, result: EvictionResult) {
        self.token = token
        self.key = key
        self.worker = worker
        self.returnMicroseconds = returnMicroseconds
        self.result = result
    }
}
