import LeaseCore
import RedisClient
import Trace

/// A run's MONITOR lines read back as the commands the server executed, in its order.
///
/// The inverse of `Command.redisArguments(keyPrefix:)`: keys lose the run's prefix, the two scripts are known by
/// their text, and the lines a script's own commands produce (`[0 lua] ...`) are folded into the EVAL before them,
/// since the trace has one `exec` per EVAL. Anything else under the prefix is an error: a run's prefix holds only
/// the protocol's keys, so a line that does not decode means the history cannot be trusted.
public struct ServerHistory: Sendable {
    /// The commands, in the server's execution order.
    public var entries: [HistoryEntry]

    public init(entries: [HistoryEntry]) {
        self.entries = entries
    }

    /// Decodes kept MONITOR lines (every key under `keyPrefix`).
    public init(lines: [MonitorLine], keyPrefix: String) throws(HistoryError) {
        let decoder = HistoryDecoder(prefix: Array(keyPrefix.utf8))
        var entries: [HistoryEntry] = []
        entries.reserveCapacity(lines.count)
        var afterScript = false
        for (index, line) in lines.enumerated() {
            switch line.source {
            case .lua:
                guard afterScript else {
                    throw HistoryError(line: index + 1, problem: "a script's command with no EVAL before it: \(line)")
                }
                continue
            case .client(let peer), .unix(let peer):
                guard let command = decoder.decode(line.arguments) else {
                    throw HistoryError(line: index + 1, problem: "not a command of the protocol: \(line)")
                }
                afterScript = line.commandName == "EVAL"
                entries.append(HistoryEntry(serverMicroseconds: line.serverMicroseconds, client: peer, command: command))
            }
        }
        self.entries = entries
    }
}

/// Turns one MONITOR line's arguments into a ``ServerCommand``; nil when it is not one.
struct HistoryDecoder {
    let prefix: [UInt8]

    /// The key without the run's prefix; nil when the argument is not under it or is not UTF-8.
    func key(_ argument: [UInt8]) -> String? {
        guard argument.starts(with: prefix) else { return nil }
        return String(validating: argument[prefix.count...], as: UTF8.self)
    }

    /// The cache key a lease key guards.
    func leasedKey(_ argument: [UInt8]) -> String? {
        guard let key = key(argument), key.hasPrefix("lease:") else { return nil }
        return String(key.dropFirst(6))
    }

    func word(_ argument: [UInt8]) -> String { String(decoding: argument, as: UTF8.self).uppercased() }

    func integer(_ argument: [UInt8]) -> Int? { Int(String(decoding: argument, as: UTF8.self)) }

    func text(_ argument: [UInt8]) -> String { String(decoding: argument, as: UTF8.self) }

    func decode(_ arguments: [[UInt8]]) -> ServerCommand? {
        switch word(arguments[0]) {
        case "GET":
            guard arguments.count == 2, let key = key(arguments[1]) else { return nil }
            return .protocolCommand(.get(key: key))
        case "SET":
            return decodeSet(arguments)
        case "DEL":
            let keys = arguments.dropFirst().map { key($0) }
            guard !keys.isEmpty, keys.allSatisfy({ $0 != nil }) else { return nil }
            let names = keys.map { $0! }
            return names.count == 1 ? .protocolCommand(.delete(key: names[0])) : .deleteMany(keys: names)
        case "EVAL":
            return decodeScript(arguments)
        default:
            return nil
        }
    }

    private func decodeSet(_ arguments: [[UInt8]]) -> ServerCommand? {
        guard arguments.count >= 3, let key = key(arguments[1]) else { return nil }
        let options = arguments.dropFirst(3).map(word)
        switch options.count {
        case 0:
            return .seed(key: key, value: arguments[2], ttlMilliseconds: nil)
        case 2:
            guard let ttl = integer(arguments[4]) else { return nil }
            if options[0] == "EX", !key.hasPrefix("lease:") {
                return .protocolCommand(.set(key: key, value: CacheValue(bytes: arguments[2]), ttlSeconds: ttl))
            }
            if options[0] == "PX" { return .seed(key: key, value: arguments[2], ttlMilliseconds: Int64(ttl)) }
            return nil
        case 3:
            guard options[0] == "PX", options[2] == "NX", let ttl = integer(arguments[4]),
                let leased = leasedKey(arguments[1])
            else { return nil }
            return .protocolCommand(.acquire(key: leased, token: Token(text(arguments[2])), ttlMilliseconds: ttl))
        default:
            return nil
        }
    }

    private func decodeScript(_ arguments: [[UInt8]]) -> ServerCommand? {
        guard arguments.count >= 3 else { return nil }
        let script = text(arguments[1])
        if script == Scripts.release {
            guard arguments.count == 5, integer(arguments[2]) == 1, let leased = leasedKey(arguments[3]) else {
                return nil
            }
            return .protocolCommand(.release(key: leased, token: Token(text(arguments[4]))))
        }
        if script == Scripts.fencedWrite {
            guard arguments.count == 8, integer(arguments[2]) == 2, let key = key(arguments[3]),
                leasedKey(arguments[4]) == key, let ttl = integer(arguments[7])
            else { return nil }
            return .protocolCommand(
                .fencedWrite(
                    key: key, value: CacheValue(bytes: arguments[5]), token: Token(text(arguments[6])), ttlSeconds: ttl))
        }
        return nil
    }
}
