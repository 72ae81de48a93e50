import DequeModule
import Foundation

/// A task executor that runs every job on one dedicated thread.
///
/// hiredis is blocking and a context is not thread-safe (TOOLCHAIN.md). Running a connection's whole call on its own
/// thread, through task-executor preference, lets a call block in a round trip without starving Swift's two-thread
/// cooperative pool on this machine, and without a thread hop per command: the blocking command and the async code
/// around it run on the same thread. Calls sharing a thread interleave only at their `await`s (the origin load), so
/// one connection never has two commands in flight.
final class ConnectionThread: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopping` are guarded by `condition`; `thread` is set once in init.
    private let condition = NSCondition()
    private var jobs: Deque<UnownedJob> = []
    private var stopping = false
    private var cleanup: (@Sendable () -> Void)?
    private var thread: Thread?

    /// Starts the thread. `name` shows in debuggers and crash reports.
    init(name: String) {
        let thread = Thread { [unowned(unsafe) self] in
            self.run()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Whether the caller is running on this executor's thread.
    var isCurrent: Bool {
        Thread.current === thread
    }

    /// Asks the thread to finish the jobs it has, run `cleanup` on itself, then exit.
    func stop(then cleanup: @escaping @Sendable () -> Void) {
        condition.lock()
        stopping = true
        self.cleanup = cleanup
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping {
                condition.wait()
            }
            guard let job = jobs.popFirst() else {
                let cleanup = self.cleanup
                condition.unlock()
                cleanup?()
                return
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
