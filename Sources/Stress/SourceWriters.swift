import Foundation
import LeaseCache
import LeaseCore
import RedisClient
import Synchronization
import Trace

/// The writers of a stress run: each changes the source of one key after another, invalidates the cached value,
/// and refills the key under the lease, until told to stop.
///
/// Why the refill: under #4821 a call that finds no cached value returns `miss` and reloads nothing, so a key
/// invalidated while no reload was running would stay empty for the rest of the run and the race would die out.
/// The refill is a writer-side read-through done the safe way: take the lease (`SET NX PX`), store the newest
/// source version, release by compare-and-delete. A refill that finds the lease held skips: the holder's reload
/// fills the key (possibly with the version it read before the write, which `stale-set-after-invalidation`
/// describes and no-stale-overwrite allows, since nothing cached is replaced). Because a refill needs the lease,
/// it never races a reload under a lease preset; under `pre-review` the workers take no lease and the refill races
/// them like any reload.
///
/// Each writer has its own connection and thread (hiredis blocks) and its own tokens `w<worker>.<n>`, numbered
/// after the call connections, so the history tells a writer's lease from a call's. A writer that meets a Redis
/// error stops and keeps the error line.
final class SourceWriters: Sendable {
    /// What the writers did.
    struct Summary: Sendable {
        /// Source writes (each one invalidation).
        var writes: Int
        /// Refills stored under the lease.
        var refills: Int
        /// The first Redis error a writer met, as one line.
        var failure: String?
        /// Each writer connection's `ip:port` as the server sees it, to its name (`writer1`).
        var clientNames: [String: String]
    }

    private struct Shared {
        var writes = 0
        var refills = 0
        var failure: String?
        var clientNames: [String: String] = [:]
    }

    private let stopping = Atomic<Bool>(false)
    private let shared = Mutex(Shared())
    private let group = DispatchGroup()

    /// Opens one connection per writer (so an unreachable server fails here, before any call) and starts them.
    init(
        count: Int, firstWorker: Int, keys: [String], origin: RecordingOrigin, variant: ProtocolVariant,
        keyPrefix: String, invalidate: Bool, intervalMicroseconds: Int64, host: String, port: Int, password: String?
    ) throws(RedisError) {
        var connections: [RedisConnection] = []
        for _ in 0..<count {
            let connection = try RedisConnection.session(
                host: host, port: port, password: password,
                commandTimeoutMicroseconds: variant.commandTimeoutMicroseconds)
            connections.append(connection)
        }
        for (index, connection) in connections.enumerated() {
            let name = "writer\(index + 1)"
            if let address = StressRun.clientAddress(of: connection) {
                shared.withLock { $0.clientNames[address] = name }
            }
            let writer = Writer(
                connection: connection, worker: firstWorker + index, keys: keys, firstKey: index,
                stride: count, origin: origin, variant: variant, keyPrefix: keyPrefix, invalidate: invalidate,
                intervalMicroseconds: intervalMicroseconds)
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                writer.run(until: stopping, shared: shared)
            }
            thread.name = "leaselab.stress.\(name)"
            thread.start()
        }
    }

    /// Stops the writers, waits for them, and tells what they did.
    func stop() -> Summary {
        stopping.store(true, ordering: .relaxed)
        group.wait()
        return shared.withLock {
            Summary(writes: $0.writes, refills: $0.refills, failure: $0.failure, clientNames: $0.clientNames)
        }
    }

    /// One writer: its connection, used only on its own thread.
    private final class Writer: @unchecked Sendable {
        // @unchecked: `connection` is used only by the one thread `run` runs on.
        let connection: RedisConnection
        let worker: Int
        let keys: [String]
        let firstKey: Int
        let stride: Int
        let origin: RecordingOrigin
        let variant: ProtocolVariant
        let keyPrefix: String
        let invalidate: Bool
        let intervalMicroseconds: Int64

        init(
            connection: RedisConnection, worker: Int, keys: [String], firstKey: Int, stride: Int,
            origin: RecordingOrigin, variant: ProtocolVariant, keyPrefix: String, invalidate: Bool,
            intervalMicroseconds: Int64
        ) {
            self.connection = connection
            self.worker = worker
            self.keys = keys
            self.firstKey = firstKey
            self.stride = stride
            self.origin = origin
            self.variant = variant
            self.keyPrefix = keyPrefix
            self.invalidate = invalidate
            self.intervalMicroseconds = intervalMicroseconds
        }

        func run(until stopping: borrowing Atomic<Bool>, shared: borrowing Mutex<Shared>) {
            defer { connection.close() }
            var round = 0
            while !stopping.load(ordering: .relaxed) {
                let key = keys[(firstKey + round * stride) % keys.count]
                round += 1
                do {
                    let refilled = try write(key, token: Token(worker: worker, call: round))
                    shared.withLock {
                        $0.writes += 1
                        if refilled { $0.refills += 1 }
                    }
                } catch {
                    shared.withLock { if $0.failure == nil { $0.failure = error.description } }
                    return
                }
                if intervalMicroseconds > 0 { usleep(UInt32(intervalMicroseconds)) }
            }
        }

        /// One write: the source changes; when invalidating, the cached value goes and the key is refilled if the
        /// lease is free.
        private func write(_ key: String, token: Token) throws(RedisError) -> Bool {
            origin.write(key)
            guard invalidate else { return false }
            _ = try send(.delete(key: key))
            let acquired = try send(.acquire(key: key, token: token, ttlMilliseconds: variant.leaseTTLMilliseconds))
            guard case .status = acquired else { return false }
            let newest = CacheValue(version: origin.version(of: key))
            _ = try send(.set(key: key, value: newest, ttlSeconds: variant.cacheTTLSeconds))
            _ = try send(.release(key: key, token: token))
            return true
        }

        private func send(_ command: Command) throws(RedisError) -> RedisReply {
            try connection.send(command.redisArguments(keyPrefix: keyPrefix))
        }
    }
}
