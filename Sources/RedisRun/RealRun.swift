import Foundation
import LeaseCache
import LeaseCore
import Logging
import RealRedis
import RedisClient
import Scenario
import Simulator
import Trace

/// `leaselab redis`: one scenario run in real time through LeaseCache against a real Redis, recorded by MONITOR,
/// and checked against the model (issue 6, items 1, 2 and 5).
///
/// Each worker is one LeaseCache with one connection, reached through a proxy of the harness's own
/// (``ReplyHoldingProxy``) that can hold back a reply (a `lose-reply` fault) and tells which server-side
/// addresses are the worker's. A probe (``WorkerHarness``) pauses the call at the scenario's points and records
/// what each worker sent and got; the origin takes the scenario's latencies; writers bump the source and `DEL`
/// at their times. Everything runs under the key prefix `leaselab:<run-id>:`, which is also all MONITOR keeps;
/// the run's keys are deleted at the end (and only those), nothing is ever flushed.
///
/// What the run does not choose at random: a ranged origin latency takes the range's minimum; a `maybe` fault
/// happens when it happens in the simulator's seed-0 run; the network is the real one.
public enum RealRun {
    /// How long before scenario time zero the run's set-up must be done: the workers start together.
    static let startLeadMicroseconds: Int64 = 50_000
    /// Extra real time waited past the last lease's deadline, so that its expiry falls inside the record.
    static let expiryMarginMicroseconds: Int64 = 5_000
    /// The most MONITOR lines a run keeps: the bundled scenarios make a few dozen.
    static let monitorCapacity = 100_000
    /// Connect timeout for every connection of the run.
    static let connectTimeoutMicroseconds: Int64 = 1_000_000

