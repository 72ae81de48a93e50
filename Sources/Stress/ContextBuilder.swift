import LeaseCache
import RealRedis
import Trace

/// Finds and words the events around a violation: the same key's events just before and after it.
///
/// Only the same key's events (its cache key and its lease key): a history of 10,000 calls on 8 keys interleaves
/// every key, and the neighbours on other keys explain nothing.
struct ContextBuilder: Sendable {
    private let events: [ServerEvent]
    /// Per cache key, the indices of its events in server order.
    private let indicesByKey: [String: [Int]]
    /// Client `ip:port` to a name: given ones (writers), else the worker its tokens name (`w3`).
    private let clientNames: [String: String]
    private let clockOffset: ClockOffset

    init(input: HistoryChecker.Input) {
        events = input.events
        clockOffset = input.clockOffset
        var indices: [String: [Int]] = [:]
        var names = input.clientNames
        for (index, event) in input.events.enumerated() {
            indices[Self.cacheKey(of: event), default: []].append(index)
            if case .exec(_, let client, .protocolCommand(let command), _) = event, names[client] == nil,
                let token = Self.token(of: command),
                let dot = token.text.firstIndex(of: ".")
            {
                names[client] = String(token.text[..<dot])
            }
        }
        indicesByKey = indices
        clientNames = names
    }

    /// The events of `key` around the event at `index`, that event marked.
    func around(key: String, index: Int) -> [ContextLine] {
        let indices = indicesByKey[key] ?? []
        let position = Self.firstPosition(in: indices) { $0 >= index }
        let side = HistoryChecker.contextEventsEachSide
        let window = indices[max(0, position - side)..<min(indices.count, position + side + 1)]
        return window.map { line(for: $0, isCulprit: $0 == index) }
    }

    /// The events of `key` just before and after the server instant `time`, with the given origin loads' starts
    /// and ends among them; the culprit load's start is marked.
    func around(key: String, at time: Int64, loads: [RecordingOrigin.Load], culprit: RecordingOrigin.Load?)
        -> [ContextLine]
    {
        let indices = indicesByKey[key] ?? []
        let position = Self.firstPosition(in: indices) { events[$0].serverMicroseconds >= time }
        let side = HistoryChecker.contextEventsEachSide
        var lines = indices[max(0, position - side)..<min(indices.count, position + side)].map {
            line(for: $0, isCulprit: false)
        }
        for load in loads {
            let who = load.caller.map { String($0.text.split(separator: ".").first ?? "") } ?? "origin"
            lines.append(
                ContextLine(
                    serverMicroseconds: clockOffset.serverMicroseconds(ofClient: load.startMicroseconds), actor: who,
                    text: "load-start \(load.key) v\(load.version) (\(HistoryChecker.name(load.caller)))",
                    isCulprit: load == culprit))
            if let end = load.endMicroseconds {
                lines.append(
                    ContextLine(
                        serverMicroseconds: clockOffset.serverMicroseconds(ofClient: end), actor: who,
                        text: "load-end \(load.key) v\(load.version) (\(HistoryChecker.name(load.caller)))",
                        isCulprit: false))
            }
        }
        // Stable: a load line and a server event at the same microsecond keep the order above.
        return lines.enumerated().sorted {
            ($0.element.serverMicroseconds, $0.offset) < ($1.element.serverMicroseconds, $1.offset)
        }.map(\.element)
    }

    private func line(for index: Int, isCulprit: Bool) -> ContextLine {
        switch events[index] {
        case .exec(let time, let client, let command, let reply):
            return ContextLine(
                serverMicroseconds: time, actor: clientNames[client] ?? client, text: "exec \(command) -> \(reply)",
                isCulprit: isCulprit)
        case .expire(let time, let key):
            return ContextLine(serverMicroseconds: time, actor: "server", text: "expire \(key)", isCulprit: isCulprit)
        }
    }

    // MARK: - Event fields

    /// The cache key an event concerns: a lease key counts as the key it guards.
    static func cacheKey(of event: ServerEvent) -> String {
        let key: String
        switch event {
        case .expire(_, let expired): key = expired
        case .exec(_, _, .seed(let seeded, _, _), _): key = seeded
        case .exec(_, _, .deleteMany(let keys), _): key = keys.first ?? ""
        case .exec(_, _, .protocolCommand(let command), _):
            switch command {
            case .get(let read): key = read
            case .delete(let deleted): key = deleted
            case .acquire(let cacheKey, _, _), .set(let cacheKey, _, _), .release(let cacheKey, _),
                .fencedWrite(let cacheKey, _, _, _):
                key = cacheKey
            }
        }
        return HistoryChecker.cacheKey(ofLease: key) ?? key
    }

    static func token(of command: Command) -> Token? {
        switch command {
        case .acquire(_, let token, _), .release(_, let token), .fencedWrite(_, _, let token, _): return token
        case .get, .set, .delete: return nil
        }
    }

    /// The first position in `indices` whose element satisfies `isAtOrAfter` (a monotone predicate), by bisection.
    private static func firstPosition(in indices: [Int], where isAtOrAfter: (Int) -> Bool) -> Int {
        var low = 0
        var high = indices.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrAfter(indices[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
