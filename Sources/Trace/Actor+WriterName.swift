extension Actor {
    /// Whether `name` reads back as the writer of that name in every trace form.
    ///
    /// ``Actor/writer(_:)`` takes any string, but a trace prints an actor by its name alone: a writer named
    /// `server` or `w1` would read back as the server or worker 1, and a name with a space would split the line.
    /// The names that survive are exactly those ``Actor/init(parsing:)`` maps back to the same writer; a scenario
    /// loader should refuse any other.
    public static func isValidWriterName(_ name: String) -> Bool {
        Actor(parsing: name) == .writer(name)
    }
}
