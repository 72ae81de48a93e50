@testable import LeaseModel
import Scenario
import Testing
import Trace

// The model's semantics through the actions it offers (STYLE.md 15): timers at their deadline and one tick
// before, expiries before same-instant items, queued calls, silent actions, and the path a simulator replays.

/// Follows the first enabled action until `stop` says so; returns the state and its actions there.
private func walkFirst(
    _ model: LeaseModel, from start: ModelState? = nil, until stop: (ModelState, [ModelAction]) -> Bool
) -> (state: ModelState, actions: [ModelAction])? {
    var state = start ?? model.initialStates[0]
    for _ in 0..<1_000 {
        let actions = model.actions(in: state)
        if stop(state, actions) { return (state, actions) }
        guard let first = actions.first else { return nil }
        state = model.next(state, after: first)
    }
    return nil
}

private let oneCall = """
    keys:
      user:1: {cached: 1, source: 1}
    workers: 1
    calls:
      - {at: 0ms, worker: w1, key: user:1}
    network:
      latency: 1ms
    """

@Test("a command timeout fires at its deadline only when the reply arrives no sooner; one tick later, never")
func commandTimeoutAtTheDeadline() throws {
    let edge = try scenario("""
        name: timeout-edge
        protocols:
          - at-deadline: {preset: pr-4821, command-timeout: 2ms}
          - a-tick-later: {preset: pr-4821, command-timeout: 2001us}
        \(oneCall)
        """)
    // The GET goes out at 0, executes at 1ms, and its reply arrives at 2ms.
    let atDeadline = LeaseModel(scenario: edge, variant: try namedVariant(edge, "at-deadline").variant)
    let race = try #require(walkFirst(atDeadline) { _, actions in actions.first?.timeMicroseconds == 2_000 })
    #expect(race.actions.map(\.item) == [.reply(worker: 1), .commandTimeout(worker: 1)])
    let timedOut = atDeadline.next(race.state, after: race.actions[1])
    #expect(race.actions[1].event == TraceEvent(
        timeMicroseconds: 2_000, actor: w1, kind: .commandTimeout(.get(key: key))))
    #expect(atDeadline.actions(in: timedOut).compactMap(\.event) == [
        TraceEvent(timeMicroseconds: 2_000, actor: w1, kind: .return(.error(.commandTimeout)))
    ])

    let later = LeaseModel(scenario: edge, variant: try namedVariant(edge, "a-tick-later").variant)
    let noRace = try #require(walkFirst(later) { _, actions in actions.first?.timeMicroseconds == 2_000 })
    #expect(noRace.actions.map(\.item) == [.reply(worker: 1)])
}

@Test("an expiry goes before anything else due at its instant, and not one tick earlier")
func expiryComesFirst() throws {
    func model(secondCallAt at: String) throws -> LeaseModel {
        let edge = try scenario("""
            name: expiry-edge
            protocols:
              - short: {preset: pr-4821, lease-ttl: 997ms}
            keys:
              user:1: {cached: 1, source: 1}
            workers: 2
            calls:
              - {at: 0ms, worker: w1, key: user:1}
              - {at: \(at), worker: w2, key: user:1}
            network:
              latency: 1ms
            origin:
              latency: 2s
            """)
        return LeaseModel(scenario: edge, variant: edge.protocols[0].variant)
    }
    // w1's acquire executes at 3ms: deadline 3 + 997 = 1000 ms, so the lease expires at 1001.000 ms.
    let atExpiry = try model(secondCallAt: "1001ms")
    let due = try #require(walkFirst(atExpiry) { _, actions in (actions.first?.timeMicroseconds ?? 0) >= 1_000_000 })
    #expect(due.actions.map(\.item) == [.expire(key: 0, lease: true)])
    #expect(due.actions[0].event == TraceEvent(timeMicroseconds: 1_001_000, actor: .server, kind: .expire(key: leaseKey)))
    let after = atExpiry.next(due.state, after: due.actions[0])
    #expect(atExpiry.actions(in: after).map(\.item) == [.callStart(call: 1)])

    let aTickBefore = try model(secondCallAt: "1000999us")
    let call = try #require(walkFirst(aTickBefore) { _, actions in (actions.first?.timeMicroseconds ?? 0) >= 1_000_000 })
    #expect(call.actions.map(\.item) == [.callStart(call: 1)])
    #expect(call.actions[0].timeMicroseconds == 1_000_999)
}

