import Simulator
import Trace

/// Replays a MONITOR history through the simulated Redis to recover what MONITOR does not show: each command's
/// reply and the expiries between commands (DESIGN.md "Real Redis").
///
/// Each command runs at its MONITOR timestamp, with Redis's millisecond deadlines (REDIS.md); a key whose deadline
/// passed before a command gets an `expire` event at `(when + 1)` ms, cache keys before lease keys, each in key
/// order. Real Redis computes a `SET`'s TTL from a clock read a moment after the command's timestamp, so a
/// deadline may be 1 ms later on the server than here (`leaselab diff-redis` measures this): replies that depend on
/// that millisecond are flagged by a comparison with the workers' received replies, never silently accepted.
public struct ServerOrderReplay: Sendable {
    /// The simulated Redis after the last command.
    public private(set) var redis: SimulatedRedis
    /// The events so far, in order.
    public private(set) var events: [ServerEvent] = []

    /// Starts from `initial`: an empty Redis, or the state the harness seeded without MONITOR watching.
    public init(initial: SimulatedRedis = SimulatedRedis()) {
        redis = initial
    }

    /// Replays a whole history, then the expiries due up to `untilMicroseconds` (if given).
    public static func replay(
        _ history: ServerHistory, initial: SimulatedRedis = SimulatedRedis(), untilMicroseconds: Int64? = nil
    ) -> ServerOrderReplay {
        var replay = ServerOrderReplay(initial: initial)
        for entry in history.entries { replay.execute(entry) }
        if let untilMicroseconds { replay.expire(upTo: untilMicroseconds) }
        return replay
    }

    /// Executes one command at its timestamp, after the expiries due by then.
    public mutating func execute(_ entry: HistoryEntry) {
        let now = entry.serverMicroseconds
        expire(upTo: now)
        let reply: Reply
        switch entry.command {
        case .protocolCommand(let command):
            reply = redis.execute(command, nowMicroseconds: now)
        case .seed(let key, let value, let ttl):
            redis.store(key, value: value, deadlineMilliseconds: ttl.map {
                SimulatedRedis.deadline(ttlMilliseconds: $0, nowMicroseconds: now)
            })
            reply = .ok
        case .deleteMany(let keys):
            var deleted: Int64 = 0
            for key in keys {
                if case .integer(let count) = redis.execute(.delete(key: key), nowMicroseconds: now) { deleted += count }
            }
            reply = .integer(deleted)
        }
        events.append(.exec(serverMicroseconds: now, client: entry.client, command: entry.command, reply: reply))
    }

    /// Emits the expiries whose time `(when + 1)` ms is at or before `nowMicroseconds`, oldest first.
    public mutating func expire(upTo nowMicroseconds: Int64) {
        // Called before every command: most of the time nothing is due, and that needs no sorted copy of the keys.
        guard let earliest = redis.earliestDeadlineMilliseconds,
            SimulatedRedis.isExpired(deadlineMilliseconds: earliest, nowMicroseconds: nowMicroseconds)
        else { return }
        let due = redis.sortedEntries.compactMap { item -> (time: Int64, key: String, when: Int64)? in
            guard let when = item.entry.deadlineMilliseconds,
                SimulatedRedis.isExpired(deadlineMilliseconds: when, nowMicroseconds: nowMicroseconds)
            else { return nil }
            return ((when + 1) * 1_000, item.key, when)
        }
        .sorted { a, b in
            if a.time != b.time { return a.time < b.time }
            let aLease = a.key.hasPrefix("lease:")
            let bLease = b.key.hasPrefix("lease:")
            if aLease != bLease { return !aLease }
            return a.key < b.key
        }
        for item in due where redis.expire(item.key, deadlineMilliseconds: item.when) {
            events.append(.expire(serverMicroseconds: item.time, key: item.key))
        }
    }
}
