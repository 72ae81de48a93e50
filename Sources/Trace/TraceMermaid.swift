/// A trace as a Mermaid sequence diagram, for a reviewer to read a counterexample at a glance.
///
/// Participants in a fixed order: the workers by number, the writers by name, `Redis`, `Origin`. A command is an
/// arrow to Redis and its reply an arrow back (`--x` when the reply is lost); an origin load is an arrow to Origin
/// and its answer one back; everything else is a note. Each arrow that starts an event carries the event's time,
/// `[2.000ms]`. A lease held is an activation of its holder, from the acquire's `OK` (or a lost `SET NX` that took
/// a free lease) to the release, `DEL`, expiry or restart that ends it, with a note naming the lease key.
///
/// Keys, tokens and values are written as in the text form (``TraceText``), with Mermaid's special characters
/// turned into entities (``escaped(_:colons:)``), so any trace yields a diagram Mermaid parses.
public enum TraceMermaid {
    /// The diagram, every line ending with `\n`; `title` (when given and not blank) is its title.
    public static func format(_ events: [TraceEvent], title: String?) -> String {
        var diagram = Diagram(participants: Participants(events))
        if let title, title.contains(where: { !$0.isWhitespace }) {
            diagram.append("title " + escaped(title))
        }
        for participant in diagram.participants.declarations {
            diagram.append(participant)
        }
        for event in events {
            diagram.add(event)
        }
        return "sequenceDiagram\n" + diagram.lines.map { "    " + $0 + "\n" }.joined()
    }

    // MARK: - Events

    /// The lines being built, and the lease spans open so far.
    private struct Diagram {
        let participants: Participants
        var spans = MermaidLeaseSpans()
        var lines: [String] = []

        init(participants: Participants) {
            self.participants = participants
        }

        mutating func append(_ line: String) {
            lines.append(line)
        }

        mutating func add(_ event: TraceEvent) {
            let actor = participants.id(of: event.actor)
            let time = "[\(TraceText.milliseconds(event.timeMicroseconds))ms]"
            switch event.kind {
            case .call(let key, let call):
                note("over \(actor)", "call \(call) evictAndReload(\(TraceWord.render(key)))")
            case .exec(let command, let reply):
                message(actor, "->>", "Redis", "\(time) \(command.traceText)")
                message("Redis", "-->>", actor, reply.traceText)
                show(spans.executed(command, by: event.actor, reply: reply))
            case .replyLost(let command):
                message(actor, "->>", "Redis", "\(time) \(command.traceText)")
                message("Redis", "--x", actor, "(reply lost)")
                show(spans.executed(command, by: event.actor, reply: nil))
            case .connectionLost(let command):
                message(actor, "->>", "Redis", "\(time) \(command.traceText)")
                message("Redis", "--x", actor, "(connection lost)")
                show(spans.executed(command, by: event.actor, reply: nil))
            case .commandTimeout(let command):
                note("over \(actor)", "command timeout (\(command.traceText))")
            case .loadStart(let key, let version):
                message(actor, "->>", "Origin", "\(time) load \(TraceWord.render(key)) (reads v\(version))")
            case .loadEnd(_, let version):
                message("Origin", "-->>", actor, "\(time) v\(version)")
            case .loadFail(_, let reason):
                message("Origin", "--x", actor, "\(time) failed (\(TraceWord.render(reason)))")
            case .originTimeout:
                note("over \(actor)", "origin timeout")
            case .pause(let point):
                note("over \(actor)", "pause (\(point.rawValue))")
            case .resume:
                note("over \(actor)", "resume")
            case .write(let key, let version):
                note("over \(actor)", "source \(TraceWord.render(key)) -> v\(version)")
            case .expire(let key):
                let milliseconds = TraceText.milliseconds(event.timeMicroseconds)
                note("over Redis", "expire \(TraceWord.render(key)) @ \(milliseconds)ms")
                show(spans.expired(key))
            case .restart:
                note("over Redis", "restart (empty)")
                show(spans.restarted())
            case .return(let outcome):
                note("over \(actor)", "return \(outcome.description)")
            }
        }

        private mutating func show(_ changes: [MermaidLeaseSpans.Change]) {
            for change in changes {
                switch change {
                case .began(let holding):
                    let holder = participants.id(of: holding.holder)
                    append("activate \(holder)")
                    note("right of \(holder)", "holds \(TraceWord.render(holding.leaseKey))")
                case .ended(let holding):
                    append("deactivate \(participants.id(of: holding.holder))")
                }
            }
        }

        private mutating func message(_ from: String, _ arrow: String, _ to: String, _ text: String) {
            let line = "\(from)\(arrow)\(to): \(escaped(text))"
            let colons = needsColonEscapes(line: line, text: text)
            append(colons ? "\(from)\(arrow)\(to): \(escaped(text, colons: true))" : line)
        }

        private mutating func note(_ placement: String, _ text: String) {
            let line = "Note \(placement): \(escaped(text))"
            let colons = needsColonEscapes(line: line, text: text)
            append(colons ? "Note \(placement): \(escaped(text, colons: true))" : line)
        }
    }
}
