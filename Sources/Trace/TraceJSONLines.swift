/// The machine form of a trace: JSON Lines, one object per event, keys in a fixed order.
///
///     {"time_us":2000,"actor":"w1","event":"exec","command":{"op":"get","key":"user:1"},"reply":{"type":"nil"}}
///
/// Every object starts `time_us` (integer microseconds, exact where the text form's milliseconds are for eyes),
/// `actor`, `event` (``EventKind/name``), then the kind's fields: `call` {key, call}; `exec` {command, reply};
/// `reply-lost`, `command-timeout`, `connection-lost` {command}; `load-start`, `load-end` {key, version};
/// `load-fail` {key, reason}; `origin-timeout` {key}; `pause`, `resume` {point}; `write` {key, version};
/// `expire` {key}; `restart` {}; `return` {outcome}.
///
/// - command: `{"op":"get","key":..}`, `{"op":"acquire","key":..,"token":..,"ttl_ms":..}` (the cache key, without
///   `lease:`, as in ``Command``), `{"op":"set","key":..,"value":..,"ttl_s":..}`, `{"op":"del","key":..}`,
///   `{"op":"release","key":..,"token":..}`, `{"op":"fenced-write","key":..,"value":..,"token":..,"ttl_s":..}`;
/// - reply: `{"type":"status","text":..}`, `{"type":"nil"}`, `{"type":"bulk","bytes":..}`,
///   `{"type":"integer","value":..}`, `{"type":"error","message":..}`, `{"type":"other","shape":..}`;
/// - outcome: `{"kind":"fresh","value":..,"lease_lost":false}`, `{"kind":"stale","value":..,"reason":..}`,
///   `{"kind":"miss"}`, `{"kind":"error","reason":..}`.
///
/// Bytes (values, bulk replies) are a JSON string when they are valid UTF-8, and otherwise the object
/// `{"base64":"<standard base64 with padding>"}` in the string's place: readable for the values traces hold
/// (`"v3"`), exact for any bytes, and never ambiguous, since a string is never an object. Strings are written
/// with JSON's short escapes and `\u00xx` for other control characters; the output is the same bytes every run.
public enum TraceJSONLines {
    /// The events, one ``line(_:)`` each, every line ending with `\n`.
    public static func format(_ events: [TraceEvent]) -> String {
        var text = ""
        for event in events {
            text += line(event)
            text += "\n"
        }
        return text
    }

    /// One event as one JSON object, without the line break.
    public static func line(_ event: TraceEvent) -> String {
        var object = JSONObjectWriter()
        object.integer("time_us", event.timeMicroseconds)
        object.string("actor", event.actor.description)
        object.string("event", event.kind.name)
        switch event.kind {
        case .call(let key, let call):
            object.string("key", key)
            object.integer("call", call)
        case .exec(let command, let reply):
            object.object("command", Self.object(command))
            object.object("reply", Self.object(reply))
        case .replyLost(let command), .commandTimeout(let command), .connectionLost(let command):
            object.object("command", Self.object(command))
        case .loadStart(let key, let version), .loadEnd(let key, let version), .write(let key, let version):
            object.string("key", key)
            object.integer("version", version)
        case .loadFail(let key, let reason):
            object.string("key", key)
            object.string("reason", reason)
        case .originTimeout(let key), .expire(let key):
            object.string("key", key)
        case .pause(let point), .resume(let point):
            object.string("point", point.rawValue)
        case .restart:
            break
        case .return(let outcome):
            object.object("outcome", Self.object(outcome))
        }
        return object.finished
    }

    static func object(_ command: Command) -> JSONObjectWriter {
        var object = JSONObjectWriter()
        switch command {
        case .get(let key):
            object.string("op", "get")
            object.string("key", key)
        case .acquire(let key, let token, let ttlMilliseconds):
            object.string("op", "acquire")
            object.string("key", key)
            object.string("token", token.text)
            object.integer("ttl_ms", ttlMilliseconds)
        case .set(let key, let value, let ttlSeconds):
            object.string("op", "set")
            object.string("key", key)
            object.bytes("value", value.bytes)
            object.integer("ttl_s", ttlSeconds)
        case .delete(let key):
            object.string("op", "del")
            object.string("key", key)
        case .release(let key, let token):
            object.string("op", "release")
            object.string("key", key)
            object.string("token", token.text)
        case .fencedWrite(let key, let value, let token, let ttlSeconds):
            object.string("op", "fenced-write")
            object.string("key", key)
            object.bytes("value", value.bytes)
            object.string("token", token.text)
            object.integer("ttl_s", ttlSeconds)
        }
        return object
    }

    static func object(_ reply: Reply) -> JSONObjectWriter {
        var object = JSONObjectWriter()
        switch reply {
        case .status(let text):
            object.string("type", "status")
            object.string("text", text)
        case .null:
            object.string("type", "nil")
        case .bulk(let bytes):
            object.string("type", "bulk")
            object.bytes("bytes", bytes)
        case .integer(let value):
            object.string("type", "integer")
            object.integer("value", value)
        case .error(let message):
            object.string("type", "error")
            object.string("message", message)
        case .other(let shape):
            object.string("type", "other")
            object.string("shape", shape)
        }
        return object
    }

    static func object(_ outcome: Outcome) -> JSONObjectWriter {
        var object = JSONObjectWriter()
        switch outcome {
        case .fresh(let value, let leaseLost):
            object.string("kind", "fresh")
            object.bytes("value", value.bytes)
            object.bool("lease_lost", leaseLost)
        case .stale(let value, let reason):
            object.string("kind", "stale")
            object.bytes("value", value.bytes)
            object.string("reason", reason.rawValue)
        case .miss:
            object.string("kind", "miss")
        case .error(let reason):
            object.string("kind", "error")
            object.string("reason", reason.rawValue)
        }
        return object
    }
}
