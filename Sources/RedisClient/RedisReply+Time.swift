extension RedisReply {
    /// `TIME`'s reply, `[seconds, microseconds]` as two bulk strings, in µs; nil for any other shape.
    public var timeMicroseconds: Int64? {
        guard case .array(let parts) = self, parts.count == 2,
            case .bulk(let secondsBytes) = parts[0], case .bulk(let microsecondsBytes) = parts[1],
            let seconds = Int64(String(decoding: secondsBytes, as: UTF8.self)),
            let microseconds = Int64(String(decoding: microsecondsBytes, as: UTF8.self))
        else { return nil }
        return seconds * 1_000_000 + microseconds
    }
}
