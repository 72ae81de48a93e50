import Trace

/// What the real server answered to one command, and the stretch of server time in which it ran.
public struct RealObservation: Hashable, Sendable {
    /// The server's `TIME` just before the command, in µs (the commands of one connection run in order).
    public var startMicroseconds: Int64
    /// The server's `TIME` just after the command (and after its inspection), in µs.
    public var endMicroseconds: Int64
    /// The command's reply.
    public var reply: Reply
    /// `PEXPIRETIME` of the command's ``CandidateStates/inspectedKey(of:)``, read after it inside the bracket; nil
    /// for commands that set no TTL.
    public var expireTimeMilliseconds: Int64?

    public init(startMicroseconds: Int64, endMicroseconds: Int64, reply: Reply, expireTimeMilliseconds: Int64?) {
        precondition(
            startMicroseconds <= endMicroseconds,
            "bracket [\(startMicroseconds), \(endMicroseconds)] µs runs backwards")
        self.startMicroseconds = startMicroseconds
        self.endMicroseconds = endMicroseconds
        self.reply = reply
        self.expireTimeMilliseconds = expireTimeMilliseconds
    }

    /// The bracket's first millisecond.
    public var startMillisecond: Int64 { floorDivide(startMicroseconds, 1_000) }
    /// The bracket's last millisecond.
    public var endMillisecond: Int64 { floorDivide(endMicroseconds, 1_000) }
}

/// Floor division, for times that could in principle be negative.
@inline(__always)
func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
