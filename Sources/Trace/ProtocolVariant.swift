/// One protocol variant: the knobs of DESIGN.md "Protocol variants", whose names are the scenario YAML keys.
///
/// A variant is plain data shared by the model and the implementation, so that a reviewer can compare variants
/// knob by knob. Durations are integers in the unit Redis or the protocol works in (milliseconds for `PX`, seconds
/// for `EX`, microseconds for virtual-time timeouts), so no rounding happens between the two sides.
public struct ProtocolVariant: Hashable, Sendable {
    /// Whether a call takes a lease before reloading (`lock`).
    public var lock: Lock
    /// The lease's TTL, sent as `PX` (`lease-ttl`).
    public var leaseTTLMilliseconds: Int
    /// The cached value's TTL, sent as `EX` (`cache-ttl`).
    public var cacheTTLSeconds: Int
    /// How long a call waits for the origin before giving up; `nil` waits for ever (`origin-timeout`).
    public var originTimeoutMicroseconds: Int64?
    /// How the lease is released (`release`).
    public var release: ReleaseStyle
    /// How the fresh value is stored (`write`).
    public var write: WriteStyle
    /// What a call does when another worker holds the lease (`contended`).
    public var contended: ContendedPolicy
    /// How long a client waits for a reply before it gives up on the command (`command-timeout`).
    public var commandTimeoutMicroseconds: Int64

    public init(
        lock: Lock,
        leaseTTLMilliseconds: Int,
        cacheTTLSeconds: Int,
        originTimeoutMicroseconds: Int64?,
        release: ReleaseStyle,
        write: WriteStyle,
        contended: ContendedPolicy,
        commandTimeoutMicroseconds: Int64
    ) {
        self.lock = lock
        self.leaseTTLMilliseconds = leaseTTLMilliseconds
        self.cacheTTLSeconds = cacheTTLSeconds
        self.originTimeoutMicroseconds = originTimeoutMicroseconds
        self.release = release
        self.write = write
        self.contended = contended
        self.commandTimeoutMicroseconds = commandTimeoutMicroseconds
    }

    /// The knob combinations that make no sense, as (knob, why) pairs; empty when the variant is coherent.
    ///
    /// A fenced write checks the lease, so it needs one; TTLs of zero or less are refused by Redis itself
    /// (`ERR invalid expire time`), so they are refused here before anything is sent.
    public var problems: [(knob: String, problem: String)] {
        var found: [(knob: String, problem: String)] = []
        if write == .fenced && lock == .none {
            found.append(("write", "a fenced write checks the lease, so it needs `lock: lease`"))
        }
        if leaseTTLMilliseconds <= 0 {
            found.append(("lease-ttl", "must be at least 1ms (Redis refuses PX 0)"))
        }
        if cacheTTLSeconds <= 0 {
            found.append(("cache-ttl", "must be at least 1s (Redis refuses EX 0)"))
        }
        if let timeout = originTimeoutMicroseconds, timeout <= 0 {
            found.append(("origin-timeout", "must be positive, or `none`"))
        }
        if commandTimeoutMicroseconds <= 0 {
            found.append(("command-timeout", "must be positive"))
        }
        return found
    }
}

/// Whether a call takes a lease.
public enum Lock: String, Hashable, Sendable, CaseIterable {
    /// The pre-review code: `GET; DEL key; load; SET key EX`.
    case none
    /// `SET lease:<key> <token> PX <ttl> NX` before loading.
    case lease
}

/// How a call gives its lease back.
public enum ReleaseStyle: String, Hashable, Sendable, CaseIterable {
    /// One `EVAL` of the compare-and-delete script (REDIS.md): atomic.
    case compareAndDelete = "compare-and-delete"
    /// `GET lease:<key>`, then `DEL lease:<key>` if it held our token: two commands, not atomic.
    case getThenDelete = "get-then-delete"
    /// `DEL lease:<key>` whatever it holds.
    case delete
}

/// How a fresh value is stored.
public enum WriteStyle: String, Hashable, Sendable, CaseIterable {
    /// `SET key value EX ttl`.
    case plain
    /// One `EVAL` of the fenced-write script (REDIS.md): stores only while our lease is held.
    case fenced
}

/// What a contended call does.
public enum ContendedPolicy: String, Hashable, Sendable, CaseIterable {
    /// Return the value read by the first `GET`.
    case serveStale = "serve-stale"
}
