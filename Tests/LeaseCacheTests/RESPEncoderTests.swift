@testable import LeaseCache
import LeaseCore
import RedisClient
import Testing
import Trace

/// LeaseCache writes each command's RESP itself; hiredis's own formatting of the same argv is the reference.
@Suite("RESP encoding")
struct RESPEncoderTests {
    /// Every command the protocol sends, with keys, values and numbers at the edges: empty and binary values
    /// (with `\0`, `\r`, `\n`), multi-byte UTF-8 keys, zero, large and negative numbers.
    static let commands: [Command] = {
        let token = Token(worker: 12, call: 3_456)
        let values = [CacheValue(bytes: []), CacheValue(bytes: [0, 13, 10, 255, 36, 42]), CacheValue(version: 7)]
        var commands: [Command] = []
        for key in ["k", "", "clé:ü€", String(repeating: "x", count: 300)] {
            commands += [.get(key: key), .delete(key: key), .release(key: key, token: token)]
            for number in [0, 1, 9, 10, 5_000, 299_999, Int.max, -1, Int.min] {
                commands.append(.acquire(key: key, token: token, ttlMilliseconds: number))
                for value in values {
                    commands.append(.set(key: key, value: value, ttlSeconds: number))
                    commands.append(.fencedWrite(key: key, value: value, token: token, ttlSeconds: number))
                }
            }
        }
        return commands
    }()

    @Test("the encoder writes hiredis's bytes for every command, under any key prefix", arguments: ["", "run:42:"])
    func matchesHiredis(prefix: String) {
        var encoder = RESPEncoder(capacity: 8)
        for command in Self.commands {
            let arguments = command.redisArguments(keyPrefix: prefix)
            encoder.reset()
            command.writeRedisArguments(keyPrefix: prefix, into: &encoder)
            #expect(encoder.bytes == hiredisFormattedCommand(arguments), "\(command)")
            #expect(encoder.name == String(decoding: arguments[0], as: UTF8.self))
        }
    }

    @Test("a reset forgets the last command, so a reused encoder writes only the next one")
    func resetForgets() {
        var encoder = RESPEncoder()
        Command.set(key: "a", value: CacheValue(version: 1), ttlSeconds: 300).writeRedisArguments(
            keyPrefix: "p:", into: &encoder)
        encoder.reset()
        Command.get(key: "b").writeRedisArguments(keyPrefix: "p:", into: &encoder)
        #expect(encoder.bytes == Array("*2\r\n$3\r\nGET\r\n$3\r\np:b\r\n".utf8))
        #expect(encoder.name == "GET")
    }
}
