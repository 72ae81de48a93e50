import Trace

/// One step of a generated sequence.
public enum DiffStep: Hashable, Sendable, CustomStringConvertible {
    /// Send a protocol command to both Redises and compare the replies.
    case command(Command)
    /// Read the key's real deadline, wait until the server's clock is near it, then `GET` it on both.
    case lookupNearDeadline(key: String, offset: DeadlineOffset)
    /// Sleep, so that deadlines pass between commands.
    case wait(milliseconds: Int)

    public var description: String {
        switch self {
        case .command(let command): return command.description
        case .lookupNearDeadline(let key, let offset): return "GET \(key) \(offset) its deadline"
        case .wait(let milliseconds): return "wait \(milliseconds)ms"
        }
    }
}

/// Where, relative to a key's deadline `when` (in ms), a lookup aims.
public enum DeadlineOffset: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// In millisecond `when - 1`: the key is alive.
    case justBefore
    /// In millisecond `when`: still alive (Redis expires at `now > when`).
    case at
    /// In millisecond `when + 1`: gone.
    case justAfter
    /// A few µs before millisecond `when + 1` starts, so that the bracket often straddles the expiry: the case the
    /// timing tolerance exists for.
    case acrossTheExpiry

    /// Where in its millisecond a lookup aims to start: late enough that the bracket's first `TIME` falls in the
    /// aimed millisecond, early enough that the command does too.
    static let aimMicrosecondsIntoMillisecond: Int64 = 250
    /// How far before the expiry instant `(when + 1) * 1000` a lookup across it aims.
    static let aimMicrosecondsBeforeExpiry: Int64 = 30

    /// The server instant, in µs, a lookup of a key with deadline `when` aims to start at.
    public func aimMicroseconds(deadlineMilliseconds when: Int64) -> Int64 {
        switch self {
        case .justBefore: return (when - 1) * 1_000 + Self.aimMicrosecondsIntoMillisecond
        case .at: return when * 1_000 + Self.aimMicrosecondsIntoMillisecond
        case .justAfter: return (when + 1) * 1_000 + Self.aimMicrosecondsIntoMillisecond
        case .acrossTheExpiry: return (when + 1) * 1_000 - Self.aimMicrosecondsBeforeExpiry
        }
    }

    public var description: String {
        switch self {
        case .justBefore: return "just before"
        case .at: return "at"
        case .justAfter: return "just after"
        case .acrossTheExpiry: return "across"
        }
    }
}
