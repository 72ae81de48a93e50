import LeaseCore
import Testing
import Trace

// Actions.split() is how the simulator takes a step's actions apart (moving them instead of copying them): it
// must give back exactly the actions held, in order.

private let send = Action.send(.get(key: "user:1"))
private let stop = Action.stopLoad

@Test func splitGivesBackNoActions() {
    let (first, second) = Actions.none.split()
    #expect(first == nil)
    #expect(second == nil)
}

@Test func splitGivesBackOneAction() {
    let (first, second) = Actions(send).split()
    #expect(first == send)
    #expect(second == nil)
}

@Test func splitGivesBackTwoActionsInOrder() {
    let (first, second) = Actions(stop, send).split()
    #expect(first == stop)
    #expect(second == send)
}
