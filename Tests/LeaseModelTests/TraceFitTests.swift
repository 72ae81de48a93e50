import LeaseModel
import Testing
import Trace

@Test("a counterexample's trace fits the model; a whole run fits as complete; a cut one does not")
func pathsFit() throws {
    let model = try bundledModel("lost-acquire-reply", "pr-4821")
    let report = try cachedReport("lost-acquire-reply", "pr-4821")
    let path = try #require(counterexample(report, .noOrphanedLease))
    #expect(model.fit(path.events, complete: false) == .fits)
    // Follow the first action to the end of the run: a whole trace.
    var state = model.replay(path)
    var events = path.events
    while let action = model.actions(in: state).first {
        if let event = action.event { events.append(event) }
        state = model.next(state, after: action)
    }
    #expect(model.fit(events, complete: true) == .fits)
    guard case .endsEarly(let pending) = model.fit(Array(events.dropLast()), complete: true) else {
        Issue.record("a run cut short was taken for a whole one")
        return
    }
    #expect(pending.contains(events.last!))
}

@Test("an event the model does not allow is reported at its index, with what the model would have allowed")
func divergenceIsReported() throws {
    let model = try bundledModel("lost-acquire-reply", "pr-4821")
    let path = try #require(counterexample(try cachedReport("lost-acquire-reply", "pr-4821"), .noOrphanedLease))
    var events = path.events
    // The acquire's reply made to say nil: the server would have stored the lease.
    events[2] = event(3, w1, .exec(acquire(1, 1), .null))
    guard case .diverges(let index, let allowed) = model.fit(events, complete: false) else {
        Issue.record("a wrong reply was accepted")
        return
    }
    #expect(index == 2)
    #expect(allowed.contains(event(3, w1, .exec(acquire(1, 1), .ok))))
    // An event at another instant than the model's delays allow diverges too.
    var late = path.events
    late[1].timeMicroseconds = 2_500
    guard case .diverges(let lateIndex, _) = model.fit(late, complete: false) else {
        Issue.record("a delay outside the explored values was accepted")
        return
    }
    #expect(lateIndex == 1)
}
