import Trace

/// Receives a command's Redis arguments in order, without an array built per argument.
///
/// Why a sink and not only `[[UInt8]]`: LeaseCache writes every command of every call, and building an array per
/// argument (and a prefixed key string per key) cost more than the rest of sending it. One walk over the command
/// (``Command/writeRedisArguments(keyPrefix:into:)``) feeds both the argv form and LeaseCache's RESP encoder, so
/// the two cannot disagree on what a command says.
public protocol RedisArgumentSink {
    /// A command of `count` arguments begins.
    mutating func begin(count: Int)
    /// One argument: the UTF-8 of `first`, `second` and `third`, one after the other (a key is its run's prefix,
    /// `lease:` for a lease key, and the key).
    mutating func text(_ first: String, _ second: String, _ third: String)
    /// One argument: these bytes.
    mutating func bytes(_ bytes: [UInt8])
    /// One argument: the decimal digits of `value`.
    mutating func number(_ value: Int)
}

extension RedisArgumentSink {
    /// One argument: the UTF-8 of `word`.
    mutating func word(_ word: String) {
        text(word, "", "")
    }

    /// One argument: `key` under `keyPrefix`, as its lease key when `lease`.
    mutating func key(_ key: String, prefix keyPrefix: String, lease: Bool = false) {
        text(keyPrefix, lease ? Command.leasePrefix : "", key)
    }
}

extension Command {
    /// The prefix of a lease key (``Command/leaseKey(of:)``).
    static let leasePrefix = Command.leaseKey(of: "")

    /// Feeds the command's Redis arguments to `sink`, binary-safe, every key under `keyPrefix`.
    ///
    /// A run keeps to its own prefix (DESIGN.md "Real Redis"), so the prefix is applied here, where every key
    /// leaves the protocol, and nowhere else. Traces keep keys unprefixed.
    public func writeRedisArguments(keyPrefix: String, into sink: inout some RedisArgumentSink) {
        switch self {
        case .get(let key):
            sink.begin(count: 2)
            sink.word("GET")
            sink.key(key, prefix: keyPrefix)
        case .acquire(let key, let token, let ttl):
            sink.begin(count: 6)
            sink.word("SET")
            sink.key(key, prefix: keyPrefix, lease: true)
            sink.word(token.text)
            sink.word("PX")
            sink.number(ttl)
            sink.word("NX")
        case .set(let key, let value, let ttl):
            sink.begin(count: 5)
            sink.word("SET")
            sink.key(key, prefix: keyPrefix)
            sink.bytes(value.bytes)
            sink.word("EX")
            sink.number(ttl)
        case .delete(let key):
            sink.begin(count: 2)
            sink.word("DEL")
            sink.key(key, prefix: keyPrefix)
        case .release(let key, let token):
            sink.begin(count: 5)
            sink.word("EVAL")
            sink.word(Scripts.release)
            sink.number(1)
            sink.key(key, prefix: keyPrefix, lease: true)
            sink.word(token.text)
        case .fencedWrite(let key, let value, let token, let ttl):
            sink.begin(count: 8)
            sink.word("EVAL")
            sink.word(Scripts.fencedWrite)
            sink.number(2)
            sink.key(key, prefix: keyPrefix)
            sink.key(key, prefix: keyPrefix, lease: true)
            sink.bytes(value.bytes)
            sink.word(token.text)
            sink.number(ttl)
        }
    }

    /// The command as Redis argv, binary-safe, every key under `keyPrefix`.
    public func redisArguments(keyPrefix: String) -> [[UInt8]] {
        var arguments = ArgumentArrays()
        writeRedisArguments(keyPrefix: keyPrefix, into: &arguments)
        assert(arguments.arguments.count == arguments.expected, "Command: \(self) wrote a wrong argument count")
        return arguments.arguments
    }
}

/// The argv form: one byte array per argument.
private struct ArgumentArrays: RedisArgumentSink {
    var arguments: [[UInt8]] = []
    var expected = 0

    mutating func begin(count: Int) {
        expected = count
        arguments.reserveCapacity(count)
    }

    mutating func text(_ first: String, _ second: String, _ third: String) {
        // One array per argument, as `Array(string.utf8)` made before the sink: the bare loop of `bench cache`
        // builds its commands here, and must not pay for temporaries LeaseCache does not.
        var argument: [UInt8] = []
        argument.reserveCapacity(first.utf8.count + second.utf8.count + third.utf8.count)
        argument.append(contentsOf: first.utf8)
        argument.append(contentsOf: second.utf8)
        argument.append(contentsOf: third.utf8)
        arguments.append(argument)
    }

    mutating func bytes(_ bytes: [UInt8]) {
        arguments.append(bytes)
    }

    mutating func number(_ value: Int) {
        arguments.append(Array(String(value).utf8))
    }
}
