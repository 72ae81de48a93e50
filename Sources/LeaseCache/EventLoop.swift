import DequeModule
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread that runs the calls of its connections and does all their I/O, as `redis-benchmark` does: it runs
/// the jobs queued for it, writes what they sent, then waits in `poll` for replies, deadlines or new jobs.
///
/// Why not a thread per connection, blocking in hiredis: on a machine with few cores every round trip then costs
/// a thread wake-up and a context switch on top of the system calls, and a busy connection's thread competes with
/// Redis itself for the CPU. Here a reply goes to its call (a ``CallDriver``) on the same thread, many
/// connections share one `poll`, and a connection with several calls on it pipelines their commands (see
/// ``LeaseCacheConfiguration/pipelining``).
///
/// Work comes from any thread: task jobs for the lanes' executors (``enqueue(_:on:first:)``) and a call's steps
/// (``enqueue(first:_:)``: a call starting, the origin's answer, a failure); work from another thread wakes the loop through a pipe,
/// only when the loop is about to sleep or sleeping. A job the loop's own thread enqueues skips the lock.
/// Everything else (the lanes, their connections) is touched only on the loop's thread.
///
/// Two kinds of work share the loop: calls starting, and calls already running going on (an origin's answer, a
/// failure handed over; a reply goes to its call at once). A running call may hold a lease, so its next step must
/// not wait behind every call a service starts: work enqueued with `first` (a running call's steps, and the jobs
/// of tasks on a lane's ``RunningCalls`` executor) runs before any other.
final class EventLoop: @unchecked Sendable {
    // @unchecked: `queue` is a Mutex; `lanes`, `cleanup` and `thread` are set before the thread starts, or used
    // only on it (checked in debug builds).
    private struct Queue {
        var jobs: Deque<LoopWork> = []
        /// Running calls' jobs from other threads (an origin's answer), run before any other job.
        var firstJobs: Deque<LoopWork> = []
        /// The loop is in, or about to enter, `poll` with no job queued: a new job must write to the wake pipe.
        var sleeping = false
        var stopping = false
        var cleanup: (@Sendable () -> Void)?
    }

    private let queue = Mutex(Queue())
    /// How many jobs other threads have queued since the loop last took them: read without the lock while spinning.
    private let queued = Atomic<Int>(0)
    // `@exclusivity(unchecked)` on the state only the loop's thread touches, here, in ``ConnectionLane`` and in
    // ``CallDriver``: each mutation of a class's stored property is otherwise checked at run time for an
    // overlapping access (a thread-local access set, entered and left), which on a stress run's loop was some 4 %
    // of its user CPU. None of these accesses overlaps: a lane hands replies out from a copy, and the loop runs its
    // jobs from a batch it has taken off these queues.

    /// Jobs enqueued on the loop's own thread: no lock, since only that thread touches them.
    @exclusivity(unchecked) private var local: Deque<LoopWork> = []
    /// Running calls' jobs enqueued on the loop's own thread (a reply resuming its call): run before any other.
    @exclusivity(unchecked) private var first: Deque<LoopWork> = []
    /// The loop thread's id, once it runs (0 before).
    private let owner = Atomic<UInt>(0)
    private let wakeReader: Int32
    private let wakeWriter: Int32
    private var lanes: [ConnectionLane] = []
    private var thread: Thread?
    private let name: String

    /// Whether a wait for a reply spins first (``spinForReplies(_:deadline:)``), from how long replies took lately.
    @exclusivity(unchecked) private var replySpin: ReplySpinPolicy

    /// The monotonic clock as the loop last read it after `poll`: when the replies it is handing out had come, which
    /// is the time their calls give LeaseCore (``CallDriver/received(_:)``). Read on this thread only. One reading
    /// for all the replies of a pass, not one per reply.
    @exclusivity(unchecked) private(set) var polledNanoseconds: Int64 = 0

    init(name: String, replySpinMicroseconds: Int64) {
        var descriptors: [Int32] = [-1, -1]
        let made = pipe(&descriptors)
        precondition(made == 0, "EventLoop: pipe() failed with errno \(errno)")
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        wakeReader = descriptors[0]
        wakeWriter = descriptors[1]
        self.name = name
        replySpin = ReplySpinPolicy(spinMicroseconds: replySpinMicroseconds)
    }

    deinit {
        close(wakeReader)
        close(wakeWriter)
    }

