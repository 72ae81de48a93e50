import LeaseCore
import Scenario
import Trace

/// One worker: a service instance with one Redis connection, running its calls one at a time.
///
/// A call due while the worker is still busy waits for the one before it to return: a worker is one sequential
/// caller, which keeps each connection to one outstanding command, as with hiredis.
struct WorkerState {
    /// The call in progress, if any.
    var machine: EvictAndReload?
    /// The number of the call in progress (from 1), or of the last one.
    var callNumber = 0
    /// The scenario index of the call in progress.
    var callIndex = 0
    /// The key of the call in progress.
    var key = ""
    /// Commands sent in the call in progress.
    var commandNumber = 0
    /// The command whose reply the worker waits for.
    var outstanding: OutstandingCommand?
    /// When the outstanding command's timeout fires.
    var outstandingDeadlineMicroseconds: Int64 = 0
    /// The connection's generation: bumped when it breaks, so late messages of an old connection are dropped.
    var epoch = 0
    /// Scenario calls due while busy, in order (indices into the scenario's calls).
    var waitingCalls: [Int] = []
    /// Where the worker is paused, if it is.
    var paused: PausePoint?
    /// The actions held by a pause before a command, carried out at resume.
    var heldActions: Actions?
    /// Inputs that arrived while paused, in arrival order.
    var inbox: [Item] = []
    /// The pause points already used in the call in progress (each strikes at most once per call).
    var pausesUsed: Set<PausePoint> = []
}

/// The command a worker waits on: a struct, not a tuple, so copies stay specialized (tuples with non-trivial
/// payloads go through the runtime's generic value witnesses).
struct OutstandingCommand {
    /// The command's number within its call, from 1.
    var number: Int
    /// The command.
    var command: Command
}

/// One fault of a worker: its index in the scenario's `faults:` and what it does.
struct WorkerFault {
    var index: Int
    var kind: FaultKind
}
