import Scenario
import Trace

/// A command of the protocol as the model holds it: keys by their index in the scenario's keyspace, values by
/// version, tokens by worker and call. ``LeaseModel/traceCommand(_:)`` gives the trace form.
///
/// One case per protocol step rather than per Redis command, because faults and pause points name steps: the
/// same `DEL` is an eviction on the cache key and a release on the lease key.
enum ModelCommand: Hashable, Sendable {
    /// `GET <key>`: the call's first read.
    case readCache(key: Int)
    /// `DEL <key>`: pre-review's eviction, or a writer's invalidation.
    case deleteCache(key: Int)
    /// `SET lease:<key> <token> PX <lease-ttl> NX`.
    case acquire(key: Int, token: ModelToken)
    /// `SET <key> v<version> EX <cache-ttl>`.
    case store(key: Int, version: Int)
    /// `EVAL fenced-write <key> lease:<key> v<version> <token> <cache-ttl>`.
    case fencedStore(key: Int, version: Int, token: ModelToken)
    /// `EVAL release lease:<key> <token>`: compare-and-delete.
    case releaseScript(key: Int, token: ModelToken)
    /// `GET lease:<key>`: the first half of get-then-delete.
    case readLease(key: Int)
    /// `DEL lease:<key>`: the second half of get-then-delete, or the whole of `release: delete`.
    case deleteLease(key: Int)

    /// The key index the command touches.
    var key: Int {
        switch self {
        case .readCache(let key), .deleteCache(let key), .acquire(let key, _), .store(let key, _),
            .fencedStore(let key, _, _), .releaseScript(let key, _), .readLease(let key), .deleteLease(let key):
            return key
        }
    }

    /// The step a `lose-reply` or `drop-connection` fault names for this command, if any. Get-then-delete's
    /// `GET` only reads the lease, so no fault names it (the simulator's choice, restated).
    var faultStep: FaultCommand? {
        switch self {
        case .readCache: return .read
        case .deleteCache: return .evict
        case .acquire: return .acquire
        case .store, .fencedStore: return .write
        case .releaseScript, .deleteLease: return .release
        case .readLease: return nil
        }
    }

    /// The pause point just before the command is sent, if any.
    func pausePoint(release: ReleaseStyle) -> PausePoint? {
        switch self {
        case .readCache: return nil
        case .deleteCache: return .beforeAcquire  // pre-review's evicting DEL stands where the acquire would
        case .acquire: return .beforeAcquire
        case .store, .fencedStore: return .beforeWrite
        case .releaseScript, .readLease: return .beforeRelease
        case .deleteLease:
            switch release {
            case .getThenDelete: return .beforeReleaseDelete
            case .compareAndDelete, .delete: return .beforeRelease
            }
        }
    }
}

/// A reply the model's Redis gives: only the shapes the protocol's commands produce there.
enum ModelReply: Hashable, Sendable {
    /// `+OK`.
    case ok
    /// nil: a missing key, an unmet `NX`.
    case null
    /// A cached value `v<version>`.
    case value(version: Int)
    /// A lease token, read by get-then-delete's `GET`.
    case token(ModelToken)
    /// An integer: `DEL`'s count, a script's result.
    case integer(Int)
}
