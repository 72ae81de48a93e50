@testable import LeaseModel
import Scenario
import Testing
import Trace

// The explorer and the trace replay take a fast path through the model: successors without their actions
// (no trace event, choices or identity built), states whose fixed-length lists are packed in place, and a
// replay that builds events only at the trace event's instant. These tests tie that path to the readable one
// (``LeaseModel/successors(of:)``, whose actions `next(_:after:)` replays) on every bundled scenario and protocol.

@Test("the explorer's transitions are the actions' transitions, state for state and in order, on every bundled search")
func fastTransitionsMatchActions() throws {
    for (name, protocolName) in try bundledCases() {
        let model = try bundledModel(name, protocolName)
        var seen = Set(model.initialStates.map(\.fingerprint))
        var frontier = model.initialStates
        var transitions = 0
        while let state = frontier.popLast() {
            let readable = model.successors(of: state)
            var fast: [(fingerprint: UInt64, madeEvent: Bool, effect: String)] = []
            model.forEachTransition(from: state, recordsEvents: false, recordsChoices: false) { _, _, _, step in
                fast.append((step.state.fingerprint, step.madeEvent, String(describing: step.effect)))
            }
            #expect(fast.count == readable.count, "\(name) \(protocolName): transitions out of a state")
            for (quick, full) in zip(fast, readable) {
                #expect(quick.fingerprint == full.state.fingerprint, "\(name) \(protocolName): a successor differs")
                #expect(quick.madeEvent == (full.action.event != nil), "\(name) \(protocolName): silent or not")
                #expect(quick.effect == String(describing: full.effect), "\(name) \(protocolName): effects differ")
            }
            for successor in readable {
                transitions += 1
                if seen.insert(successor.state.fingerprint).inserted { frontier.append(successor.state) }
            }
        }
        let report = try cachedReport(name, protocolName)
        #expect(seen.count == report.statistics.distinctStates, "\(name) \(protocolName): distinct states")
        #expect(transitions == report.statistics.transitions, "\(name) \(protocolName): transitions")
    }
}

/// The replay's reference: the states `event` leads to, found through whole actions, one fingerprint set each.
private func referenceSuccessors(_ model: LeaseModel, of states: [ModelState], making event: TraceEvent)
    -> [UInt64]
{
    var next: [UInt64] = []
    var seen = Set<UInt64>()
    var work = states
    while let state = work.popLast() {
        guard seen.insert(state.fingerprint).inserted else { continue }
        for successor in model.successors(of: state) {
            guard let made = successor.action.event else {
                work.append(successor.state)
                continue
            }
            if made == event, !next.contains(successor.state.fingerprint) { next.append(successor.state.fingerprint) }
        }
    }
    return next
}

@Test("the replay's fast step finds the same states as whole actions do, event by event, on every counterexample")
func fastReplayMatchesActions() throws {
    for (name, protocolName) in try bundledCases() {
        let model = try bundledModel(name, protocolName)
        let report = try cachedReport(name, protocolName)
        var paths = report.always.compactMap { result -> ModelPath? in
            if case .fails(let path) = result.verdict { return path }
            return nil
        }
        paths += report.sometimes.compactMap { result -> ModelPath? in
            if case .reached(let path) = result.verdict { return path }
            return nil
        }
        for path in paths {
            var states = model.initialStates
            for event in path.events {
                let fast = model.successors(of: states, making: event)
                #expect(
                    fast.map(\.fingerprint) == referenceSuccessors(model, of: states, making: event),
                    "\(name) \(protocolName): the states after \(TraceText.line(event))")
                states = fast
            }
            #expect(model.fit(path.events, complete: false) == .fits)
        }
    }
}

@Test("a packed list reads back what was written, in place and spilled to an array, and compares by elements")
func packedListKeepsItsElements() {
    for count in [0, 1, 4, 5, 31, 32, 33, 70] {
        var bytes = PackedList<CallStatus>(repeating: .due, count: count)
        var reference = Array(repeating: CallStatus.due, count: count)
        let statuses: [CallStatus] = [.due, .waiting, .running, .returned]
        for position in 0..<count {
            bytes[position] = statuses[(position * 7) % 4]
            reference[position] = statuses[(position * 7) % 4]
        }
        #expect(Array(bytes) == reference, "\(count) statuses")
        var words = PackedList<Int>(repeating: 0, count: count)
        for position in 0..<count { words[position] = position * 1_000_003 - 5 }
        #expect(Array(words) == (0..<count).map { $0 * 1_000_003 - 5 }, "\(count) integers")
        #expect(words == PackedList(Array(words)))
        if count > 0 {
            var changed = words
            changed[count - 1] += 1
            #expect(changed != words)
            #expect(Fingerprint.of(changed.map { UInt64(bitPattern: Int64($0)) })
                != Fingerprint.of(words.map { UInt64(bitPattern: Int64($0)) }))
        }
    }
    #expect(PackedList<Bool>.inlineCapacity == 32 && PackedList<Int>.inlineCapacity == 4)
}

@Test("pending works come out in order: inserted first, appended last, past the two held in place")
func pendingWorksKeepTheirOrder() {
    var works = PendingWorks()
    #expect(works.isEmpty && works.first == nil)
    works.append(.startNextCall(worker: 1))
    works.insertFirst(.reportReplyLost(worker: 2))
    works.append(.invalidate(write: 3))
    works.insertFirst(.startNextCall(worker: 4))
    works.append(.invalidate(write: 5))
    let expected: [Work] = [
        .startNextCall(worker: 4), .reportReplyLost(worker: 2), .startNextCall(worker: 1), .invalidate(write: 3),
        .invalidate(write: 5),
    ]
    #expect(works.elements == expected)
    #expect(PendingWorks(expected).elements == expected)
    var drained: [Work] = []
    while let work = works.first {
        drained.append(work)
        works.removeFirst()
    }
    #expect(drained == expected && works.isEmpty)
}
