import ArgumentParser
import Foundation
import LeaseCache
import LeaseCore
import Logging
import RedisClient
import Trace

/// `leaselab bench cache`: `evictAndReload` calls per second through LeaseCache, beside a bare hiredis loop sending
/// the same four commands and beside `redis-benchmark`'s GET rate divided by four, on the same connection counts.
///
/// The workload is uncontended: every call has a key of its own (pre-seeded), the origin answers at once, and
/// nothing is pipelined across calls (LeaseCache runs with ``LeaseCacheConfiguration/pipelining`` off, so a
/// connection carries one command at a time in every column), so each call is exactly GET, SET NX PX, SET EX, EVAL. The target is LeaseCache
/// at 0.95 of the bare loop or better: the module adds under 5 %. Rounds alternate bare and LeaseCache, and the
/// best round of each is kept, which is the least disturbed by the machine's other load.
struct BenchCache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "LeaseCache calls/s vs a bare hiredis loop vs redis-benchmark GET/4, on 1 and 16 connections.")

    @OptionGroup var redis: RedisTargetOptions

    @Option(help: "Calls per measurement.")
    var calls = 20_000

    @Option(help: "Connection counts to measure, comma separated.")
    var connections = "1,16"

    @Option(help: "Rounds per measurement; the best is kept.")
    var rounds = 3

    @Option(
        help: ArgumentHelp(
            "Concurrent callers per connection in the 'busy' LeaseCache column. A service has more requests in "
                + "flight than connections; a second caller's work overlaps the first's round trip (its command "
                + "still waits for the connection: nothing is pipelined)."))
    var callersPerConnection = 4

    func validate() throws {
        guard (100...10_000_000).contains(calls) else { throw ValidationError("--calls must be 100 to 10000000") }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be 1 to 20") }
        guard (1...64).contains(callersPerConnection) else {
            throw ValidationError("--callers-per-connection must be 1 to 64")
        }
        guard !connectionCounts.isEmpty, connectionCounts.allSatisfy({ (1...512).contains($0) }) else {
            throw ValidationError("--connections must be a comma-separated list of counts from 1 to 512, like 1,16")
        }
    }

    private var connectionCounts: [Int] {
        connections.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    func run() async throws {
        #if DEBUG
        print("warning: a debug build; benchmark figures mean little. Use: swift run -c release leaselab bench cache")
        #endif
        let runID = String(UInt32.random(in: .min ... .max), radix: 16)
        try await redis.withServer { host, port, password in
            print("leaselab bench cache: \(calls) calls per measurement, best of \(rounds), redis \(host):\(port)")
            var rows: [[String]] = []
            for count in connectionCounts {
                let prefix = "leaselab:bench:\(runID):c\(count):"
                let keys = (0..<calls).map { "k\($0)" }
                var bestBare = 0.0
                var bestCache = 0.0
                var bestPinned = 0.0
                var bestBusy = 0.0
                for round in 0..<rounds {
                    try Self.seed(keys: keys, prefix: prefix + "bare\(round):", host: host, port: port, password: password)
                    bestBare = max(
                        bestBare,
                        try Self.bareLoop(
                            keys: keys, prefix: prefix + "bare\(round):", connections: count, host: host, port: port,
                            password: password))
                    try Self.seed(keys: keys, prefix: prefix + "cache\(round):", host: host, port: port, password: password)
                    bestCache = max(
                        bestCache,
                        try await Self.leaseCache(
                            keys: keys, prefix: prefix + "cache\(round):", connections: count, pinned: false,
                            host: host, port: port, password: password))
                    try Self.seed(keys: keys, prefix: prefix + "pinned\(round):", host: host, port: port, password: password)
                    bestPinned = max(
                        bestPinned,
                        try await Self.leaseCache(
                            keys: keys, prefix: prefix + "pinned\(round):", connections: count, pinned: true,
                            host: host, port: port, password: password))
                    try Self.seed(keys: keys, prefix: prefix + "busy\(round):", host: host, port: port, password: password)
                    bestBusy = max(
                        bestBusy,
                        try await Self.leaseCache(
                            keys: keys, prefix: prefix + "busy\(round):", connections: count, pinned: false,
                            callersPerConnection: callersPerConnection, host: host, port: port, password: password))
                    try Self.cleanUp(
                        keys: keys,
                        prefixes: [
                            prefix + "bare\(round):", prefix + "cache\(round):", prefix + "pinned\(round):",
                            prefix + "busy\(round):",
                        ],
                        host: host, port: port, password: password)
                }
                let redisBenchmark = Self.redisBenchmarkGet(host: host, port: port, connections: count, password: password)
                rows.append([
                    String(count),
                    String(Int(bestCache)),
                    String(Int(bestPinned)),
                    String(Int(bestBusy)),
                    String(Int(bestBare)),
                    String(format: "%.3f", bestCache / bestBare),
                    String(format: "%.3f", bestPinned / bestBare),
                    String(format: "%.3f", bestBusy / bestBare),
                    redisBenchmark.map { String(Int($0 / 4)) } ?? "n/a",
                    redisBenchmark.map { String(format: "%.3f", bestCache / ($0 / 4)) } ?? "n/a",
                ])
            }
            print(
                TextTable(
                    header: [
                        "connections", "LeaseCache calls/s", "pinned calls/s",
                        "busy (\(callersPerConnection) callers/conn) calls/s", "bare loop calls/s", "cache/bare",
                        "pinned/bare", "busy/bare", "redis-benchmark GET/4", "cache/ceiling",
                    ],
                    rows: rows
                ).rendered)
            print(
                "target: cache/bare >= 0.95. LeaseCache: one caller per connection, each call hopping to its "
                    + "connection's event loop thread and back; pinned: callers with connection affinity, no hop; "
                    + "busy: \(callersPerConnection) callers per connection, as a service has, one command at a "
                    + "time per connection (no pipelining in any column)")
        }
    }

    // MARK: - Measurements

    private static func variant() -> ProtocolVariant {
        Preset.pr4821.variant
    }

    /// Sets every key to `v1`, pipelined, so each call is a hit.
    private static func seed(keys: [String], prefix: String, host: String, port: Int, password: String?) throws {
        let connection = try open(host: host, port: port, password: password)
        defer { connection.close() }
        for chunk in stride(from: 0, to: keys.count, by: 1_000) {
            let commands = keys[chunk..<min(chunk + 1_000, keys.count)].map {
                [Array("SET".utf8), Array((prefix + $0).utf8), Array("v1".utf8), Array("EX".utf8), Array("300".utf8)]
            }
            _ = try connection.pipeline(commands)
        }
    }

    /// Deletes the run's keys (cache and lease), pipelined. Never FLUSHDB: the server may not be ours.
    private static func cleanUp(keys: [String], prefixes: [String], host: String, port: Int, password: String?) throws {
        let connection = try open(host: host, port: port, password: password)
        defer { connection.close() }
        for prefix in prefixes {
            try connection.deleteProtocolKeys(keys, prefix: prefix)
        }
    }

    private static func open(host: String, port: Int, password: String?) throws -> RedisConnection {
        try RedisConnection.session(host: host, port: port, password: password, commandTimeoutMicroseconds: 5_000_000)
    }

    /// The baseline: `connections` threads, each with its own connection, sending GET, SET NX PX, SET EX, EVAL per
    /// key with nothing else in the way. Returns calls per second.
    private static func bareLoop(
        keys: [String], prefix: String, connections: Int, host: String, port: Int, password: String?
    ) throws -> Double {
        let variant = variant()
        let opened = try (0..<connections).map { _ in try open(host: host, port: port, password: password) }
        defer { opened.forEach { $0.close() } }
        let group = DispatchGroup()
        let failures = FailureBox()
        let start = ContinuousClock.now
        for (lane, opened) in opened.enumerated() {
            group.enter()
            let owned = Owned(opened)
            let thread = Thread {
                let connection = owned.value
                defer { group.leave() }
                var index = lane
                while index < keys.count {
                    let key = keys[index]
                    let token = Token(worker: lane + 1, call: index + 1)
                    let value = CacheValue(version: 2)
                    let commands: [Command] = [
                        .get(key: key),
                        .acquire(key: key, token: token, ttlMilliseconds: variant.leaseTTLMilliseconds),
                        .set(key: key, value: value, ttlSeconds: variant.cacheTTLSeconds),
                        .release(key: key, token: token),
                    ]
                    for command in commands {
                        do {
                            _ = try connection.send(command.redisArguments(keyPrefix: prefix))
                        } catch {
                            failures.record("\(error)")
                            return
                        }
                    }
                    index += connections
                }
            }
            thread.start()
        }
        group.wait()
        let elapsed = ContinuousClock.now - start
        if let failure = failures.first {
            throw runProblem("bare loop failed: \(failure)")
        }
        return Double(keys.count) / elapsed.seconds
    }

    /// LeaseCache on `connections` connections, `connections * callersPerConnection` calls in flight at a time.
    /// Returns calls per second.
    /// `pinned`: each caller task prefers one connection's executor (connection affinity), so no call hops threads;
    /// otherwise callers run on the global pool and each call hops to its connection's event loop and back.
    private static func leaseCache(
        keys: [String], prefix: String, connections: Int, pinned: Bool, callersPerConnection: Int = 1, host: String,
        port: Int, password: String?
    ) async throws -> Double {
        var logger = Logger(label: "leaselab.bench")
        logger.logLevel = .error
        let cache = try LeaseCache(
            configuration: LeaseCacheConfiguration(
                host: host, port: port, connections: connections, pipelining: false, variant: variant(),
                keyPrefix: prefix, password: password),
            origin: { _ in CacheValue(version: 2) }, logger: logger)
        // Open every connection before the clock starts, as the bare loop does.
        _ = await withTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask { _ = await cache.evictAndReloadResult("warm-up") }
            }
        }
        let executors = cache.connectionExecutors
        let start = ContinuousClock.now
        let callers = connections * callersPerConnection
        let errors = await withTaskGroup(of: Int.self) { group in
            for lane in 0..<callers {
                group.addTask(executorPreference: pinned ? executors[lane % connections] : nil) {
                    var errors = 0
                    var index = lane
                    while index < keys.count {
                        if case .error = await cache.evictAndReloadResult(keys[index]).outcome {
                            errors += 1
                        }
                        index += callers
                    }
                    return errors
                }
            }
            return await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        if errors > 0 {
            throw runProblem("LeaseCache run had \(errors) error outcomes; is the server healthy?")
        }
        return Double(keys.count) / elapsed.seconds
    }

    /// `redis-benchmark -t get` requests per second on `connections` clients, or nil when it is not installed.
    /// Shared with `bench stress`.
    static func redisBenchmarkGet(host: String, port: Int, connections: Int, password: String?) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-benchmark")
        var arguments = ["-h", host, "-p", String(port), "-c", String(connections), "-n", "100000", "-t", "get", "-q"]
        if let password {
            arguments += ["-a", password, "--no-auth-warning"]
        }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // The -q output ends with a line like "GET: 19417.48 requests per second, p50=0.047 msec".
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last(where: { $0.contains("GET:") }),
            let number = line.split(separator: " ").dropFirst().first
        else { return nil }
        return Double(number)
    }
}

/// Hands a connection to the one thread that will use it (a connection is not thread-safe, but is safe to move).
private final class Owned<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The first failure of a bare-loop thread.
private final class FailureBox: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var failure: String?

    func record(_ message: String) {
        lock.lock()
        if failure == nil { failure = message }
        lock.unlock()
    }

    var first: String? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }
}