@Test("a call due while its worker is busy waits silently and starts with the previous call's return")
func queuedCalls() throws {
    let queued = try scenario("""
        name: queued
        protocols: [pr-4821]
        keys:
          user:1: {cached: 1, source: 1}
        workers: 1
        calls:
          - {at: 0ms, worker: w1, key: user:1}
          - {at: 0ms, worker: w1, key: user:1}
        network:
          latency: 1ms
        """)
    let model = LeaseModel(scenario: queued, variant: Preset.pr4821.variant)
    let start = model.initialStates[0]
    // Both calls are due at 0: either may start first (the simulator's chooser orders same-instant items).
    let first = model.actions(in: start)
    #expect(first.map(\.item) == [.callStart(call: 0), .callStart(call: 1)])
    #expect(first[1].event?.kind == .call(key: key, call: 2))
    // The other then joins the queue without an event.
    let secondFirst = model.next(start, after: first[1])
    let join = try #require(model.actions(in: secondFirst).first { $0.item == .callStart(call: 0) })
    #expect(join.event == nil)
    // When call 2 returns, call 1 starts at that instant, in the same item: nothing can come between.
    let returned = try #require(walkFirst(model, from: model.next(secondFirst, after: join)) { _, actions in
        actions.first?.event.map { if case .return = $0.kind { return true } else { return false } } ?? false
    })
    let afterReturn = model.next(returned.state, after: returned.actions[0])
    let next = model.actions(in: afterReturn)
    #expect(next.map(\.item) == [.continuation])
    #expect(next[0].event == TraceEvent(
        timeMicroseconds: returned.actions[0].timeMicroseconds, actor: w1, kind: .call(key: key, call: 1)))
}

@Test("silent actions are only replies that send, calls that queue, and continuations; time never goes back")
func silentActionsAndTime() throws {
    for (name, protocolName) in [("non-atomic-release", "get-then-delete"), ("lost-acquire-reply", "pr-4821"),
                                 ("redis-restart-mid-reload", "pr-4821")] {
        let model = try bundledModel(name, protocolName)
        var seen = Set<UInt64>()
        var frontier = model.initialStates
        while let state = frontier.popLast() {
            let successors = model.successors(of: state)
            #expect(successors.map(\.action) == model.actions(in: state))
            for successor in successors {
                let action = successor.action
                #expect(action.timeMicroseconds >= state.nowMicroseconds)
                #expect(successor.state.nowMicroseconds == action.timeMicroseconds)
                #expect(model.next(state, after: action) == successor.state)
                if let event = action.event {
                    #expect(event.timeMicroseconds == action.timeMicroseconds)
                } else {
                    switch action.item {
                    case .reply, .callStart, .continuation: break
                    case .expire, .sourceWrite, .restart, .request, .commandTimeout, .originAnswer, .originTimer,
                        .resume:
                        Issue.record("\(name): a silent \(action)")
                    }
                }
                if seen.insert(successor.state.fingerprint).inserted { frontier.append(successor.state) }
            }
        }
    }
}

@Test("a maybe restart gives two initial states, happening first; a pause lasts its fault's length")
func faultsAsChoices() throws {
    let restart = try bundledModel("redis-restart-mid-reload", "pr-4821")
    #expect(restart.initialStates.count == 2)
    let report = try cachedReport("redis-restart-mid-reload", "pr-4821")
    guard case .reached(let contended) = report.verdict(.contendedCall) else {
        Issue.record("no contended call")
        return
    }
    #expect(contended.initialStateIndex == 1)  // only without the restart does w2 find w1's lease
    #expect(!contended.events.contains { $0.kind == .restart })

    let pause = try cachedReport("lease-expiry-pause", "pr-4821")
    let path = try #require(counterexample(pause, .noStaleOverwrite))
    let paused = try #require(path.events.first { $0.kind == .pause(.afterLoad) })
    let resumed = try #require(path.events.first { $0.kind == .resume(.afterLoad) })
    #expect(resumed.timeMicroseconds - paused.timeMicroseconds == 6_000_000)
}

@Test("a path's choice script names every delay, maybe fault and same-instant order as the simulator asks")
func choiceScriptOfAPath() throws {
    let model = try bundledModel("lease-expiry-slow-origin", "pr-4821")
    let report = Explorer(model: model, protocolName: "pr-4821").run()
    let path = try #require(counterexample(report, .noStaleOverwrite))
    let script = model.choiceScript(for: path)
    #expect(script.delays[.network(worker: 1, call: 1, command: 1, direction: .request)] == 1_000)
    #expect(script.delays[.network(worker: 2, call: 1, command: 4, direction: .reply)] == 1_000)
    #expect(script.delays[.origin(worker: 2, call: 1)] == 50_000)
    #expect(script.delays[.origin(worker: 1, call: 1)] == nil)  // the override fixes w1's load: no choice
    #expect(script.faults.isEmpty)
    #expect(script.order.first == .callStart(worker: 1, call: 1))
    #expect(script.order.contains(.originAnswer(worker: 1, call: 1)))
    // The path replays on the model, action by action.
    let end = model.replay(path)
    #expect(end.cachedVersion(ofKey: 0) == 1 && end.sourceVersion(ofKey: 0) == 2)
}
