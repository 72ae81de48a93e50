import Trace

/// Random trace events of every kind, drawn from one SplitMix64, for the round-trip tests.
///
/// Biased towards what breaks a text form: values of any bytes (spaces, quotes, backslashes, NUL, CR, LF, high
/// bytes, invalid UTF-8), bulks that look like other reply shapes (`OK`, `nil`, `12`, `ERR(x)`), keys with `:`
/// and non-ASCII, extreme integers and times.
struct RandomTraceEvents {
    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func events(count: Int) -> [TraceEvent] {
        (0..<count).map { _ in event() }
    }

    mutating func event() -> TraceEvent {
        TraceEvent(timeMicroseconds: time(), actor: actor(), kind: kind())
    }

    // MARK: - Events

    mutating func time() -> Int64 {
        switch random.below(10) {
        case 0: return random.pick([0, 1, 999, 1000, -1, -1000, Int64.max, Int64.min, 9_999_999_999])
        case 1: return Int64(bitPattern: random.next())
        default: return Int64(random.below(10_000_000_000))
        }
    }

    mutating func actor() -> Actor {
        switch random.below(6) {
        case 0, 1, 2: return .worker(1 + random.below(random.chance(90) ? 12 : 100_000))
        case 3, 4: return .writer(writerName())
        default: return .server
        }
    }

    mutating func writerName() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let rest = letters + Array("0123456789-_")
        while true {
            if random.chance(30) { return random.pick(["writer", "writer-2", "admin", "w0", "w01", "end"]) }
            var name = String(random.pick(letters))
            for _ in 0..<random.below(10) { name.append(random.pick(rest)) }
            if Actor.isValidWriterName(name) { return name }
        }
    }

    mutating func kind() -> EventKind {
        switch random.below(15) {
        case 0: return .call(key: key(), call: integer())
        case 1: return .exec(command(), reply())
        case 2: return .replyLost(command())
        case 3: return .commandTimeout(command())
        case 4: return .connectionLost(command())
        case 5: return .loadStart(key: key(), version: integer())
        case 6: return .loadEnd(key: key(), version: integer())
        case 7: return .loadFail(key: key(), reason: string())
        case 8: return .originTimeout(key: key())
        case 9: return .pause(random.pick(PausePoint.allCases))
        case 10: return .resume(random.pick(PausePoint.allCases))
        case 11: return .write(key: key(), version: integer())
        case 12: return .expire(key: random.chance(50) ? Command.leaseKey(of: key()) : key())
        case 13: return .restart
        default: return .return(outcome())
        }
    }

    // MARK: - Content

    mutating func command() -> Command {
        switch random.below(6) {
        case 0: return .get(key: key())
        case 1: return .acquire(key: key(), token: token(), ttlMilliseconds: integer())
        case 2: return .set(key: key(), value: value(), ttlSeconds: integer())
        case 3: return .delete(key: random.chance(50) ? Command.leaseKey(of: key()) : key())
        case 4: return .release(key: key(), token: token())
        default: return .fencedWrite(key: key(), value: value(), token: token(), ttlSeconds: integer())
        }
    }

    mutating func reply() -> Reply {
        switch random.below(6) {
        case 0: return random.chance(50) ? .ok : .status(random.chance(50) ? random.pick(["QUEUED", "PONG", "A-1_B"]) : string())
        case 1: return .null
        case 2: return .bulk(bytes())
        case 3: return .integer(random.chance(50) ? Int64(random.below(3)) : Int64(bitPattern: random.next()))
        case 4: return .error(string())
        default: return .other(string())
        }
    }

    mutating func outcome() -> Outcome {
        switch random.below(4) {
        case 0: return .fresh(value(), leaseLost: random.chance(50))
        case 1: return .stale(value(), random.pick(StaleReason.allCases))
        case 2: return .miss
        default: return .error(random.pick(ErrorReason.allCases))
        }
    }

    mutating func token() -> Token {
        random.chance(70) ? Token(worker: 1 + random.below(12), call: 1 + random.below(9)) : Token(string())
    }

    mutating func value() -> CacheValue {
        random.chance(40) ? CacheValue(version: random.below(20)) : CacheValue(bytes: bytes())
    }

    mutating func integer() -> Int {
        switch random.below(5) {
        case 0: return random.pick([0, -1, Int.max, Int.min])
        case 1: return Int(bitPattern: UInt(random.next()))
        default: return random.below(10_000)
        }
    }

    /// A key: usually `user:<n>`, sometimes any string (they must survive too).
    mutating func key() -> String {
        random.chance(60) ? "user:\(random.below(5))" : string()
    }

    /// Any string, from scalars chosen to be awkward: separators, quotes, escapes, controls, non-ASCII.
    mutating func string() -> String {
        let awkward: [Unicode.Scalar] = [
            " ", "\"", "\\", "\0", "\r", "\n", "\t", ":", "#", ";", "%", "<", "&", "(", ")", "-", ">", "x",
            "é", "中", "🙂", "\u{301}", "\u{7F}", "\u{85}", "ﬂ", "¶",
        ]
        if random.chance(20) { return random.pick(["", "OK", "nil", "12", "-3", "lease:x", "ERR(x)", "STATUS(y)"]) }
        var scalars = String.UnicodeScalarView()
        for _ in 0..<random.below(12) {
            if random.chance(50) {
                scalars.append(random.pick(awkward))
            } else {
                scalars.append(Unicode.Scalar(UInt8(0x21 + random.below(0x5E))))
            }
        }
        return String(scalars)
    }

    /// Any bytes: symbolic values, reply look-alikes, strings, and raw bytes (often not UTF-8).
    mutating func bytes() -> [UInt8] {
        switch random.below(5) {
        case 0:
            return Array(random.pick(["v3", "w1.1", "OK", "nil", "12", "-7", "ERR(x)", "OTHER(y)", "STATUS(z)", "\"q\"",
                "->", "lease-lost", "", " ", "QUEUED", "v", "-", "0", "ERR(", "a\"b", "a\\b"]).utf8)
        case 1, 2:
            return Array(string().utf8)
        default:
            return (0..<random.below(12)).map { _ in
                random.chance(30) ? random.pick([0x00, 0x0A, 0x0D, 0x20, 0x22, 0x5C, 0x7F, 0x80, 0xC3, 0xFF]) : UInt8(random.below(256))
            }
        }
    }
}
