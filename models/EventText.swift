import Trace

/// A plain one-line rendering of trace events for reports: time in milliseconds with three decimals, actor,
/// event name and content (`   5.003 w1 exec SET lease:user:1 w1.1 PX 5000 NX -> OK`).
///
/// The model's own, for counterexamples; Trace's canonical text form, when it lands, is the one golden traces
/// use.
public enum EventText {
    /// One event as one line.
    public static func line(_ event: TraceEvent) -> String {
        let content = self.content(event.kind)
        let head = "\(time(event.timeMicroseconds)) \(event.actor) \(event.kind.name)"
        return content.isEmpty ? head : head + " " + content
    }

    /// Microseconds as milliseconds with three decimals, right-aligned to ten characters.
    public static func time(_ microseconds: Int64) -> String {
        let sign = microseconds < 0 ? "-" : ""
        let magnitude = microseconds.magnitude
        let fraction = String(magnitude % 1_000)
        let text = sign + String(magnitude / 1_000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        return String(repeating: " ", count: max(0, 10 - text.count)) + text
    }

    /// The content words of an event.
    public static func content(_ kind: EventKind) -> String {
        switch kind {
        case .call(let key, let call): return "\(key) \(call)"
        case .exec(let command, let reply): return "\(command) -> \(reply)"
        case .replyLost(let command), .commandTimeout(let command), .connectionLost(let command): return "\(command)"
        case .loadStart(let key, let version), .loadEnd(let key, let version): return "\(key) v\(version)"
        case .loadFail(let key, let reason): return "\(key) \(reason)"
        case .originTimeout(let key), .expire(let key): return key
        case .pause(let point), .resume(let point): return point.rawValue
        case .write(let key, let version): return "\(key) v\(version)"
        case .restart: return ""
        case .return(let outcome): return "\(outcome)"
        }
    }
}
