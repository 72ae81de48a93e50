import Trace

extension Command {
    /// The command as Redis argv, binary-safe, every key under `keyPrefix`.
    ///
    /// A run keeps to its own prefix (DESIGN.md "Real Redis"), so the prefix is applied here, where every key
    /// leaves the protocol, and nowhere else. Traces keep keys unprefixed.
    public func redisArguments(keyPrefix: String) -> [[UInt8]] {
        func word(_ text: String) -> [UInt8] { Array(text.utf8) }
        func prefixed(_ key: String) -> [UInt8] { Array((keyPrefix + key).utf8) }
        switch self {
        case .get(let key):
            return [word("GET"), prefixed(key)]
        case .acquire(let key, let token, let ttl):
            return [
                word("SET"), prefixed(Command.leaseKey(of: key)), token.bytes, word("PX"), word(String(ttl)),
                word("NX"),
            ]
        case .set(let key, let value, let ttl):
            return [word("SET"), prefixed(key), value.bytes, word("EX"), word(String(ttl))]
        case .delete(let key):
            return [word("DEL"), prefixed(key)]
        case .release(let key, let token):
            return [word("EVAL"), word(Scripts.release), word("1"), prefixed(Command.leaseKey(of: key)), token.bytes]
        case .fencedWrite(let key, let value, let token, let ttl):
            return [
                word("EVAL"), word(Scripts.fencedWrite), word("2"), prefixed(key), prefixed(Command.leaseKey(of: key)),
                value.bytes, token.bytes, word(String(ttl)),
            ]
        }
    }
}
