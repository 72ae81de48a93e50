import Trace

/// One worker: a service instance with one Redis connection, running its calls one at a time.
///
/// What the simulator spreads over queued items (a request, a reply, a timer, a resume) the model keeps here as
/// the worker's own pending inputs, each with its arrival window. Messages of a connection that broke or timed
/// out are not kept: they would be dropped on arrival, so they only leave a trace in the state's ghost horizon
/// (see ``ModelState/ghostHorizonMicroseconds``).
struct ModelWorker: Hashable, Sendable {
    /// The call in progress, if any.
    var call: ActiveCall?
    /// Scenario calls that came due while the worker was busy, in arrival order (indices into `calls:`).
    var waiting: [Int] = []
    /// The command the worker waits on, if any: one at a time per connection.
    var outstanding: OutstandingCommand?
    /// The process pause the worker is in, if any.
    var pause: WorkerPause?
}

/// The command a worker waits on, and what is on its way about it.
struct OutstandingCommand: Hashable, Sendable {
    /// The command.
    var command: ModelCommand
    /// Its number within the call, from 1.
    var number: Int
    /// When the client stops waiting: the send instant plus the variant's command timeout.
    var deadlineMicroseconds: Int64
    /// What travels: the request, the reply, a broken connection's notice, or nothing (the reply was lost).
    var message: InFlight

    /// Whether the command timeout is armed: whether the simulator has queued it.
    ///
    /// The simulator queues the timer only when it can fire: when the request or the reply arrives no sooner than
    /// the deadline, or the reply is lost. A restart breaks the connection: its old timer is dead, and the worker
    /// waits for the restart's notice alone.
    var timeoutArmed: Bool {
        switch message {
        case .lost:
            return true
        case .request(let arrival), .reply(_, let arrival), .connectionLost(let arrival):
            return arrival.latestMicroseconds >= deadlineMicroseconds
        case .restartNotice:
            return false
        }
    }
}

/// What is on its way for an outstanding command.
enum InFlight: Hashable, Sendable {
    /// The request travels to the server.
    case request(arrival: TimeWindow)
    /// The server executed the command; the reply travels back.
    case reply(ModelReply, arrival: TimeWindow)
    /// A `drop-connection` fault broke the connection after the exec; the worker learns of it on arrival.
    case connectionLost(arrival: TimeWindow)
    /// A restart broke the connection; the worker learns of it on arrival. No command timeout is armed.
    case restartNotice(arrival: TimeWindow)
    /// The server executed the command and the reply was lost: only the command timeout is coming.
    case lost

    /// When the message arrives, if one travels.
    var arrival: TimeWindow? {
        switch self {
        case .request(let arrival), .reply(_, let arrival), .connectionLost(let arrival), .restartNotice(let arrival):
            return arrival
        case .lost:
            return nil
        }
    }
}

/// A process pause: where, until when, and the input it holds back.
struct WorkerPause: Hashable, Sendable {
    /// The point the pause struck at.
    var point: PausePoint
    /// When the worker resumes.
    var resume: TimeWindow
    /// What the worker does first on resuming.
    var held: HeldInput
}

/// The input a pause holds back, handled at `resume`.
///
/// A worker is paused only before sending a command (it waits on none) or after the origin answered (the answer
/// is held), so anything else that arrives while it is paused is stale and dropped: these two cover every case.
enum HeldInput: Hashable, Sendable {
    /// Send this command.
    case send(ModelCommand)
    /// Handle the origin's answer (a failure when `fails`).
    case originAnswer(version: Int, fails: Bool)
}
