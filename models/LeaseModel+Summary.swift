import Trace

extension LeaseModel {
    /// The states a trace's events can lead to (silent actions after the last event included), deduplicated: where
    /// ``fit(_:complete:)`` stands after them. Empty when the events do not fit.
    public func states(after events: [TraceEvent]) -> [ModelState] {
        var states = initialStates
        for event in events {
            states = successors(of: states, making: event)
            if states.isEmpty { return [] }
        }
        return silentClosure(of: states)
    }

    /// A state in a few readable lines, for a divergence report: the instant, Redis, the source, each busy
    /// worker's call and what it waits for, the origin's loads, and what is still to come.
    public func summary(of state: ModelState) -> [String] {
        var lines = ["at \(state.nowMicroseconds)us"]
        for (index, name) in keyNames.enumerated() {
            var parts: [String] = []
            if let entry = state.redis.cache[index] {
                parts.append("\(name) = v\(entry.version) until \(entry.deadlineMilliseconds) ms")
            } else {
                parts.append("\(name) not cached")
            }
            if let lease = state.redis.leases[index] {
                parts.append("\(leaseKeyNames[index]) = \(lease.token) until \(lease.deadlineMilliseconds) ms")
            }
            parts.append("source v\(state.sourceVersions[index])")
            lines.append("redis: " + parts.joined(separator: ", "))
        }
        for number in 1...state.workers.count {
            let worker = state[worker: number]
            var parts: [String] = []
            if let call = worker.call {
                parts.append("call \(call.callNumber) on \(keyNames[call.key]): \(call.phase)")
            } else {
                parts.append("idle")
            }
            if let outstanding = worker.outstanding {
                let command = traceCommand(outstanding.command)
                switch outstanding.message {
                case .request(let arrival): parts.append("\(command) on its way, arrives \(arrival)")
                case .reply(let reply, let arrival):
                    parts.append("reply \(traceReply(reply)) to \(command) arrives \(arrival)")
                case .connectionLost(let arrival): parts.append("\(command)'s connection lost, noticed \(arrival)")
                case .restartNotice(let arrival): parts.append("\(command)'s connection reset, noticed \(arrival)")
                case .lost: parts.append("\(command)'s reply lost")
                }
                if outstanding.timeoutArmed { parts.append("command timeout at \(outstanding.deadlineMicroseconds)us") }
            }
            if let pause = worker.pause { parts.append("paused at \(pause.point.rawValue) until \(pause.resume)") }
            if !worker.waiting.isEmpty { parts.append("\(worker.waiting.count) calls queued") }
            lines.append("w\(number): " + parts.joined(separator: "; "))
        }
        for load in state.loads {
            lines.append(
                "origin: w\(load.worker).\(load.call) loads \(keyNames[load.key]) v\(load.version), answers \(load.arrival)")
        }
        let due = state.calls.indices.filter { state.calls[$0] == .due }.map {
            "w\(calls[$0].worker).\(calls[$0].callNumber)"
        }
        let writes = state.writesDone.indices.filter { !state.writesDone[$0] }.map { "write \($0)" }
        if !due.isEmpty || !writes.isEmpty {
            lines.append("to come: " + (due.map { "call " + $0 } + writes).joined(separator: ", "))
        }
        if !state.continuation.isEmpty {
            lines.append("in the middle of an item: \(state.continuation.count) steps left")
        }
        return lines
    }
}
