extension LeaseModel {
    /// Checks what every reachable state must satisfy; a broken one is a model bug, so it stops with the state
    /// (STYLE.md 9). Run after every step in debug builds.
    func checkInvariants(_ state: ModelState) {
        func check(_ condition: Bool, _ rule: @autoclosure () -> String) {
            precondition(condition, "LeaseModel invariant: \(rule()) in \(state)")
        }
        let now = state.nowMicroseconds
        check(state.calls.count == calls.count && state.writesDone.count == writes.count, "sizes")
        var running = 0
        for (index, worker) in state.workers.enumerated() {
            let number = index + 1
            if let call = worker.call {
                running += 1
                check(state.calls[call.callIndex] == .running, "w\(number)'s call \(call.callIndex) is not running")
                check(calls[call.callIndex].worker == number, "w\(number) runs another worker's call")
                check(call.startedAtMicroseconds <= now, "w\(number)'s call starts in the future")
            } else {
                check(
                    worker.waiting.isEmpty || state.continuation.contains(.startNextCall(worker: number)),
                    "idle w\(number) has waiting calls and will not start them")
                check(worker.outstanding == nil && worker.pause == nil, "idle w\(number) waits or is paused")
            }
            for waiting in worker.waiting {
                check(state.calls[waiting] == .waiting && calls[waiting].worker == number, "w\(number)'s queue")
            }
            // The packed layout's bounds (``PackedLayout``): a worker loads again only after its last load
            // answered, unless an origin timeout let its call stop waiting; only a pause fault pauses a worker.
            if variant.originTimeoutMicroseconds == nil {
                check(state.loads.filter { $0.worker == number }.count <= 1, "w\(number) has two loads at the origin")
            }
            if let pause = worker.pause {
                check(hasPauseFaults, "w\(number) paused with no pause fault")
                check(worker.outstanding == nil, "w\(number) is paused with a command outstanding")
                check(pause.resume.isPoint && pause.resume.earliestMicroseconds >= now, "w\(number)'s resume")
            }
            if let outstanding = worker.outstanding, let call = worker.call {
                check(outstanding.number == call.commandsSent, "w\(number) waits on an old command")
                switch call.phase {
                case .reading, .evicting, .acquiring, .writing, .releasing, .releaseDeleting: break
                case .loading, .finished: check(false, "w\(number) waits on a command in phase \(call.phase)")
                }
                if let arrival = outstanding.message.arrival {
                    check(arrival.isPoint && arrival.earliestMicroseconds >= now, "w\(number)'s message arrival")
                }
                if outstanding.timeoutArmed {
                    check(outstanding.deadlineMicroseconds >= now, "w\(number)'s command timeout is past")
                }
            }
            if let call = worker.call, case .loading(_, let timer?) = call.phase, worker.pause == nil {
                check(timer >= now, "w\(number)'s origin timer is past")
            }
        }
        check(state.calls.filter { $0 == .running }.count == running, "running calls without a worker")
        for (position, load) in state.loads.enumerated() {
            check(load.arrival.isPoint && load.arrival.earliestMicroseconds >= now, "a load answers in the past")
            if position > 0 { check(state.loads[position - 1] < load, "loads out of order or repeated") }
        }
        // A key may sit at its expiry instant only while its `expire` is still to come at this instant.
        for entry in state.redis.cache {
            if let entry {
                check(ModelRedis.expiryInstant(deadlineMilliseconds: entry.deadlineMilliseconds) >= now, "stale cache")
            }
        }
        for lease in state.redis.leases {
            if let lease {
                check(ModelRedis.expiryInstant(deadlineMilliseconds: lease.deadlineMilliseconds) >= now, "stale lease")
            }
        }
        if state.ghostHorizonMicroseconds != 0 {
            check(state.ghostHorizonMicroseconds > now, "a ghost horizon in the past")
        }
    }
}
