@testable import Simulator
import Testing

@Test("the event queue pops in (time, priority, sequence) order under random inserts and pops")
func eventQueueOrder() {
    var generator = SplitMix64(seed: 99)
    var queue = EventQueue()
    var reference: [Scheduled] = []
    var sequence: UInt64 = 0
    for step in 0..<20_000 {
        if generator.next(below: 3) < 2 || reference.isEmpty {
            sequence += 1
            let entry = Scheduled(
                timeMicroseconds: Int64(generator.next(below: 50)), sequence: sequence, slot: 0,
                priority: UInt8(generator.next(below: 2)))
            queue.insert(entry)
            reference.append(entry)
        } else {
            let expected = reference.min()!
            reference.removeAll { $0.sequence == expected.sequence }
            let popped = queue.popMin()
            #expect(popped?.sequence == expected.sequence, "step \(step)")
        }
        #expect(queue.count == reference.count)
    }
    queue.checkInvariants()
}
