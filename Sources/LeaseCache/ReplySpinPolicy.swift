/// When an event loop with a reply awaited spins (checks its sockets without sleeping) rather than sleeping in
/// `poll` at once (``EventLoop``).
///
/// A spin pays when the reply comes within it: the loop takes it without the kernel's wake-up, on a small or busy
/// machine a good part of a local round trip. Against a server whose replies take longer (a remote one) every spin
/// would burn its whole length for nothing. So the loop keeps a moving average of how long it has waited for
/// replies lately, and spins only while that average is within ``worthwhile`` spin lengths: a slow server stops
/// the spinning after a few waits, a fast one starts it again.
struct ReplySpinPolicy {
    /// The longest spin, in nanoseconds (0: never spin).
    let spinNanoseconds: Int64
    /// How long replies have been waited for lately, in nanoseconds: a moving average over about eight waits.
    private(set) var averageWaitNanoseconds: Int64 = 0

    /// Spins while replies have lately come within this many spin lengths.
    static let worthwhile: Int64 = 2

    init(spinMicroseconds: Int64) {
        spinNanoseconds = max(0, spinMicroseconds) * 1_000
    }

    /// Whether the next wait for a reply spins first.
    var spins: Bool {
        spinNanoseconds > 0 && averageWaitNanoseconds <= spinNanoseconds * Self.worthwhile
    }

    /// Takes in one wait that ended with a reply ready, spun or slept.
    mutating func record(waitNanoseconds: Int64) {
        averageWaitNanoseconds += (max(0, waitNanoseconds) - averageWaitNanoseconds) / 8
    }
}
