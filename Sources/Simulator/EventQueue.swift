/// The simulator's event queue: a binary min-heap of ``Scheduled`` entries (24 bytes each).
///
/// swift-collections' `Heap` is a min-max heap, which pays for a `max` the simulator never asks for: its
/// grandchild comparisons were the largest single cost of a simulation run. This heap is the plain kind, sifting
/// with a hole instead of swaps. The benchmark's bare loop uses it too, so the simulator is measured against the
/// same queue type.
struct EventQueue {
    private var storage: ContiguousArray<Scheduled> = []

    /// How many entries are queued.
    var count: Int { storage.count }

    var isEmpty: Bool { storage.isEmpty }

    /// The earliest entry, if any.
    var min: Scheduled? { storage.first }

    mutating func insert(_ entry: Scheduled) {
        storage.append(entry)
        storage.withUnsafeMutableBufferPointer { heap in
            var hole = heap.count - 1
            while hole > 0 {
                let parent = (hole - 1) / 2
                guard entry < heap[parent] else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = entry
        }
    }

    /// Removes and returns the earliest entry.
    mutating func popMin() -> Scheduled? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        return storage.withUnsafeMutableBufferPointer { heap in
            let first = heap[0]
            let count = heap.count
            var hole = 0
            while true {
                var child = 2 * hole + 1
                guard child < count else { break }
                if child + 1 < count && heap[child + 1] < heap[child] {
                    child += 1
                }
                guard heap[child] < last else { break }
                heap[hole] = heap[child]
                hole = child
            }
            heap[hole] = last
            return first
        }
    }

    /// Removes and returns the earliest entry, which must exist.
    mutating func removeMin() -> Scheduled {
        guard let first = popMin() else { preconditionFailure("EventQueue.removeMin on an empty queue") }
        return first
    }

    #if DEBUG
    /// Every parent is no later than its children (STYLE 9).
    func checkInvariants() {
        for index in storage.indices.dropFirst() {
            precondition(!(storage[index] < storage[(index - 1) / 2]), "EventQueue: heap order broken at \(index)")
        }
    }
    #endif
}
