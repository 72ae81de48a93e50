import Trace

/// What an ``EvictAndReload`` call asks its driver to do: plain data, carried out by the simulator or by LeaseCache.
///
/// Drivers `switch` over actions exhaustively; no closures, promises or continuations travel in them (STYLE 2).
public enum Action: Hashable, Sendable {
    /// Send this command. Its reply, or its failure (timeout, lost connection), is the call's next input. The
    /// driver bounds the wait by the variant's command timeout.
    case send(Command)
    /// Ask the origin for the key's value. Its answer is the next input, unless a timer fires first.
    case startLoad(key: String)
    /// Call ``EvictAndReload/handleTimeout(nowMicroseconds:)`` at this instant (the origin timeout).
    case armTimer(deadlineMicroseconds: Int64)
    /// Stop waiting for the origin: its answer, if it still comes, is ignored. A real driver cancels the load; the
    /// origin itself may go on loading (DESIGN.md: a load whose caller gave up still counts until it answers).
    case stopLoad
    /// The call is over, with this outcome.
    case finish(Outcome)
}

/// The actions one input produces, in order: none, one or two. Inline storage, so the simulator's hot path does
/// not allocate an array per step.
public struct Actions: Hashable, Sendable, Sequence, CustomStringConvertible {
    /// The first action, if any.
    public let first: Action?
    /// The second action, if any; never set without `first`.
    public let second: Action?

    /// No action: the input had nothing to do (a late timer, a load result after the call stopped waiting).
    public static let none = Actions(first: nil, second: nil)

    init(first: Action?, second: Action?) {
        precondition(first != nil || second == nil, "Actions: a second action without a first")
        self.first = first
        self.second = second
    }

    /// One action.
    ///
    /// Fields set directly, not through ``init(first:second:)``: its check has nothing to find here, and its
    /// optional arguments cost the simulator's hot path a copy and a destroy of both actions per step.
    public init(_ action: Action) {
        first = action
        second = nil
    }

    /// Two actions, in order.
    public init(_ first: Action, _ second: Action) {
        self.first = first
        self.second = second
    }

    /// The actions moved out, first and second, ending this value.
    ///
    /// Why: a driver that reads `first` and `second` from a value it then drops copies each action (and the
    /// command and value it holds) and destroys the originals; taking them apart moves them instead, and the
    /// simulator does this once per input.
    @inlinable
    public consuming func split() -> (first: Action?, second: Action?) {
        (first, second)
    }

    /// The number of actions (0, 1 or 2).
    public var count: Int {
        first == nil ? 0 : (second == nil ? 1 : 2)
    }

    public var isEmpty: Bool { first == nil }

    public func makeIterator() -> IndexingIterator<[Action]> {
        array.makeIterator()
    }

    /// The actions as an array (for tests and printing; the hot path reads `first` and `second`).
    public var array: [Action] {
        switch (first, second) {
        case (nil, _): return []
        case (let one?, nil): return [one]
        case (let one?, let two?): return [one, two]
        }
    }

    public var description: String {
        "\(array)"
    }
}
