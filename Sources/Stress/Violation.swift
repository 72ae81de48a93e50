import Trace

/// One property violation found in a stress run's history, with the events around it.
public struct Violation: Sendable, Hashable {
    /// The property broken, by DESIGN.md's name.
    public var property: PropertyName
    /// When it happened, on the server's clock (microseconds since the epoch).
    public var serverMicroseconds: Int64
    /// The key it concerns (unprefixed, the cache key even for a lease).
    public var key: String
    /// One line: what happened, naming the calls by their tokens.
    public var summary: String
    /// The events of the same key just before and after, the culprit marked: what a reviewer reads first.
    public var context: [ContextLine]

    public init(
        property: PropertyName, serverMicroseconds: Int64, key: String, summary: String, context: [ContextLine]
    ) {
        self.property = property
        self.serverMicroseconds = serverMicroseconds
        self.key = key
        self.summary = summary
        self.context = context
    }
}

/// One line of a violation's context: a server event (from MONITOR, replies and expiries from the replay) or a
/// client-side origin load.
public struct ContextLine: Sendable, Hashable {
    /// When, on the server's clock (client times are mapped onto it by ``ClockOffset``).
    public var serverMicroseconds: Int64
    /// Who: a worker (`w3`), a writer, `server` for an expiry, `origin` for a load, or the client's `ip:port`.
    public var actor: String
    /// What, in the trace vocabulary: `exec SET race:1 v4 EX 300 -> OK`, `expire lease:race:1`, `load-start ...`.
    public var text: String
    /// Whether this is the event that broke the property.
    public var isCulprit: Bool

    public init(serverMicroseconds: Int64, actor: String, text: String, isCulprit: Bool) {
        self.serverMicroseconds = serverMicroseconds
        self.actor = actor
        self.text = text
        self.isCulprit = isCulprit
    }
}
