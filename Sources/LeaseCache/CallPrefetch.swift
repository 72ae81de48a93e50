import CPrefetch

/// Brings a waiting call's memory into cache one call ahead of its turn.
///
/// Why: a stress run keeps ten thousand calls in flight over sixteen connections, so a call's ``CallDriver`` and
/// its caller's task are touched again only after some six hundred other calls have run on its connection. Those
/// first touches missed every cache level and the TLB: with 10,000 calls in flight a call took about a third more
/// user CPU than with 1,000 (the same mix), nearly all of it in the first reads of a call's fields, its task's
/// status and its continuation. A connection's next call is known one round trip ahead, which is time enough.
///
/// Hints only: a prefetch never faults and changes nothing the program computes.
enum CallPrefetch {
    /// A ``CallDriver``'s bytes: its fields with its LeaseCore machine inline, about five cache lines.
    static let driverBytes = 320
    /// A task's first kilobyte: its header, whose status the runtime reads and writes when the task is resumed and
    /// enqueued, and the start of its allocator's first slab, where its executor preference record and its frames
    /// live. (256 bytes took a third of the misses; 2,048 no more than 1,024, for twice the hints.)
    static let taskBytes = 1_024

    /// The call's own fields, for its next start, send or reply.
    static func driver(_ call: CallDriver) {
        leaselab_prefetch_range(Unmanaged.passUnretained(call).toOpaque(), driverBytes)
    }

    /// The task a continuation resumes: an `UnsafeContinuation` is the task's address (checked: one pointer wide,
    /// else nothing is prefetched).
    static func task<T>(of continuation: UnsafeContinuation<T, Never>) {
        guard MemoryLayout<UnsafeContinuation<T, Never>>.size == MemoryLayout<UnsafeRawPointer>.size else { return }
        let task = withUnsafeBytes(of: continuation) { $0.load(as: UnsafeRawPointer.self) }
        leaselab_prefetch_range(task, taskBytes)
    }
}
