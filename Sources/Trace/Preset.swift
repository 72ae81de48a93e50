/// The named protocol variants of DESIGN.md "Protocol variants".
///
/// `fenced` differs from `pr-4821` in the write alone, so a verdict change between them is the write's doing.
public enum Preset: String, Hashable, Sendable, CaseIterable {
    /// The code before the review: no lease.
    case preReview = "pre-review"
    /// Code review #4821 as submitted: a lease, released by compare-and-delete.
    case pr4821 = "pr-4821"
    /// #4821 with the reviewer's 2 s origin timeout.
    case pr4821Timeout = "pr-4821-timeout"
    /// #4821 with a fenced write.
    case fenced

    /// The knobs this preset stands for.
    public var variant: ProtocolVariant {
        switch self {
        case .preReview:
            return ProtocolVariant(
                lock: .none, leaseTTLMilliseconds: 5_000, cacheTTLSeconds: 300, originTimeoutMicroseconds: nil,
                release: .compareAndDelete, write: .plain, contended: .serveStale,
                commandTimeoutMicroseconds: 1_000_000)
        case .pr4821:
            return ProtocolVariant(
                lock: .lease, leaseTTLMilliseconds: 5_000, cacheTTLSeconds: 300, originTimeoutMicroseconds: nil,
                release: .compareAndDelete, write: .plain, contended: .serveStale,
                commandTimeoutMicroseconds: 1_000_000)
        case .pr4821Timeout:
            return ProtocolVariant(
                lock: .lease, leaseTTLMilliseconds: 5_000, cacheTTLSeconds: 300,
                originTimeoutMicroseconds: 2_000_000, release: .compareAndDelete, write: .plain,
                contended: .serveStale, commandTimeoutMicroseconds: 1_000_000)
        case .fenced:
            return ProtocolVariant(
                lock: .lease, leaseTTLMilliseconds: 5_000, cacheTTLSeconds: 300, originTimeoutMicroseconds: nil,
                release: .compareAndDelete, write: .fenced, contended: .serveStale,
                commandTimeoutMicroseconds: 1_000_000)
        }
    }
}
