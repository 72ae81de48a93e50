import LeaseCore
import Trace

/// One thing a worker did or saw in a real run, in scenario terms (keys unprefixed, TTLs unscaled).
enum WorkerStep: Hashable, Sendable {
    /// A call starts: the worker's `call`-th.
    case call(call: Int, key: String)
    /// A command is about to be sent.
    case sent(Command)
    /// Its reply arrived.
    case received(Command, Reply)
    /// It got no reply: a timeout or a lost connection. `held` says the harness's proxy held the reply back or
    /// broke the connection on purpose (a `lose-reply` or `drop-connection` fault), rather than the server.
    case failed(Command, CommandFailure, held: Bool, why: String)
    /// The origin read the source at this version, for the worker's `call`-th call.
    case loadStart(call: Int, key: String, version: Int)
    /// The origin answered, for the worker's `call`-th call.
    case loadEnd(call: Int, key: String, version: Int)
    /// The origin failed, for the worker's `call`-th call.
    case loadFail(call: Int, key: String)
    /// The origin timeout fired.
    case originTimeout(key: String)
    /// The worker's process stops at a point (a scenario `pause` fault).
    case pause(PausePoint)
    /// It goes on.
    case resume(PausePoint)
    /// The call returned; `failure` is the error line of an error outcome.
    case returned(Outcome, failure: String?)
}

/// A step with the wall-clock instant it happened (``UnixClock``).
struct StampedStep: Hashable, Sendable {
    var unixMicroseconds: Int64
    var step: WorkerStep
}
