import RedisClient
import Trace

/// A test seam: lets a harness watch each command of a call and hold the call at the protocol's named pause points.
///
/// `leaselab redis` runs scenarios for real and must pause a worker where the simulator pauses it, and must know what
/// each worker sent and got, and when, to check it against the server's own order. LeaseCache calls a probe only
/// when its configuration has one: `nil` in production, where each hook costs one `nil` check.
///
/// Every method is called on the call's connection's event loop thread, in the call's own order.
public protocol LeaseCallProbe: Sendable {
    /// The call is at `point` (before the command it names is sent, or as the origin's answer arrives); it goes on
    /// when this returns. Called at every point the call reaches; the probe decides whether to pause there.
    func reached(_ point: PausePoint, key: String) async
    /// `command` is about to be sent (keys unprefixed, TTLs as the configuration's variant has them).
    func willSend(_ command: Command)
    /// The reply to the command sent last, or how it failed.
    func received(_ result: Result<Reply, RedisError>, to command: Command)
    /// The origin timeout fired: the call stops waiting for the origin.
    func originTimedOut(key: String)
}