    /// Starts the thread, driving `lanes`.
    func start(lanes: [ConnectionLane]) {
        precondition(thread == nil, "EventLoop.start called twice")
        self.lanes = lanes
        let thread = Thread { self.run() }
        thread.name = name
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Queues a job to run on this thread as part of `executor` (one of its lanes' executors, or a lane's running
    /// calls' executor); `lane`: the lane whose executor it is, if it is a lane's (``runningLane`` while it runs);
    /// `first`: ahead of every job queued without it.
    func enqueue(_ job: UnownedJob, on executor: UnownedTaskExecutor, lane: ConnectionLane?, first: Bool) {
        enqueue(.job(job, executor, lane.map { Unmanaged.passUnretained($0) }), first: first)
    }

    /// The lane whose executor the job running now was queued on, if it was a lane's; read on this thread only.
    ///
    /// That is the lane the running task prefers (a task's jobs go to its preferred executor), so a call made from
    /// it starts on that lane without asking the task for its preference (a walk of its status records under a
    /// lock) and without searching the lanes.
    var runningLane: ConnectionLane? {
        runningLaneReference?.takeUnretainedValue()
    }
    /// Unretained: the lanes live as long as the cache that made this loop, which stops it before they go.
    @exclusivity(unchecked) private var runningLaneReference: Unmanaged<ConnectionLane>?

    /// Queues `body` to run on this thread; `first`: ahead of every job queued without it (a running call's next
    /// step), otherwise behind them (a call starting).
    func enqueue(first: Bool = false, _ body: @escaping @Sendable () -> Void) {
        enqueue(.closure(body), first: first)
    }

    private func enqueue(_ work: LoopWork, first: Bool) {
        if isCurrent {
            if first {
                self.first.append(work)
            } else {
                local.append(work)
            }
            return
        }
        queued.add(1, ordering: .relaxed)
        let wake = queue.withLock { queue -> Bool in
            if first {
                queue.firstJobs.append(work)
            } else {
                queue.jobs.append(work)
            }
            defer { queue.sleeping = false }
            return queue.sleeping
        }
        if wake { signal() }
    }

    /// Whether the caller runs on this loop's thread.
    var isCurrent: Bool {
        owner.load(ordering: .relaxed) == Self.currentThreadID()
    }

    private static func currentThreadID() -> UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }

    /// Asks the thread to finish the jobs it has, run `cleanup` on itself, then exit.
    func stop(then cleanup: @escaping @Sendable () -> Void) {
        queue.withLock { queue in
            queue.stopping = true
            queue.cleanup = cleanup
            queue.sleeping = false
        }
        signal()
    }

    private func signal() {
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    // MARK: - The loop

    private func run() {
        owner.store(Self.currentThreadID(), ordering: .relaxed)
        var batch = Deque<LoopWork>()
        var descriptors: [pollfd] = []
        // The lanes polled this round, by index into `lanes`: a list of the lanes themselves retained and
        // released each one per round. `lanes` is read once: fixed from `start` to the cleanup.
        var polled: [Int] = []
        let lanes = self.lanes
        while true {
            // A bounded batch, so that replies are read and commands written between batches: ten thousand
            // calls starting together must not hold back the first one's command until all have run. Running
            // calls' jobs come first (from other threads, then this one's; there are at most as many as admitted
            // calls, so they cannot starve the rest for long). Of the rest, jobs from other threads (a new call
            // from outside) get at least half of what is left when both queues are busy.
            let localCount = local.count
            queued.store(0, ordering: .relaxed)
            let cleanup = queue.withLock { queue -> (@Sendable () -> Void)?? in
                let fromOthers = min(queue.firstJobs.count, Self.batchMaximum)
                batch.append(contentsOf: queue.firstJobs.prefix(fromOthers))
                queue.firstJobs.removeFirst(fromOthers)
                let fromFirst = min(first.count, Self.batchMaximum - batch.count)
                batch.append(contentsOf: first.prefix(fromFirst))
                first.removeFirst(fromFirst)
                let room = Self.batchMaximum - batch.count
                let take = min(queue.jobs.count, room == 0 ? 0 : max(room / 2, room - localCount))
                if take == queue.jobs.count && batch.isEmpty {
                    swap(&batch, &queue.jobs)
                } else {
                    batch.append(contentsOf: queue.jobs.prefix(take))
                    queue.jobs.removeFirst(take)
                }
                return batch.isEmpty && localCount == 0 && first.isEmpty && queue.firstJobs.isEmpty
                    && queue.stopping
                    ? .some(queue.cleanup) : nil
            }
            let fromLocal = min(localCount, Self.batchMaximum - batch.count)
            batch.append(contentsOf: local.prefix(fromLocal))
            local.removeFirst(fromLocal)
            if let cleanup {
                self.lanes = []
                cleanup?()
                return
            }
            for work in batch {
                switch work {
                case .job(let job, let executor, let lane):
                    runningLaneReference = lane
                    job.runSynchronously(on: executor)
                    runningLaneReference = nil
                case .closure(let body):
                    body()
                }
            }
            batch.removeAll(keepingCapacity: true)
            // Each lane starts the calls handed a slot, writes, and says what to poll for, in one call: by index and
            // once per pass, as each `lanes[index]` call retained and released its lane.
            var deadline = Int64.max
            descriptors.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0))
            let flushedAt = monotonicNanoseconds()
            for index in lanes.indices {
                guard let interest = lanes[index].prepareForPoll(nowNanoseconds: flushedAt) else { continue }
                descriptors.append(pollfd(fd: interest.descriptor, events: interest.events, revents: 0))
                polled.append(index)
                deadline = min(deadline, interest.deadlineNanoseconds)
            }
            let now = monotonicNanoseconds()
            let wait: Int32
            if deadline == .max {
                wait = -1
            } else if deadline <= now {
                wait = 0
            } else {
                // poll counts milliseconds: round up, so that a deadline is never met early and then spun on.
                wait = Int32(clamping: (deadline - now + 999_999) / 1_000_000)
            }
            // Nothing polled is nothing in flight and no deadline (deadlines come only from the polled lanes).
            if polled.isEmpty && local.isEmpty && first.isEmpty { spinForWork() }
            var ready: Int32 = 0
            if !polled.isEmpty && local.isEmpty && first.isEmpty && replySpin.spins {
                ready = spinForReplies(&descriptors, deadline: deadline)
            }
            if ready == 0 {
                let mayWait = local.isEmpty && first.isEmpty && queue.withLock { queue -> Bool in
                    guard queue.jobs.isEmpty && queue.firstJobs.isEmpty && !queue.stopping else { return false }
                    queue.sleeping = true
                    return true
                }
                // Work is queued and no connection awaits I/O: a poll would only find that out. (The wake pipe is
                // written only to a loop marked sleeping, which this one is not.)
                if !mayWait && polled.isEmpty { continue }
                ready = poll(&descriptors, nfds_t(descriptors.count), mayWait ? wait : 0)
                if mayWait { queue.withLock { $0.sleeping = false } }
            }
            if ready > 0 && descriptors[0].revents != 0 { drainWakePipe() }
            if ready > 0 {
                let readyAt = monotonicNanoseconds()
                polledNanoseconds = readyAt
                // Whether a reply (or a hang-up) came; a socket only ready to write is not one.
                var replied = false
                for (position, index) in polled.enumerated() where descriptors[position + 1].revents != 0 {
                    let events = descriptors[position + 1].revents
                    replied = replied || events & ~Int16(POLLOUT) != 0
                    lanes[index].handle(events: events)
                }
                if replied { replySpin.record(waitNanoseconds: readyAt - now) }
            }
            let after = monotonicNanoseconds()
            polledNanoseconds = after
            for index in polled { lanes[index].expire(now: after) }
        }
    }

