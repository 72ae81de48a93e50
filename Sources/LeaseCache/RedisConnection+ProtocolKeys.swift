import RedisClient
import Trace

extension RedisConnection {
    /// The most keys one `DEL` names: a long key list goes out in several commands.
    static let deleteChunk = 1_000

    /// Deletes, by name, each cache key of `keys` and its lease key (`lease:<key>`), all under `prefix`.
    ///
    /// How a run removes its own keys and nothing else: never `FLUSHDB`, never a pattern, since the server may
    /// hold other people's keys.
    public func deleteProtocolKeys(_ keys: [String], prefix: String) throws(RedisError) {
        let names = keys.flatMap { [prefix + $0, prefix + Command.leaseKey(of: $0)] }
        for start in stride(from: 0, to: names.count, by: Self.deleteChunk) {
            _ = try send(strings: ["DEL"] + names[start..<min(start + Self.deleteChunk, names.count)])
        }
    }
}
