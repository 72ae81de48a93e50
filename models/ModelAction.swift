import Trace

/// One transition of the model: which pending item is handled, at what instant, with which choices, and the one
/// trace event it makes (or none, for the few silent steps).
///
/// Silent actions are kept few and have one of three causes: a reply arrives and the worker only sends its next
/// command; a call comes due while its worker is busy and joins the worker's queue; a continuation's next work
/// turns out to make no event (a `maybe` pause that does not strike). Each is an item the simulator handles
/// without recording anything, so keeping them as actions keeps the two sides' orders of same-instant items alike.
public struct ModelAction: Hashable, Sendable, CustomStringConvertible {
    /// The item handled.
    public var item: ModelItem
    /// The item's identity as the simulator's chooser knows it, for same-instant orders; nil for an expiry
    /// (which needs no choice) and a continuation (part of an item already taken).
    public var identity: EventIdentity?
    /// The instant it is handled at.
    public var timeMicroseconds: Int64
    /// The delays and `maybe` decisions it made, in the order asked, each named by what it decides.
    public var choices: [ModelChoice]
    /// The trace event it makes, with its time and actor; nil for a silent action.
    public var event: TraceEvent?

    public init(
        item: ModelItem, identity: EventIdentity?, timeMicroseconds: Int64, choices: [ModelChoice], event: TraceEvent?
    ) {
        self.item = item
        self.identity = identity
        self.timeMicroseconds = timeMicroseconds
        self.choices = choices
        self.event = event
    }

    public var description: String {
        let chosen = choices.isEmpty ? "" : " [" + choices.map(\.description).joined(separator: ", ") + "]"
        let made = event.map { " -> " + TraceText.line($0) } ?? " (silent)"
        return "\(item) at \(timeMicroseconds)us\(chosen)\(made)"
    }
}

/// What an action handles: the model's counterpart of the simulator's scheduled items, named by identity.
///
/// Keys are indices into the scenario's `keys:`; calls and writes are indices into `calls:` and `writes:`;
/// workers are numbered from 1.
public enum ModelItem: Hashable, Sendable, CustomStringConvertible {
    /// A key's deadline passes (the lease key when `lease`): before anything else at its instant.
    case expire(key: Int, lease: Bool)
    /// A scenario call comes due.
    case callStart(call: Int)
    /// A scenario write happens.
    case sourceWrite(write: Int)
    /// A `restart-redis` fault strikes.
    case restart(fault: Int)
    /// A worker's request reaches the server: the `exec`.
    case request(worker: Int)
    /// A reply, or the notice of a broken connection, reaches a worker.
    case reply(worker: Int)
    /// A worker's command timeout fires.
    case commandTimeout(worker: Int)
    /// The origin answers a worker's call.
    case originAnswer(worker: Int, call: Int)
    /// A worker's origin timeout fires while it still waits.
    case originTimer(worker: Int)
    /// A worker's pause ends.
    case resume(worker: Int)
    /// The next part of an item whose handling makes several events.
    case continuation

    public var description: String {
        switch self {
        case .expire(let key, let lease): return lease ? "expire lease of key \(key)" : "expire key \(key)"
        case .callStart(let call): return "call \(call) comes due"
        case .sourceWrite(let write): return "write \(write)"
        case .restart(let fault): return "restart (fault \(fault))"
        case .request(let worker): return "w\(worker)'s request arrives"
        case .reply(let worker): return "w\(worker)'s reply arrives"
        case .commandTimeout(let worker): return "w\(worker)'s command timeout"
        case .originAnswer(let worker, let call): return "origin answers w\(worker).\(call)"
        case .originTimer(let worker): return "w\(worker)'s origin timeout"
        case .resume(let worker): return "w\(worker) resumes"
        case .continuation: return "continuation"
        }
    }
}

/// One choice an action made, named as the simulator's chooser names it (Trace's ``DelayChoice`` and
/// ``FaultChoice``), so a model path can be replayed there choice by choice.
public enum ModelChoice: Hashable, Sendable, CustomStringConvertible {
    /// A delay, by what it delays (a point window in exploration).
    case delay(DelayChoice, TimeWindow)
    /// Whether a `maybe` fault happens.
    case fault(FaultChoice, happens: Bool)

    public var description: String {
        switch self {
        case .delay(let choice, let window): return "\(choice) = \(window)"
        case .fault(let fault, let happens): return "\(fault) \(happens ? "happens" : "does not happen")"
        }
    }
}