    /// Runs the scenario and checks it. Throws only when the run cannot start (a skipped scenario, MONITOR
    /// refused, the server unreachable); a run that breaks midway (the server killed) still returns a report
    /// that says so.
    public static func run(_ configuration: RealRunConfiguration) async throws(RedisRunError) -> RealRunReport {
        let scenario = configuration.scenario
        let named = configuration.named
        if let reason = scenario.realRedisSkipReason {
            throw .notReproducible("\(scenario.name): not reproduced in a real run: \(reason)")
        }
        let faults = try faultsThatHappen(scenario, named)
        let scale = configuration.scale
        let sent = scale.variant(named.variant)
        if let problem = sent.problems.first {
            throw .scale("--time-scale \(scale) makes \(problem.knob) unusable: \(problem.problem); use a larger scale")
        }
        let commands = ScaledCommands(scenario: named.variant, sent: sent)
        let endpoint = configuration.endpoint

        // MONITOR first: the seeds must be in the record, so the replay starts from what the server held.
        let monitor: RedisMonitor
        do {
            monitor = try RedisMonitor(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password, keyPrefix: configuration.keyPrefix, capacity: monitorCapacity,
                connectTimeoutMicroseconds: connectTimeoutMicroseconds)
        } catch {
            throw .monitor("leaselab redis: " + Self.monitorRefusal(error, endpoint: endpoint))
        }
        defer { monitor.close() }

        let setUp: RedisConnection
        do {
            setUp = try connect(configuration)
        } catch {
            throw .server("leaselab redis: \(error.description)")
        }
        defer { setUp.close() }
        if let problem = seed(scenario, sent: sent, prefix: configuration.keyPrefix, on: setUp) {
            deleteKeys(of: scenario, prefix: configuration.keyPrefix, on: setUp)
            throw .server("leaselab redis: \(endpoint): seeding the run's keys failed (\(problem)); is the server up and writable?")
        }

        let sources = SourceVersions(Dictionary(uniqueKeysWithValues: scenario.keys.map { ($0.key, $0.sourceVersion) }))
        var proxies: [ReplyHoldingProxy] = []
        var harnesses: [WorkerHarness] = []
        var caches: [LeaseCache] = []
        let writerProxy: ReplyHoldingProxy
        do {
            writerProxy = try ReplyHoldingProxy(upstreamHost: configuration.host, upstreamPort: configuration.port)
            for worker in 1...scenario.workerCount {
                let proxy = try ReplyHoldingProxy(upstreamHost: configuration.host, upstreamPort: configuration.port)
                let harness = WorkerHarness(
                    worker: worker, scenario: scenario, faults: faults.filter { fault in
                        if case .restartRedis = fault { return false }
                        return Fault(kind: fault, maybe: false).worker == worker
                    }, scale: scale, commands: commands, proxy: proxy, sources: sources, serverEndpoint: endpoint)
                let cache = try makeCache(configuration, proxy: proxy, harness: harness, variant: sent, worker: worker)
                proxies.append(proxy)
                harnesses.append(harness)
                caches.append(cache)
            }
        } catch {
            for proxy in proxies { proxy.close() }
            deleteKeys(of: scenario, prefix: configuration.keyPrefix, on: setUp)
            throw error
        }
        defer {
            writerProxy.close()
            for proxy in proxies { proxy.close() }
        }

        // Every connection open before time zero: a first call must not pay for connecting and AUTH.
        for (index, cache) in caches.enumerated() {
            if let failure = await cache.openConnections().first {
                deleteKeys(of: scenario, prefix: configuration.keyPrefix, on: setUp)
                throw .server("leaselab redis: w\(index + 1) could not connect: \(failure)")
            }
        }

        // Scenario time zero, on both clocks.
        let clock = ContinuousClock()
        let zeroInstant = clock.now + .microseconds(startLeadMicroseconds)
        let zeroUnix = UnixClock.nowMicroseconds() + startLeadMicroseconds
        let writerLog = WriterLog()

        await withTaskGroup(of: Void.self) { group in
            for (index, harness) in harnesses.enumerated() {
                let cache = caches[index]
                let calls = scenario.calls(ofWorker: harness.worker)
                group.addTask {
                    for call in calls {
                        try? await Task.sleep(until: zeroInstant + .microseconds(scale.real(call.atMicroseconds)), clock: clock)
                        harness.startCall(call.callNumber, key: call.key)
                        let result = await cache.evictAndReloadResult(call.key)
                        harness.record(.returned(result.outcome, failure: result.failure.map(harness.serverNamed)))
                    }
                }
            }
            group.addTask {
                await runWriters(
                    scenario, configuration: configuration, proxy: writerProxy, sources: sources, scale: scale,
                    zeroInstant: zeroInstant, clock: clock, log: writerLog)
            }
        }

        // Loads whose callers gave up (an origin timeout) still run: their answers belong in the trace.
        let longestLoad = ([scenario.origin.latency.maxMicroseconds] + scenario.origin.overrides.compactMap(\.latencyMicroseconds)).max() ?? 0
        for harness in harnesses {
            _ = await harness.waitForLoads(boundMicroseconds: scale.real(longestLoad) + 1_000_000)
        }

        // Wait past the deadline of every lease that may still be held, so that an orphaned lease's expiry is in
        // the record (the model's run ends only when no lease is left).
        let steps = harnesses.map(\.steps)
        let leaseDeadline = Self.latestUnreleasedLeaseDeadline(steps, leaseTTLMilliseconds: sent.leaseTTLMilliseconds)
        let endUnix = max(UnixClock.nowMicroseconds(), (leaseDeadline ?? 0) + expiryMarginMicroseconds)
        let wait = endUnix - UnixClock.nowMicroseconds()
        if wait > 0 { try? await Task.sleep(for: .microseconds(wait)) }

        let record = monitor.finish()
        let cleanupProblem = deleteKeysOrSay(of: scenario, configuration: configuration, on: setUp)

        let observation = RealObservationRecord(
            zeroUnixMicroseconds: zeroUnix, endUnixMicroseconds: endUnix, workerSteps: steps,
            workerAddresses: proxies.map(\.upstreamAddresses), writerAddresses: writerProxy.upstreamAddresses,
            writes: writerLog.entries, monitor: record)
        var report = RealRunReport.build(configuration: configuration, faults: faults, observation: observation)
        report.cleanupProblem = cleanupProblem
        return report
    }

    // MARK: - Parts

