import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that reads hiredis's error out of a context (`ctx->err`, `ctx->errstr`) and says what it means.
///
/// Every hiredis call whose result says "failed" (REDIS_ERR, or NULL) comes here (STYLE 8), through
/// ``RedisConnection/callHiredis(_:_:)`` for commands and directly from the initializer for connect.
///
/// hiredis 0.14 keeps no errno: a read that hit SO_RCVTIMEO is `REDIS_ERR_IO` with errstr = strerror(EAGAIN),
/// "Resource temporarily unavailable", so the text is the only way to tell a timeout from a reset.
func hiredisFailure(
    _ context: UnsafePointer<redisContext>, endpoint: String, command: String?, commandTimeoutMicroseconds: Int64
) -> RedisError {
    let code = context.pointee.err
    var errstr = context.pointee.errstr
    let reasonText = withUnsafeBytes(of: &errstr) { bytes in
        String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    let reason = reasonText.isEmpty ? "hiredis error \(code) with no message" : reasonText
    guard let command else { return .couldNotConnect(endpoint: endpoint, reason: reason) }
    switch code {
    case REDIS_ERR_IO where isTimeoutText(reason):
        return .timedOut(endpoint: endpoint, command: command, timeoutMicroseconds: commandTimeoutMicroseconds)
    case REDIS_ERR_PROTOCOL:
        return .protocolError(endpoint: endpoint, command: command, reason: reason)
    default:
        // REDIS_ERR_EOF ("Server closed the connection"), REDIS_ERR_IO (reset, broken pipe), REDIS_ERR_OOM and
        // REDIS_ERR_OTHER: the context is dead and the reply, if any, is lost; to the caller that is one case.
        return .connectionLost(endpoint: endpoint, command: command, reason: reason)
    }
}

/// strerror(EAGAIN) and strerror(EWOULDBLOCK) (equal on Linux, both checked for other libcs), as hiredis wrote it.
private func isTimeoutText(_ reason: String) -> Bool {
    reason == String(cString: strerror(EAGAIN)) || reason == String(cString: strerror(EWOULDBLOCK))
}

/// A `timeval` for hiredis from microseconds.
func hiredisTimeval(microseconds: Int64) -> timeval {
    timeval(tv_sec: time_t(microseconds / 1_000_000), tv_usec: suseconds_t(microseconds % 1_000_000))
}
