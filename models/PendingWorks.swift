/// The work left in the handling of one item, in order: the first two held in place, any more in an array.
///
/// Why not an array: an item leaves one or two works at a time (the step its call asks for, an invalidation, a
/// `reply-lost`), and an array allocated a buffer for them in nearly every step the explorer took.
struct PendingWorks {
    private var head: Work?
    private var second: Work?
    /// The works after the first two; nil unless both are there (an empty array was retained with every copy).
    private var rest: [Work]?

    /// No work.
    init() {}

    /// These works, in order.
    init(_ works: some Sequence<Work>) {
        for work in works { append(work) }
    }

    /// Whether no work is left.
    var isEmpty: Bool { head == nil }

    /// The next work, if any.
    var first: Work? { head }

    /// The works, in order.
    var elements: [Work] {
        guard let head else { return [] }
        guard let second else { return [head] }
        return [head, second] + (rest ?? [])
    }

    /// Adds a work to be done next.
    mutating func insertFirst(_ work: Work) {
        if let second { rest = [second] + (rest ?? []) }
        second = head
        head = work
    }

    /// Adds a work to be done last.
    mutating func append(_ work: Work) {
        if head == nil {
            head = work
        } else if second == nil {
            second = work
        } else {
            rest = (rest ?? []) + [work]
        }
    }

    /// Removes the next work.
    mutating func removeFirst() {
        precondition(head != nil, "PendingWorks: no work to remove")
        head = second
        if var more = rest, !more.isEmpty {
            second = more.removeFirst()
            rest = more.isEmpty ? nil : more
        } else {
            second = nil
        }
    }
}
