import ArgumentParser
import Foundation
import RedisDiff

/// `leaselab diff-redis`: the same random command sequences on the simulated Redis and on a real redis-server,
/// every reply compared, timing allowed for (see `CandidateStates`).
struct DiffRedis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff-redis",
        abstract: "Send the same random command sequences to the simulated Redis and a real one; compare every reply.",
        discussion: """
            Each sequence has a few keys and tokens and 5 to 40 steps: every command of the protocol (GET, SET NX \
            PX with 1-50 ms TTLs, SET EX, DEL, the release and fenced-write scripts sent with EVAL), lookups aimed \
            just before, at and just after a key's deadline, and short waits. Every real command is bracketed by \
            the server's TIME; a reply counts as a difference only when no instant of its bracket explains it. \
            Keys live under a prefix of the run's own and are deleted at the end; nothing is flushed. The last \
            line reads `N sequences, M commands, K unexplained differences`; the exit status is 1 when K > 0.
            """)

    @OptionGroup var redis: RedisTargetOptions

    @Option(help: "How many random sequences to run.")
    var sequences: Int

    @Option(help: "The run's seed (sequence i has its own seed drawn from it, printed with any difference).")
    var seed: UInt64 = 1

    @Option(help: "Worker connections running sequences side by side.")
    var connections = 8

    @Flag(
        help: """
            Count as unexplained the replies only Redis 7.0's two clock readings explain (expiry checks at the \
            command's or script's start, a new TTL added to a later clock reading).
            """)
    var strictTTLClock = false

    func validate() throws {
        guard (1...DiffLimits.sequencesMaximum).contains(sequences) else {
            throw ValidationError("--sequences must be 1 to \(DiffLimits.sequencesMaximum)")
        }
        guard (1...DiffLimits.connectionsMaximum).contains(connections) else {
            throw ValidationError("--connections must be 1 to \(DiffLimits.connectionsMaximum)")
        }
    }

    func run() async throws {
        // A prefix of this run's own: the seed and the process, so two runs on one server never share keys.
        let keyPrefix = "leaselab:diff:\(seed)-\(ProcessInfo.processInfo.processIdentifier):"
        let sequences = sequences
        let strictTTLClock = strictTTLClock
        let report = try await redis.withServer { host, port, password in
            let configuration = DiffConfiguration(
                sequences: sequences, seed: seed, host: host, port: port, password: password,
                connections: connections, keyPrefix: keyPrefix, allowsLaterTTLClock: !strictTTLClock)
            return try RedisDiff.run(configuration) { progress in
                printError(
                    "diff-redis: \(progress.sequencesRun)/\(progress.sequencesRequested) sequences, "
                        + "\(progress.commandsCompared) commands, \(progress.unexplainedCount) unexplained")
            }
        }
        for line in report.lines { print(line) }
        if report.unexplainedCount > 0 { throw ExitCode.checkFailed }
    }
}

