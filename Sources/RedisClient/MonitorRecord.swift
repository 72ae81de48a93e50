/// What a ``RedisMonitor`` kept of a run, and how its stream ended.
public struct MonitorRecord: Sendable {
    /// How the stream ended.
    public enum Ending: Sendable {
        /// The end marker came through: every command the server executed before it is in ``lines`` (unless
        /// ``overflowed``).
        case complete
        /// The stream broke first (the server died, the connection was lost, or the marker never came): lines
        /// after the break are missing. The error says where and what.
        case failed(RedisError)
    }

    /// The kept lines, in the server's execution order: every key under the monitor's prefix.
    public var lines: [MonitorLine]
    /// Lines about other keys (or no keys, or another database), dropped unread.
    public var dropped: Int
    /// Lines past the monitor's capacity, counted and dropped.
    public var overflow: Int
    /// Lines that were not in MONITOR's form, counted and dropped; the first is kept for the report.
    public var unreadable: Int
    public var firstUnreadable: MonitorLineError?
    public var ending: Ending

    /// True when the capacity cut the history short.
    public var overflowed: Bool { overflow > 0 }

    /// True when ``lines`` is the whole history under the prefix: the stream ended at the marker, nothing was
    /// cut and every line was read.
    public var isWhole: Bool {
        switch ending {
        case .complete: return overflow == 0 && unreadable == 0
        case .failed: return false
        }
    }
}
