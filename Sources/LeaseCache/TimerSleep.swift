import Dispatch
import Synchronization

/// A sleep on a timer queue of its own, for the origin double's latency, and timers on that queue for the origin
/// timeout (``after(microseconds:_:)``).
///
/// `Task.sleep` wakes its task through a thread of Swift's shared pool. While that pool is busy (in a test run,
/// with other suites computing on its two threads here), a 1 ms load stretched to seconds, holding its lease past
/// the 5 s TTL, and the race test saw the very stale overwrite it looks for. This sleep's wake-up resumes the
/// caller straight onto its own executor (a LeaseCache connection's event loop) from the timer queue.
enum TimerSleep {
    private static let timers = DispatchQueue(label: "leaselab.origin-timers", qos: .userInteractive)

    /// Runs `body` on the timer queue once `microseconds` have passed: the origin timeout's wake-up, which must not
    /// wait for a thread of the shared pool either.
    static func after(microseconds: Int64, _ body: @escaping @Sendable () -> Void) {
        timers.asyncAfter(deadline: .now() + .microseconds(Int(microseconds)), execute: body)
    }

    /// Sleeps `microseconds`; throws `CancellationError` at once if the task is or gets cancelled.
    static func sleep(microseconds: Int64) async throws {
        let wake = Wake()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                wake.arm(continuation)
                after(microseconds: microseconds) { wake.fire(nil) }
            }
        } onCancel: {
            wake.fire(CancellationError())
        }
    }

    /// Resumes the sleeper once: on time, or cancelled, whichever comes first (cancelling may come first of all).
    private final class Wake: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Void, any Error>?
            var fired: (any Error)??
        }

        private let state = Mutex(State())

        func arm(_ continuation: CheckedContinuation<Void, any Error>) {
            let early = state.withLock { state -> (any Error)?? in
                guard let fired = state.fired else {
                    state.continuation = continuation
                    return nil
                }
                return .some(fired)
            }
            if let early { resume(continuation, with: early) }
        }

        func fire(_ error: (any Error)?) {
            let waiting = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard state.fired == nil else { return nil }
                state.fired = .some(error)
                defer { state.continuation = nil }
                return state.continuation
            }
            if let waiting { resume(waiting, with: error) }
        }

        private func resume(_ continuation: CheckedContinuation<Void, any Error>, with error: (any Error)?) {
            if let error { continuation.resume(throwing: error) } else { continuation.resume() }
        }
    }
}