    /// The line for a MONITOR connection that failed: RedisMonitor's own, except when the server wants a password
    /// (or refused the one given), where the hint about the monitor permission would mislead.
    static func monitorRefusal(_ error: RedisError, endpoint: String) -> String {
        let message = error.serverMessage ?? ""
        if message.hasPrefix("NOAUTH") {
            return "\(endpoint) wants a password (\(message.split(separator: " ").first ?? "NOAUTH")); set LEASELAB_REDIS_PASSWORD (or --password) and run again"
        }
        if message.hasPrefix("WRONGPASS") || message.contains("invalid password") {
            return "\(endpoint) refused the password (WRONGPASS); check LEASELAB_REDIS_PASSWORD (or --password) and the ACL user"
        }
        return error.description
    }

    /// The latest wall-clock deadline of a lease that may still be held once every call has returned: one whose
    /// acquire answered OK (or got no answer) and which no release of its own token is known to have deleted (a
    /// release that answered 1, or a `DEL` of the lease key that answered 1). A lease another worker's `DEL` removed is waited for needlessly, which costs time, never correctness.
    static func latestUnreleasedLeaseDeadline(_ steps: [[StampedStep]], leaseTTLMilliseconds: Int) -> Int64? {
        var latest: Int64?
        for worker in steps {
            var deadlines: [Token: (leaseKey: String, unixMicroseconds: Int64)] = [:]
            for stamped in worker {
                switch stamped.step {
                case .received(.acquire(let key, let token, _), .status("OK")), .failed(.acquire(let key, let token, _), _, _, _):
                    // Taken, or perhaps taken (no reply): its deadline is at most a TTL after now.
                    deadlines[token] = (
                        Command.leaseKey(of: key), stamped.unixMicroseconds + Int64(leaseTTLMilliseconds) * 1_000 + 1_000
                    )
                case .received(.release(_, let token), .integer(1)):
                    deadlines[token] = nil
                case .received(.delete(let leaseKey), .integer(1)) where leaseKey.hasPrefix("lease:"):
                    // A DEL that removed the lease key left it empty: none of this worker's leases on it is left.
                    deadlines = deadlines.filter { $0.value.leaseKey != leaseKey }
                case .received, .failed, .call, .sent, .loadStart, .loadEnd, .loadFail, .originTimeout, .pause,
                    .resume, .returned:
                    break
                }
            }
            for deadline in deadlines.values.map(\.unixMicroseconds) { latest = max(latest ?? deadline, deadline) }
        }
        return latest
    }

    /// The faults that happen in this run: every fault, except a `maybe` one that does not happen in the
    /// simulator's seed-0 run. A restart that happens cannot be made for real.
    static func faultsThatHappen(_ scenario: Scenario, _ named: NamedVariant) throws(RedisRunError) -> [FaultKind] {
        var simulation = Simulation(
            scenario: scenario, variant: named.variant, chooser: RecordingChooser(SeededChooser(seed: 0)),
            recording: false)
        _ = simulation.run()
        let decisions = simulation.chooser.script.faults
        var happening: [FaultKind] = []
        for (index, fault) in scenario.faults.enumerated() {
            let happens = !fault.maybe || decisions[FaultChoice(index: index)] == true
            guard happens else { continue }
            if case .restartRedis = fault.kind {
                throw .notReproducible(
                    "\(scenario.name): not reproduced in a real run: a Redis restart breaks the MONITOR connection that records the server's order, and restarting a server given with --redis is never safe; add `real-redis: {skip: \"...\"}` to say so in the scenario")
            }
            happening.append(fault.kind)
        }
        return happening
    }

    static func connect(_ configuration: RealRunConfiguration) throws(RedisError) -> RedisConnection {
        try RedisConnection.session(
            host: configuration.host, port: configuration.port, password: configuration.password,
            username: configuration.username, connectTimeoutMicroseconds: connectTimeoutMicroseconds,
            commandTimeoutMicroseconds: 1_000_000)
    }

    /// Stores the scenario's initial cached values: `SET <key> v<n> PX <scaled cache TTL>` (PX, so the history
    /// reads it as a seed, not as a worker's write).
    /// Returns what went wrong, or nil.
    static func seed(_ scenario: Scenario, sent: ProtocolVariant, prefix: String, on connection: RedisConnection)
        -> String?
    {
        for key in scenario.keys {
            guard let cached = key.cachedVersion else { continue }
            do {
                let reply = try connection.send(strings: [
                    "SET", prefix + key.key, "v\(cached)", "PX", String(sent.cacheTTLSeconds * 1_000),
                ])
                guard case .status = reply else { return "SET \(key.key) answered \(reply)" }
            } catch {
                return error.description
            }
        }
        return nil
    }

