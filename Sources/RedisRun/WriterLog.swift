import Synchronization

/// One source write of a real run, or its invalidation's failure.
struct WriterEntry: Hashable, Sendable {
    /// When the source changed (or the DEL failed), on the wall clock.
    var unixMicroseconds: Int64
    /// The write's index in the scenario's `writes:`.
    var writeIndex: Int
    /// Why its invalidating `DEL` failed, if it did.
    var failure: String?
}

/// The writers' record.
final class WriterLog: Sendable {
    private let storage = Mutex<[WriterEntry]>([])

    func append(_ entry: WriterEntry) {
        storage.withLock { $0.append(entry) }
    }

    var entries: [WriterEntry] {
        storage.withLock { $0 }
    }
}
