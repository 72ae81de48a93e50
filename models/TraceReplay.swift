import Trace

/// A trace replayed on the model event by event: the states the events so far lead to, kept the cheap way
/// while there is only one.
///
/// A validation replay (``LeaseModel/fit(_:complete:)`` on a simulator run, in the run's own delays) nearly
/// always follows a single state along a chain: one item enabled at a time, with one combination of choices,
/// silent until the item that makes the event. The replay then keeps that state inside one ``ModelStep`` and
/// changes it in place, item after item and event after event, with no copy and no fingerprint. Anywhere the
/// chain branches it hands over to ``LeaseModel/successors(of:making:)``, which follows every state and
/// deduplicates, and it comes back to the chain when a single state is left.
///
/// A branch found before the item runs (several items enabled, or none before the event's instant) leaves the
/// state intact, and the general walk starts from it: every state before it on the chain had one silent
/// transition, so it leads to the same states. A branch found inside the item (a choice with several options)
/// or an event that does not fit has already changed the state; the state before the event is then rebuilt
/// from a copy kept every ``checkpointInterval`` events, by replaying the chain's events since, which went the
/// one way they can. The copy is the only one the chain makes, and the rebuild is rare in validation; in a
/// replay of model paths with many branches the checkpoint is renewed after every branch, so it stays near.
struct TraceReplay {
    let model: LeaseModel
    /// While the replay follows one state: the step that holds it.
    private var walker: ModelStep<ModelState>
    /// Whether ``walker`` holds the one state; otherwise ``states`` holds them.
    private var followsOne = false
    /// The states the events so far lead to, when not one.
    private var states: [ModelState] = []
    /// A copy of the state before event ``checkpointIndex``, from which the chain rebuilds later states.
    private var checkpoint: ModelState
    private var checkpointIndex = 0

    /// How many events the chain goes between copies of its state.
    static let checkpointInterval = 64

    /// The most silent steps the chain takes before an event: far above any trace's. The chain does not
    /// deduplicate, so this is what would stop a silent cycle (a model bug) from spinning for ever; past it the
    /// general walk, which deduplicates, takes over.
    static let chainStepLimit = 10_000

    init(model: LeaseModel) {
        self.model = model
        let initial = model.initialStates
        walker = ModelStep(walking: initial[0], on: model)
        checkpoint = initial[0]
        if initial.count == 1 {
            followsOne = true
        } else {
            states = initial
        }
    }

    /// The states the events so far lead to (before the silent actions after the last one).
    var currentStates: [ModelState] {
        followsOne ? [walker.state] : states
    }

    /// Takes `events[index]`, every earlier event having been taken. Returns the states before it when it does
    /// not fit (the replay is then over), nil when it does.
    mutating func take(_ events: [TraceEvent], at index: Int) -> [ModelState]? {
        let before: [ModelState]
        let next: [ModelState]
        if followsOne {
            switch model.followChain(&walker, making: events[index]) {
            case .reached:
                if index + 1 - checkpointIndex >= Self.checkpointInterval { setCheckpoint(walker.state, at: index + 1) }
                return nil
            case .branchesAhead:
                before = [walker.state]
            case .changedOnTheWay:
                before = [rebuild(events, before: index)]
            }
            next = model.successors(of: before, making: events[index])
        } else {
            before = states
            next = successorsOneByOne(of: states, making: events[index])
        }
        guard !next.isEmpty else { return before }
        if next.count == 1 {
            walker.state = next[0]
            followsOne = true
            setCheckpoint(next[0], at: index + 1)
        } else {
            states = next
            followsOne = false
        }
        return nil
    }

    /// Whether the run may end after the events taken: whether some state they lead to silently has no item
    /// left. Along the chain first, in place; the general closure where it branches or makes an event.
    ///
    /// The state is copied before each silent step (this runs once per trace), so that it is there to hand to
    /// the general closure, and left as it was when the answer is no, for ``currentStates``.
    mutating func mayEnd() -> Bool {
        if followsOne {
            for _ in 0..<Self.chainStepLimit {
                let (time, items) = model.enabledItems(in: walker.state)
                if items.isEmpty { return true }
                guard items.count == 1 else { break }
                let saved = walker.state
                walker.startOver(recordsEvent: false)
                walker.run(items[0], at: time)
                guard walker.cursor.points.hadOneOptionEach, !walker.madeEvent else {
                    walker.state = saved
                    break
                }
            }
        }
        // A state has no transitions exactly when it has no enabled items: each item makes at least one.
        return model.silentClosure(of: currentStates).contains { model.enabledItems(in: $0).items.isEmpty }
    }

    /// What ``LeaseModel/successors(of:making:)`` gives for several states, in the same order: each state's
    /// own successors, from the last state to the first (the general walk's stack takes them so), each found
    /// along its chain when it has one, deduplicated. (A state two of them lead to is kept where first found,
    /// as the general walk, which expands it once, keeps it.)
    private func successorsOneByOne(of states: [ModelState], making event: TraceEvent) -> [ModelState] {
        var next = DistinctStates()
        for state in states.reversed() {
            var step = ModelStep(walking: state, on: model)
            if model.followChain(&step, making: event) == .reached {
                _ = next.insert(step.takeState())
            } else {
                for found in model.successors(of: [state], making: event) { _ = next.insert(found) }
            }
        }
        return next.states
    }

    private mutating func setCheckpoint(_ state: ModelState, at index: Int) {
        checkpoint = state
        checkpointIndex = index
    }

    /// The state before `events[index]`, rebuilt from the checkpoint along the chain.
    private func rebuild(_ events: [TraceEvent], before index: Int) -> ModelState {
        var step = ModelStep(walking: checkpoint, on: model)
        for replayed in checkpointIndex..<index {
            let end = model.followChain(&step, making: events[replayed])
            precondition(end == .reached, "TraceReplay: the chain from the checkpoint went another way")
        }
        return step.state
    }
}

/// How the chain's walk to an event ended.
enum ChainEnd: Hashable {
    /// The event was made; the step holds the state it leads to.
    case reached
    /// Something branches before the next item runs (several items, or no item at or before the event's
    /// instant): the step's state is intact, one the event's start state leads to silently.
    case branchesAhead
    /// An item had several choice combinations, or made another event: the step's state is spent.
    case changedOnTheWay
}

extension ModelStep<ModelState> {
    /// A step that walks `state` along a chain (``LeaseModel/followChain(_:making:)``): each item's first
    /// choices, no choices kept, events built only when ``startOver(recordsEvent:)`` asks.
    init(walking state: ModelState, on model: LeaseModel) {
        self.init(
            model: model, state: state, cursor: ChoiceCursor(indices: ChoicePoints(), recordsChoices: false),
            recordsEvent: false)
    }
}

extension LeaseModel {
    /// Walks `step`'s state along the chain to `event`, in place: see ``TraceReplay``.
    func followChain(_ step: inout ModelStep<ModelState>, making event: TraceEvent) -> ChainEnd {
        for _ in 0..<TraceReplay.chainStepLimit {
            let (time, items) = enabledItems(in: step.state)
            guard items.count == 1, time <= event.timeMicroseconds else { return .branchesAhead }
            let eventDue = time == event.timeMicroseconds
            step.startOver(recordsEvent: eventDue)
            step.run(items[0], at: time)
            guard step.cursor.points.hadOneOptionEach else { return .changedOnTheWay }
            guard step.madeEvent else { continue }
            return eventDue && step.event == event ? .reached : .changedOnTheWay
        }
        return .branchesAhead
    }
}
