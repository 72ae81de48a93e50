import CHiredis

/// Lays out a command's arguments as the `argc`, `argv`, `argvlen` triple that `redisCommandArgv` and
/// `redisAppendCommandArgv` take, and calls `body` with them.
///
/// Every argument goes with an explicit length, so keys and values holding `\0`, `\r` or `\n` travel intact (the
/// printf-style `redisCommand` would stop at `\0`, and does not import into Swift anyway). The bytes are packed
/// into one buffer so that the pointers stay valid for the whole call with a single `withUnsafeBufferPointer`.
func withHiredisArguments<Result>(
    _ arguments: [[UInt8]],
    _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
) -> Result {
    precondition(!arguments.isEmpty, "a Redis command needs at least its name")
    precondition(arguments.count <= Int(Int32.max), "\(arguments.count) arguments do not fit hiredis's int argc")
    var packed: [UInt8] = []
    packed.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
    var lengths: [Int] = []
    lengths.reserveCapacity(arguments.count)
    for argument in arguments {
        packed.append(contentsOf: argument)
        lengths.append(argument.count)
    }
    // One spare byte: an all-empty argument list still has a non-null base address to point at.
    packed.append(0)
    return packed.withUnsafeBufferPointer { packedBytes in
        packedBytes.withMemoryRebound(to: CChar.self) { packedCharacters in
            let base = packedCharacters.baseAddress!
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(arguments.count)
            var offset = 0
            for length in lengths {
                pointers.append(base + offset)
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    body(Int32(arguments.count), argv.baseAddress!, argvlen.baseAddress!)
                }
            }
        }
    }
}

/// The command's name for error messages: the first argument, uppercased; never the other arguments, which may
/// be values or passwords.
func commandName(_ arguments: [[UInt8]]) -> String {
    guard let first = arguments.first else { return "(empty command)" }
    return String(decoding: first.prefix(32), as: UTF8.self).uppercased()
}

/// The RESP hiredis itself writes for `arguments` (`redisFormatCommandArgv`): the reference a caller that formats
/// its own commands (``RedisConnection/append(formatted:name:)``) is checked against.
public func hiredisFormattedCommand(_ arguments: [[UInt8]]) -> [UInt8] {
    withHiredisArguments(arguments) { count, argv, lengths -> [UInt8] in
        var target: UnsafeMutablePointer<CChar>?
        let length = argv.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: Int(count)) { pointers in
            redisFormatCommandArgv(&target, count, pointers, lengths)
        }
        guard length >= 0, let target else {
            preconditionFailure("redisFormatCommandArgv failed (out of memory)")
        }
        defer { redisFreeCommand(target) }
        return target.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { bytes in
            Array(UnsafeBufferPointer(start: bytes, count: Int(length)))
        }
    }
}