    /// Deletes the run's own keys (each scenario key and its lease key, under the prefix), and nothing else;
    /// returns whether the server confirmed it.
    @discardableResult
    static func deleteKeys(of scenario: Scenario, prefix: String, on connection: RedisConnection) -> Bool {
        do {
            try connection.deleteProtocolKeys(scenario.keys.map(\.key), prefix: prefix)
            return true
        } catch {
            return false
        }
    }

    /// Deletes the run's keys at the end, on a fresh connection if the set-up one has gone bad; nil when done, else
    /// one line saying what may be left and for how long.
    static func deleteKeysOrSay(
        of scenario: Scenario, configuration: RealRunConfiguration, on connection: RedisConnection
    ) -> String? {
        if deleteKeys(of: scenario, prefix: configuration.keyPrefix, on: connection) { return nil }
        if let fresh = try? connect(configuration) {
            defer { fresh.close() }
            if deleteKeys(of: scenario, prefix: configuration.keyPrefix, on: fresh) { return nil }
        }
        return "\(configuration.endpoint): could not delete the run's keys under \(configuration.keyPrefix); they expire with their TTLs (the cache TTL at most), or delete them by that prefix"
    }

    static func makeCache(
        _ configuration: RealRunConfiguration, proxy: ReplyHoldingProxy, harness: WorkerHarness,
        variant: ProtocolVariant, worker: Int
    ) throws(RedisRunError) -> LeaseCache {
        do {
            return try LeaseCache(
                configuration: LeaseCacheConfiguration(
                    host: proxy.host, port: proxy.port, connections: 1, variant: variant,
                    keyPrefix: configuration.keyPrefix, connectTimeoutMicroseconds: connectTimeoutMicroseconds,
                    password: configuration.password, username: configuration.username, probe: harness),
                origin: harness.origin, tokens: SymbolicTokenGenerator(worker: worker), logger: quietLogger(worker))
        } catch {
            throw .setUp("leaselab redis: w\(worker)'s cache: \(error.description)")
        }
    }

    /// A logger that stays quiet below critical: every failed call is in the run's report, with the server's
    /// name rather than the proxy's, so LeaseCache's own warnings would only repeat it.
    static func quietLogger(_ worker: Int) -> Logger {
        var logger = Logger(label: "leaselab.redis.w\(worker)")
        logger.logLevel = .critical
        return logger
    }

    /// The writers: each write bumps the source at its time, then (`invalidate: true`) deletes the cached key over
    /// the writers' own connection, as one `exec DEL` of the writer.
    static func runWriters(
        _ scenario: Scenario, configuration: RealRunConfiguration, proxy: ReplyHoldingProxy, sources: SourceVersions,
        scale: TimeScale, zeroInstant: ContinuousClock.Instant, clock: ContinuousClock, log: WriterLog
    ) async {
        guard !scenario.writes.isEmpty else { return }
        var connection: RedisConnection?
        defer { connection?.close() }
        for (index, write) in scenario.writes.enumerated() {
            try? await Task.sleep(until: zeroInstant + .microseconds(scale.real(write.atMicroseconds)), clock: clock)
            sources.write(write.key, version: write.version)
            log.append(WriterEntry(unixMicroseconds: UnixClock.nowMicroseconds(), writeIndex: index, failure: nil))
            guard write.invalidate else { continue }
            do {
                if connection == nil {
                    var viaProxy = configuration
                    viaProxy.host = proxy.host
                    viaProxy.port = proxy.port
                    connection = try connect(viaProxy)
                }
                _ = try connection!.send([
                    Array("DEL".utf8), Array((configuration.keyPrefix + write.key).utf8),
                ])
            } catch {
                connection?.close()
                connection = nil
                log.append(
                    WriterEntry(
                        unixMicroseconds: UnixClock.nowMicroseconds(), writeIndex: index,
                        failure: "\(write.writer)'s DEL \(write.key): \(error.description)"))
            }
        }
    }
}
