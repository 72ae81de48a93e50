import Dispatch
import Foundation
import LeaseCache
import RedisClient
import Synchronization

/// Sends the same random command sequences to the simulated Redis and to a real redis-server, and compares every
/// reply (see ``CandidateStates`` for what counts as a difference).
///
/// Sequences are independent (each has its own key prefix), so ``DiffConfiguration/connections`` worker threads
/// run them side by side, each on its own connection: a sequence's commands stay in order on one connection, and
/// the waits of one sequence overlap the commands of others. Totals do not depend on which worker ran what.
public enum RedisDiff {
    /// Progress, for a line on standard error during long runs.
    public struct Progress: Sendable {
        public var sequencesRun: Int
        public var sequencesRequested: Int
        public var commandsCompared: Int
        public var unexplainedCount: Int
    }

    /// How often ``run(_:progress:)`` reports progress.
    public static let progressIntervalMicroseconds: Int64 = 1_000_000

    /// Runs every sequence, then deletes whatever the run's prefix still holds (a sweep with SCAN, in case a
    /// worker stopped early). Never flushes anything.
    ///
    /// - Parameter progress: called at most once per ``progressIntervalMicroseconds``, from a worker thread.
    /// - Throws: the first connection or server failure; the sweep still runs.
    public static func run(
        _ configuration: DiffConfiguration, progress: (@Sendable (Progress) -> Void)? = nil
    ) throws(DiffError) -> DiffReport {
        let shared = Shared(
            report: DiffReport(
                seed: configuration.seed, sequencesRequested: configuration.sequences,
                endpoint: "\(configuration.host):\(configuration.port)", connections: configuration.connections))
        let started = ContinuousClock.now
        let group = DispatchGroup()
        let workerCount = min(configuration.connections, max(configuration.sequences, 1))
        for _ in 0..<workerCount {
            group.enter()
            let thread = Thread {
                work(configuration, shared: shared, started: started, progress: progress)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let sweepError = sweep(configuration)
        var (report, firstError) = shared.state.withLock { ($0.report, $0.firstError) }
        report.elapsedMicroseconds = microseconds(since: started)
        if let error = firstError ?? sweepError { throw error }
        return report
    }

    // MARK: - Workers

    /// What the workers share.
    final class Shared: Sendable {
        struct State {
            var nextIndex = 0
            var report: DiffReport
            var firstError: DiffError?
            var lastProgressMicroseconds: Int64 = 0
        }
        let state: Mutex<State>
        init(report: DiffReport) { state = Mutex(State(report: report)) }
    }

    private static func work(
        _ configuration: DiffConfiguration, shared: Shared, started: ContinuousClock.Instant,
        progress: (@Sendable (Progress) -> Void)?
    ) {
        let connection: RedisConnection
        do {
            connection = try RedisConnection.session(
                host: configuration.host, port: configuration.port, password: configuration.password,
                connectTimeoutMicroseconds: 2_000_000, commandTimeoutMicroseconds: 5_000_000)
            if case .error(let message) = try connection.send("PING") {
                let refused = DiffError.refused(endpoint: connection.description, serverMessage: message)
                shared.state.withLock { if $0.firstError == nil { $0.firstError = refused } }
                return
            }
        } catch {
            shared.state.withLock { if $0.firstError == nil { $0.firstError = .redis(error) } }
            return
        }
        defer { connection.close() }
        let aim = SequenceRunner.AimCalibration()
        while true {
            let claimed: Int? = shared.state.withLock { state in
                guard state.firstError == nil, state.nextIndex < configuration.sequences else { return nil }
                if microseconds(since: started) > DiffLimits.runWallTimeMaximumSeconds * 1_000_000 {
                    state.report.stoppedAtTimeBound = true
                    return nil
                }
                defer { state.nextIndex += 1 }
                return state.nextIndex
            }
            guard let index = claimed else { return }
            let sequence = DiffSequence.generate(seed: DiffSequence.seed(runSeed: configuration.seed, index: index))
            let runner = SequenceRunner(
                connection: connection, keyPrefix: configuration.keyPrefix(ofSequence: index),
                fault: configuration.fault, recordSteps: configuration.recordSteps,
                allowsLaterTTLClock: configuration.allowsLaterTTLClock, aim: aim)
            do {
                let outcome = try runner.run(sequence, index: index)
                let report: Progress? = shared.state.withLock { state in
                    state.report.add(outcome, index: index, keepRecords: configuration.recordSteps)
                    let now = microseconds(since: started)
                    guard progress != nil, now - state.lastProgressMicroseconds >= progressIntervalMicroseconds else {
                        return nil
                    }
                    state.lastProgressMicroseconds = now
                    return Progress(
                        sequencesRun: state.report.sequencesRun, sequencesRequested: configuration.sequences,
                        commandsCompared: state.report.counts.commandsCompared,
                        unexplainedCount: state.report.unexplainedCount)
                }
                if let report, let progress { progress(report) }
            } catch {
                shared.state.withLock { if $0.firstError == nil { $0.firstError = error } }
                return
            }
        }
    }

    /// Deletes every key left under the run's prefix, SCAN by SCAN; returns the failure, if any.
    private static func sweep(_ configuration: DiffConfiguration) -> DiffError? {
        do {
            let connection = try RedisConnection.session(
                host: configuration.host, port: configuration.port, password: configuration.password,
                connectTimeoutMicroseconds: 2_000_000, commandTimeoutMicroseconds: 5_000_000)
            defer { connection.close() }
            var cursor = "0"
            for _ in 0..<DiffLimits.sweepScanRoundsMaximum {
                let reply = try connection.send(strings: [
                    "SCAN", cursor, "MATCH", configuration.keyPrefix + "*", "COUNT", "1000",
                ])
                guard case .array(let parts) = reply, parts.count == 2, case .bulk(let next) = parts[0],
                    case .array(let keys) = parts[1]
                else { return .malformedReply(endpoint: connection.description, command: "SCAN", got: reply) }
                let names = keys.compactMap { key -> [UInt8]? in
                    if case .bulk(let name) = key { return name }
                    return nil
                }
                if !names.isEmpty { _ = try connection.send([Array("DEL".utf8)] + names) }
                cursor = String(decoding: next, as: UTF8.self)
                if cursor == "0" { return nil }
            }
            return nil
        } catch {
            return .redis(error)
        }
    }

    private static func microseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }
}