    /// Waits a little for work from another thread before the loop goes to sleep: a caller that has just been
    /// handed its result usually starts its next call within microseconds, and a loop still awake takes it without
    /// the wake pipe's write and read and without the sleeping thread's wake-up, which on a small machine cost about
    /// a tenth of a one-connection call. Only when nothing is in flight and nothing is due (so never while a reply is
    /// awaited), and for ``spinNanoseconds`` at most.
    private func spinForWork() {
        let until = monotonicNanoseconds() + Self.spinNanoseconds
        while queued.load(ordering: .relaxed) == 0 && monotonicNanoseconds() < until {}
    }

    /// Waits a little for a reply (or work from another thread) before the loop sleeps in `poll`: polls the
    /// sockets without waiting, again and again, for ``LeaseCacheConfiguration/replySpinMicroseconds`` at most,
    /// and not past `deadline` (the first command timeout). Returns what the last `poll` found ready (0: nothing;
    /// the loop then sleeps in `poll` as before).
    ///
    /// Why: on a local network a reply takes tens of microseconds, and a loop asleep in `poll` wakes for it only
    /// after the kernel has scheduled it again, on a small or busy machine a good part of the round trip; a call
    /// makes four. A loop still awake takes the reply at once (on one connection, a tenth to a fifth more calls
    /// per second than a thread blocking in hiredis, on this project's machines). Only while a reply is awaited
    /// and nothing else is queued, bounded, and only while replies come quickly (``ReplySpinPolicy``).
    private func spinForReplies(_ descriptors: inout [pollfd], deadline: Int64) -> Int32 {
        let until = min(monotonicNanoseconds() + replySpin.spinNanoseconds, deadline)
        while queued.load(ordering: .relaxed) == 0 {
            let ready = poll(&descriptors, nfds_t(descriptors.count), 0)
            if ready != 0 || monotonicNanoseconds() >= until { return ready }
        }
        return 0
    }

    /// How long an idle loop waits for work before it sleeps.
    static let spinNanoseconds: Int64 = 30_000

    /// The most jobs run between two polls.
    private static let batchMaximum = 64

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeReader, &buffer, buffer.count) > 0 {}
    }
}

/// What an ``EventLoop`` runs: a task's job on one of its executors, or a step of a call (a ``CallDriver`` starting,
/// a failure handed to one).
enum LoopWork {
    /// A task's job, the executor it runs on, and the lane whose executor that is, if it is a lane's.
    case job(UnownedJob, UnownedTaskExecutor, Unmanaged<ConnectionLane>?)
    case closure(@Sendable () -> Void)
}

/// The monotonic clock in nanoseconds: command deadlines, immune to wall-clock steps.
func monotonicNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}
