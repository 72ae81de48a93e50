import Synchronization

/// The source of truth in a real run: each key's current version, bumped by the writers at their times and read by
/// the origin when a load starts (DESIGN.md: the version current at `load-start` is what the load returns).
///
/// Not ``RecordingOrigin``: a scenario's origin needs a latency per worker's call, failures, and the version each
/// load read, none of which that demo origin keeps.
final class SourceVersions: Sendable {
    private let versions: Mutex<[String: Int]>

    init(_ initial: [String: Int]) {
        versions = Mutex(initial)
    }

    /// The source changes to `version`.
    func write(_ key: String, version: Int) {
        versions.withLock { $0[key] = version }
    }

    /// The key's current version.
    func version(of key: String) -> Int {
        versions.withLock { $0[key] ?? 0 }
    }
}
