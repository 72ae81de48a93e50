import LeaseCore
import Scenario
import Trace

/// One worker: a service instance with one Redis connection, running its calls one at a time.
///
/// A call due while the worker is still busy waits for the one before it to return: a worker is one sequential
/// caller, which keeps each connection to one outstanding command, as with hiredis.
///
/// Plain data only (no references), so reading or copying it costs no retain and release; the parts that hold
/// references (the call's state machine, the outstanding command, queues of inputs) live beside it in the
/// simulation's flat per-worker arrays, which the hot path touches only where it needs them.
struct WorkerState {
    /// Whether a call is in progress: its machine in the simulation's `machines` is live (read far more often than
    /// the machine itself).
    var busy = false
    /// The number of the call in progress (from 1), or of the last one.
    var callNumber = 0
    /// The scenario index of the call in progress.
    var callIndex = 0
    /// The key of the call in progress, as an index into the simulation's key names.
    var keyIndex = 0
    /// Commands sent in the call in progress.
    var commandNumber = 0
    /// The number of the command whose reply the worker waits for; 0 when none (commands count from 1). The
    /// command itself is in the simulation's `outstandingCommands`.
    var outstandingNumber = 0
    /// When the outstanding command's timeout fires.
    var outstandingDeadlineMicroseconds: Int64 = 0
    /// The connection's generation: bumped when it breaks, so late messages of an old connection are dropped.
    var epoch = 0
    /// Where the worker is paused, if it is.
    var paused: PausePoint?
}

/// A reply on its way to a worker, with the command it answers.
///
/// Carried beside the worker rather than in the queued item, so that queued items hold no references. At most one
/// reply per worker can be live: the worker sends its next command only after this one's reply or failure, and a
/// failure opens a new connection, whose replies are told apart by `epoch`.
struct ReplyInFlight {
    /// The connection it travels on.
    var epoch: Int
    /// The call and command it answers.
    var call: Int
    var command: Int
    /// The reply.
    var reply: Reply
}

/// One fault of a worker: its index in the scenario's `faults:` and what it does.
struct WorkerFault {
    var index: Int
    var kind: FaultKind
}
