extension TraceMermaid {
    /// The diagram's participants and the id each actor goes by.
    ///
    /// Workers are `w<n>`; a writer whose name is a plain identifier goes by its name, any other by `writer_<n>`
    /// with its name as the alias; the server is `Redis`. The order is fixed (workers by number, writers by name,
    /// `Redis`, `Origin`), whatever order the actors first appear in.
    struct Participants {
        /// The `participant` lines, in order.
        private(set) var declarations: [String] = []
        private var writerIDs: [String: String] = [:]

        init(_ events: [TraceEvent]) {
            var workers: Set<Int> = []
            var writers: Set<String> = []
            for event in events {
                switch event.actor {
                case .worker(let number): workers.insert(number)
                case .writer(let name): writers.insert(name)
                case .server: break
                }
            }
            for number in workers.sorted() {
                declarations.append("participant w\(number)")
            }
            var used: Set<String> = ["Redis", "Origin"]
            for number in workers.sorted() { used.insert("w\(number)") }
            let sortedWriters = writers.sorted()
            // Plain names first, so a fallback id never takes a name a writer already has.
            for name in sortedWriters where TraceMermaid.isPlainIdentifier(name) && !used.contains(name) {
                writerIDs[name] = name
                used.insert(name)
            }
            var fallback = 0
            for name in sortedWriters {
                if let id = writerIDs[name] {
                    declarations.append("participant \(id)")
                    continue
                }
                var id: String
                repeat {
                    fallback += 1
                    id = "writer_\(fallback)"
                } while used.contains(id)
                used.insert(id)
                writerIDs[name] = id
                declarations.append("participant \(id) as \(TraceMermaid.escaped(name))")
            }
            declarations.append("participant Redis")
            declarations.append("participant Origin")
        }

        /// The id an actor goes by in the diagram.
        func id(of actor: Actor) -> String {
            switch actor {
            case .worker(let number):
                return "w\(number)"
            case .writer(let name):
                guard let id = writerIDs[name] else {
                    preconditionFailure("TraceMermaid: writer \(name) was not declared")
                }
                return id
            case .server:
                return "Redis"
            }
        }
    }
}
