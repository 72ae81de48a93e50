import Foundation
import LeaseCache
import LeaseCore
import RealRedis
import RedisClient
import Scenario
import Synchronization
import Trace

/// One scenario worker's side of a real run: the probe LeaseCache calls at each command and pause point, the
/// origin it loads from, and the record of everything the worker did, with wall-clock instants.
///
/// A worker runs its calls one at a time (as in the simulator), so the harness knows which call each hook
/// belongs to. Faults are applied where the simulator applies them: a pause at its point once per call, a
/// `lose-reply` or `drop-connection` at every command of the named step of the named call.
final class WorkerHarness: LeaseCallProbe {
    private struct State {
        var loadsInFlight = 0
        var call = 0
        var pausesUsed: Set<PausePoint> = []
        var steps: [StampedStep] = []
    }

    let worker: Int
    private let scenario: Scenario
    private let faults: [FaultKind]
    private let scale: TimeScale
    private let commands: ScaledCommands
    private let proxy: ReplyHoldingProxy
    private let sources: SourceVersions
    private let originLatencyMicroseconds: Int64
    /// The server's `host:port`, which error lines name instead of the proxy's.
    private let serverEndpoint: String
    private let state = Mutex(State())
    private let armed = Mutex<ReplyHoldingProxy.Fault?>(nil)

    /// The most steps one worker records (STYLE 10); a scenario's calls make a few dozen each.
    static let stepsMaximum = 100_000

    init(
        worker: Int, scenario: Scenario, faults: [FaultKind], scale: TimeScale, commands: ScaledCommands,
        proxy: ReplyHoldingProxy, sources: SourceVersions, serverEndpoint: String
    ) {
        self.serverEndpoint = serverEndpoint
        self.worker = worker
        self.scenario = scenario
        self.faults = faults
        self.scale = scale
        self.commands = commands
        self.proxy = proxy
        self.sources = sources
        // A ranged origin latency takes the range's minimum: the real run makes no random choice (documented in
        // the README: the seed-0 decision is used only for `maybe` faults).
        self.originLatencyMicroseconds = scenario.origin.latency.minMicroseconds
    }

    /// What the worker did, in order.
    var steps: [StampedStep] {
        state.withLock { $0.steps }
    }

    func record(_ step: WorkerStep) {
        let now = UnixClock.nowMicroseconds()
        state.withLock { state in
            guard state.steps.count < Self.stepsMaximum else { return }
            state.steps.append(StampedStep(unixMicroseconds: now, step: step))
        }
    }

    /// `line` naming the server where LeaseCache named the proxy it was given: the user knows the server, not the
    /// harness's proxy in between.
    func serverNamed(_ line: String) -> String {
        line.replacingOccurrences(of: "\(proxy.host):\(proxy.port)", with: serverEndpoint)
    }

    /// A call starts.
    func startCall(_ call: Int, key: String) {
        state.withLock {
            $0.call = call
            $0.pausesUsed = []
        }
        record(.call(call: call, key: key))
    }

    private var currentCall: Int { state.withLock { $0.call } }

    // MARK: - LeaseCallProbe

    func reached(_ point: PausePoint, key: String) async {
        let call = currentCall
        // A pause whose length is a range takes its minimum, as a ranged origin latency does.
        let pause = faults.lazy.compactMap { kind -> Int64? in
            if case .pause(_, call, let duration, point) = kind { return duration.minMicroseconds }
            return nil
        }.first
        guard let duration = pause else { return }
        let first = state.withLock { $0.pausesUsed.insert(point).inserted }
        guard first else { return }
        record(.pause(point))
        await Self.sleepIgnoringCancellation(microseconds: scale.real(duration))
        record(.resume(point))
    }

    func willSend(_ command: Command) {
        let unscaled = commands.unscaled(command)
        record(.sent(unscaled))
        let call = currentCall
        guard let step = Self.faultStep(of: unscaled) else { return }
        for kind in faults {
            switch kind {
            case .loseReply(_, call, step):
                armed.withLock { $0 = .holdBackReply }
                proxy.arm(.holdBackReply)
                return
            case .dropConnection(_, call, step):
                armed.withLock { $0 = .breakAfterReply }
                proxy.arm(.breakAfterReply)
                return
            case .pause, .loseReply, .dropConnection, .restartRedis:
                continue
            }
        }
    }

    func received(_ result: Result<Reply, RedisError>, to command: Command) {
        let unscaled = commands.unscaled(command)
        let held = armed.withLock { armed in
            defer { armed = nil }
            return armed != nil
        }
        switch result {
        case .success(let reply):
            record(.received(unscaled, reply))
        case .failure(let error):
            record(.failed(unscaled, error.isTimeout ? .timeout : .connectionLost, held: held, why: serverNamed(error.description)))
        }
    }

    func originTimedOut(key: String) {
        record(.originTimeout(key: key))
    }

    // MARK: - The origin

    /// The origin LeaseCache loads from: reads the source version now, answers after the call's latency (its
    /// override, or the range's minimum), scaled. A load goes on after its caller's origin timeout, as a real
    /// origin does (DESIGN.md: a timeout cancels the wait, not the work), so its end is still recorded.
    var origin: LeaseCache.Origin {
        { [self] key in
            let call = currentCall
            let override = scenario.origin.override(worker: worker, callNumber: call)
            let version = sources.version(of: key)
            record(.loadStart(call: call, key: key, version: version))
            let latency = override?.latencyMicroseconds ?? originLatencyMicroseconds
            state.withLock { $0.loadsInFlight += 1 }
            defer { state.withLock { $0.loadsInFlight -= 1 } }
            await Self.sleepIgnoringCancellation(microseconds: scale.real(latency))
            if override?.fails == true {
                record(.loadFail(call: call, key: key))
                throw OriginFailure()
            }
            record(.loadEnd(call: call, key: key, version: version))
            return CacheValue(version: version)
        }
    }

    /// Waits until every load this worker started has answered (a load whose caller gave up still runs, and its
    /// `load-end` belongs in the trace), or until `boundMicroseconds` of real time have passed. Returns whether
    /// all answered.
    func waitForLoads(boundMicroseconds: Int64) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .microseconds(boundMicroseconds)
        while state.withLock({ $0.loadsInFlight }) > 0 {
            guard clock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }

    /// The origin's failure (`fail: true` overrides).
    struct OriginFailure: Error {}

    /// Sleeps the whole duration even if the calling task is cancelled: an origin timeout cancels the wait for
    /// the origin, and the origin itself must go on.
    static func sleepIgnoringCancellation(microseconds: Int64) async {
        guard microseconds > 0 else { return }
        await Task.detached {
            try? await Task.sleep(for: .microseconds(microseconds))
        }.value
    }

    /// The step a `lose-reply` or `drop-connection` fault names for this command (as the simulator decides it).
    static func faultStep(of command: Command) -> FaultCommand? {
        switch command {
        case .get(let key):
            return key.hasPrefix("lease:") ? nil : .read  // get-then-delete's GET only reads
        case .delete(let key):
            return key.hasPrefix("lease:") ? .release : .evict
        case .acquire: return .acquire
        case .set, .fencedWrite: return .write
        case .release: return .release
        }
    }
}
