/// The canonical text form of a trace: what golden files `traces/<scenario>.<preset>.trace` hold.
///
/// One event per line, so a changed trace diffs line by line:
///
///     <time> <actor> <event> <content...>
///
/// - time: milliseconds with exactly three decimals, right-aligned in 10 characters, which line up times to
///   999,999.999 ms (over 16 minutes of virtual time); wider times grow the line;
/// - actor: `w1`, `writer`, `server`, left-aligned in 6 characters (longer names grow the line);
/// - event: ``EventKind/name``;
/// - content: the event's words, separated by single spaces (none for `restart`): `call <key> <call>`,
///   `exec <command> -> <reply>`, `reply-lost <command>`, `command-timeout <command>`,
///   `connection-lost <command>`, `load-start <key> v<version>`, `load-end <key> v<version>`,
///   `load-fail <key> <reason>`, `origin-timeout <key>`, `pause <point>`, `resume <point>`,
///   `write <key> v<version>`, `expire <key>`, `restart`, `return <outcome>`.
///
/// Keys, tokens, values and reasons are single words rendered by ``CacheValue/render(_:)`` (plain, or quoted
/// with escapes); commands are ``Command/traceText``, replies ``Reply/traceText`` (a bulk that would read as
/// another shape is quoted), outcomes ``Outcome/description``. ``parse(_:source:)`` inverts ``format(_:)``
/// exactly, and also skips blank lines and comment lines starting with `#`.
public enum TraceText {
    /// The width the time is right-aligned in: times up to 999,999.999 ms line up.
    static let timeWidth = 10
    /// The width the actor is left-aligned in: `server`, the longest built-in actor, fits.
    static let actorWidth = 6

    /// The events, one ``line(_:)`` each, every line ending with `\n`.
    public static func format(_ events: [TraceEvent]) -> String {
        var text = ""
        for event in events {
            text += line(event)
            text += "\n"
        }
        return text
    }

    /// The events after a header of comment lines (`# scenario ... preset ... seed 0`), each comment line
    /// starting with `# `; a comment with line breaks becomes several comment lines, so it cannot break the file.
    public static func format(_ events: [TraceEvent], comments: [String]) -> String {
        var text = ""
        for comment in comments {
            for commentLine in comment.split(separator: "\n", omittingEmptySubsequences: false) {
                text += commentLine.isEmpty ? "#\n" : "# " + commentLine + "\n"
            }
        }
        return text + format(events)
    }

    /// One event as a line of the text form, without the line break.
    public static func line(_ event: TraceEvent) -> String {
        var line = padded(milliseconds(event.timeMicroseconds), toWidth: timeWidth, alignRight: true)
        line += " "
        line += padded(event.actor.description, toWidth: actorWidth, alignRight: false)
        line += " "
        line += event.kind.name
        let words = content(of: event.kind)
        if !words.isEmpty {
            line += " "
            line += words
        }
        return line
    }

    /// The content words of an event, after its name; empty for `restart`.
    static func content(of kind: EventKind) -> String {
        switch kind {
        case .call(let key, let call):
            return "\(TraceWord.render(key)) \(call)"
        case .exec(let command, let reply):
            return "\(command.traceText) -> \(reply.traceText)"
        case .replyLost(let command), .commandTimeout(let command), .connectionLost(let command):
            return command.traceText
        case .loadStart(let key, let version), .loadEnd(let key, let version), .write(let key, let version):
            return "\(TraceWord.render(key)) v\(version)"
        case .loadFail(let key, let reason):
            return "\(TraceWord.render(key)) \(TraceWord.render(reason))"
        case .originTimeout(let key), .expire(let key):
            return TraceWord.render(key)
        case .pause(let point), .resume(let point):
            return point.rawValue
        case .restart:
            return ""
        case .return(let outcome):
            return outcome.description
        }
    }

    /// Microseconds as milliseconds with exactly three decimals: `2000` is `2.000`, `-1` is `-0.001`.
    static func milliseconds(_ microseconds: Int64) -> String {
        let magnitude = microseconds.magnitude
        let fraction = String(magnitude % 1000)
        let sign = microseconds < 0 ? "-" : ""
        return sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private static func padded(_ text: String, toWidth width: Int, alignRight: Bool) -> String {
        let count = text.count
        guard count < width else { return text }
        let padding = String(repeating: " ", count: width - count)
        return alignRight ? padding + text : text + padding
    }
}
