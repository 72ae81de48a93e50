import Trace

/// One `evictAndReload(key)` call of code review #4821, as a sans-I/O state machine.
///
/// The protocol (DESIGN.md "The protocol under study"):
///
///     existing = GET key                              ; miss -> return nil
///     lease    = SET lease:<key> <token> PX ttl NX    ; an error here ends the call, no release
///     if no lease: return existing                    ; serve stale, counted as contended
///     try:     fresh = loadFromSource(key); SET key fresh EX ttl; return fresh
///     finally: release lease:<key> only if it still holds <token>
///
/// and its variants, each a knob of ``ProtocolVariant``. Inputs come in (a reply, a command failure, the origin's
/// answer, a timer), each with `now` in microseconds; ``Actions`` come out. There is no I/O, no clock and no
/// randomness here: the token is given at creation (whole, or by worker and call), so the same machine runs in the
/// simulator and against Redis.
///
/// Semantics pinned where #4821's TypeScript leaves them to the language:
/// - the write and the release sit in `try`/`finally`: a write that fails is still followed by the release, and the
///   call then ends in the write's error; a release that fails replaces the outcome with its own error, as an
///   exception thrown from `finally` replaces the return value;
/// - an origin failure or an origin timeout serves the stale value (`stale vN origin-failed|origin-timeout`) after
///   the release;
/// - after a command failure the connection is not trusted again: the driver sends the next command (the release)
///   on a fresh connection.
public struct EvictAndReload: Sendable {
    /// The cache key this call evicts and reloads.
    public let key: String
    /// This call's lease token.
    public var token: Token {
        switch tokenSource {
        case .given(let token): return token
        case .symbolic(let worker, let call): return Token(worker: worker, call: call)
        }
    }
    /// Where the token comes from: given whole, or named by worker and call and written out only when a command
    /// carries it. Most simulated calls end at a cache miss, before any command needs a token, so making their
    /// text up front was a visible share of the simulator's time.
    private let tokenSource: TokenSource

    /// Where a call's token comes from.
    private enum TokenSource: Sendable {
        /// A token given whole (production: the token generator's).
        case given(Token)
        /// The symbolic token `w<worker>.<call>` of the simulator and the model (``Token/init(worker:call:)``).
        case symbolic(worker: Int, call: Int)
    }
    /// The knobs.
    public let variant: ProtocolVariant

    private var state: State
    /// What the release found, once it has answered.
    public private(set) var releaseResult: ReleaseResult?
    /// Whether the origin timeout fired while loading: the origin's answer may still come and is then ignored.
    public private(set) var abandonedLoad = false

    /// Where the call is.
    private enum State: Hashable, Sendable {
        /// Created, not started.
        case idle
        /// `GET key` sent.
        case reading
        /// Pre-review only: `DEL key` sent; `existing` is what the `GET` read.
        case evicting(existing: CacheValue)
        /// `SET lease:<key> <token> PX ttl NX` sent.
        case acquiring(existing: CacheValue)
        /// The origin is loading; `deadline` is the origin timeout's instant, if the variant has one.
        case loading(existing: CacheValue, deadlineMicroseconds: Int64?)
        /// The fresh value's write sent (`SET EX`, or the fenced-write script).
        case writing(existing: CacheValue, fresh: CacheValue)
        /// The first release command sent (the script, the `GET` of get-then-delete, or the `DEL` of delete);
        /// `pending` is the outcome the call ends with unless the release fails.
        case releasing(pending: Outcome)
        /// Get-then-delete only: the `GET` found our token, the `DEL` is sent.
        case releaseDeleting(pending: Outcome)
        /// Over.
        case finished(Outcome)
    }

    /// A call that has not started yet. `token` must be unique to this call: it is what tells our lease from
    /// another's.
    public init(key: String, token: Token, variant: ProtocolVariant) {
        // Drivers validate the variant once (LeaseCache at init, the scenario loader per file); checking it per
        // call would cost an allocation on the simulator's hot path.
        assert(variant.problems.isEmpty, "EvictAndReload: incoherent variant \(variant): \(variant.problems)")
        self.key = key
        self.tokenSource = .given(token)
        self.variant = variant
        self.state = .idle
    }

    /// A call that has not started yet, whose token is the symbolic `w<worker>.<call>`: the same machine as
    /// `init(key:token:variant:)` with `Token(worker: worker, call: call)`, the token's text made only when a
    /// command carries it.
    public init(key: String, worker: Int, call: Int, variant: ProtocolVariant) {
        precondition(worker >= 0 && call >= 0, "EvictAndReload(worker: \(worker), call: \(call))")
        assert(variant.problems.isEmpty, "EvictAndReload: incoherent variant \(variant): \(variant.problems)")
        self.key = key
        self.tokenSource = .symbolic(worker: worker, call: call)
        self.variant = variant
        self.state = .idle
    }

    // MARK: - Queries

    /// The outcome, once the call is over.
    public var outcome: Outcome? {
        if case .finished(let outcome) = state { return outcome }
        return nil
    }

    /// Whether the call is over.
    public var isFinished: Bool { outcome != nil }

    /// Whether a command's reply (or failure) is the next input this call expects.
    public var isAwaitingReply: Bool {
        switch state {
        case .reading, .evicting, .acquiring, .writing, .releasing, .releaseDeleting: return true
        case .idle, .loading, .finished: return false
        }
    }

    /// Whether the call is waiting for the origin.
    public var isLoading: Bool {
        if case .loading = state { return true }
        return false
    }

    /// The instant ``handleTimeout(nowMicroseconds:)`` has something to do, if any.
    public var timerDeadlineMicroseconds: Int64? {
        if case .loading(_, let deadline) = state { return deadline }
        return nil
    }

    // MARK: - Inputs

    /// Starts the call: reads the cached value.
    public mutating func start(nowMicroseconds: Int64) -> Actions {
        let actions = startUnchecked(nowMicroseconds: nowMicroseconds)
        step(actions)
        return actions
    }

    /// Always inlined, as ``receive(_:nowMicroseconds:)``'s body is: every simulated call starts here.
    @inline(__always)
    private mutating func startUnchecked(nowMicroseconds: Int64) -> Actions {
        guard case .idle = state else {
            preconditionFailure("EvictAndReload.start in state \(state)")
        }
        state = .reading
        return Actions(.send(.get(key: key)))
    }

    /// The reply to the command this call sent last.
    public mutating func receive(_ reply: Reply, nowMicroseconds: Int64) -> Actions {
        let actions = receiveUnchecked(reply, nowMicroseconds: nowMicroseconds)
        step(actions)
        return actions
    }

    /// Always inlined into ``receive(_:nowMicroseconds:)``, the input of most simulated steps: as a call of its
    /// own, its actions were returned into a temporary and copied again into `receive`'s result.
    @inline(__always)
    private mutating func receiveUnchecked(_ reply: Reply, nowMicroseconds: Int64) -> Actions {
        switch state {
        case .reading:
            switch reply {
            case .bulk(let bytes):
                return afterRead(existing: CacheValue(bytes: bytes))
            case .null:
                return finish(.miss)
            case .error:
                return finish(.error(.serverError))
            case .status, .integer, .other:
                return finish(.error(.unexpectedReply))
            }

        case .evicting(let existing):
            switch reply {
            case .integer:
                return startLoad(existing: existing, nowMicroseconds: nowMicroseconds)
            case .error:
                return finish(.error(.serverError))
            case .status, .null, .bulk, .other:
                return finish(.error(.unexpectedReply))
            }

        case .acquiring(let existing):
            switch reply {
            case .status("OK"):
                return startLoad(existing: existing, nowMicroseconds: nowMicroseconds)
            case .null:
                return finish(.stale(existing, .contended))
            case .error:
                // An acquire that errs ends the call: it sits outside #4821's try, so no release.
                return finish(.error(.serverError))
            case .status, .integer, .bulk, .other:
                return finish(.error(.unexpectedReply))
            }

        case .writing(_, let fresh):
            let written: Outcome
            switch (variant.write, reply) {
            case (.plain, .status("OK")), (.fenced, .status("OK")):
                written = .fresh(fresh, leaseLost: false)
            case (.fenced, .integer(0)):
                written = .fresh(fresh, leaseLost: true)
            case (_, .error):
                written = .error(.serverError)
            case (.plain, _), (.fenced, _):
                written = .error(.unexpectedReply)
            }
            return release(pending: written)

        case .releasing(let pending):
            return receiveRelease(reply, pending: pending)

        case .releaseDeleting(let pending):
            switch reply {
            case .integer(1):
                releaseResult = .released
                return finish(pending)
            case .integer(0):
                // The lease expired between our GET and our DEL.
                releaseResult = .noLease
                return finish(pending)
            case .error:
                return finish(.error(.serverError))
            case .integer, .status, .null, .bulk, .other:
                return finish(.error(.unexpectedReply))
            }

        case .idle, .loading, .finished:
            preconditionFailure("EvictAndReload.receive(\(reply)) in state \(state): no command is outstanding")
        }
    }

    /// The command this call sent last got no reply: it timed out or its connection broke.
    public mutating func commandFailed(_ failure: CommandFailure, nowMicroseconds: Int64) -> Actions {
        let actions = commandFailedUnchecked(failure, nowMicroseconds: nowMicroseconds)
        step(actions)
        return actions
    }

    private mutating func commandFailedUnchecked(_ failure: CommandFailure, nowMicroseconds: Int64) -> Actions {
        let error = Outcome.error(failure.errorReason)
        switch state {
        case .reading, .evicting, .acquiring, .releasing, .releaseDeleting:
            // Outside the try (read, evict, acquire), or in the finally (release): the error ends the call.
            return finish(error)
        case .writing:
            // Inside the try: the finally still releases, then the error ends the call.
            return release(pending: error)
        case .idle, .loading, .finished:
            preconditionFailure("EvictAndReload.commandFailed(\(failure)) in state \(state): no command is outstanding")
        }
    }

    /// The origin answered with a value. A no-op if the call has stopped waiting (its origin timeout fired).
    public mutating func originLoaded(_ value: CacheValue, nowMicroseconds: Int64) -> Actions {
        let actions = originLoadedUnchecked(value, nowMicroseconds: nowMicroseconds)
        step(actions)
        return actions
    }

    private mutating func originLoadedUnchecked(_ value: CacheValue, nowMicroseconds: Int64) -> Actions {
        guard case .loading(let existing, _) = state else {
            return lateOriginAnswer("originLoaded")
        }
        switch variant.write {
        case .plain:
            state = .writing(existing: existing, fresh: value)
            return Actions(.send(.set(key: key, value: value, ttlSeconds: variant.cacheTTLSeconds)))
        case .fenced:
            state = .writing(existing: existing, fresh: value)
            return (
                Actions(
                    .send(.fencedWrite(key: key, value: value, token: token, ttlSeconds: variant.cacheTTLSeconds))))
        }
    }

    /// The origin failed. A no-op if the call has stopped waiting.
    public mutating func originFailed(nowMicroseconds: Int64) -> Actions {
        let actions = originFailedUnchecked(nowMicroseconds: nowMicroseconds)
        step(actions)
        return actions
    }

    private mutating func originFailedUnchecked(nowMicroseconds: Int64) -> Actions {
        guard case .loading(let existing, _) = state else {
            return lateOriginAnswer("originFailed")
        }
        return release(pending: .stale(existing, .originFailed))
    }

    /// Time has reached `nowMicroseconds`. Before the armed deadline, and when no timer is armed, this is a
    /// harmless no-op, so a driver may call it early or twice (STYLE 3).
    public mutating func handleTimeout(nowMicroseconds: Int64) -> Actions {
        let actions = handleTimeoutUnchecked(nowMicroseconds: nowMicroseconds)
        step(actions)
        return actions
    }

    private mutating func handleTimeoutUnchecked(nowMicroseconds: Int64) -> Actions {
        guard case .loading(let existing, let deadline?) = state, nowMicroseconds >= deadline else {
            return .none
        }
        abandonedLoad = true
        let next = release(pending: .stale(existing, .originTimeout))
        guard let first = next.first else {
            preconditionFailure("EvictAndReload: release produced no action")
        }
        precondition(next.second == nil, "EvictAndReload: release produced two actions")
        return Actions(.stopLoad, first)
    }

    // MARK: - Steps

    private mutating func afterRead(existing: CacheValue) -> Actions {
        switch variant.lock {
        case .none:
            state = .evicting(existing: existing)
            return Actions(.send(.delete(key: key)))
        case .lease:
            state = .acquiring(existing: existing)
            return Actions(.send(.acquire(key: key, token: token, ttlMilliseconds: variant.leaseTTLMilliseconds)))
        }
    }

    private mutating func startLoad(existing: CacheValue, nowMicroseconds: Int64) -> Actions {
        if let timeout = variant.originTimeoutMicroseconds {
            let deadline = nowMicroseconds + timeout
            state = .loading(existing: existing, deadlineMicroseconds: deadline)
            return Actions(.startLoad(key: key), .armTimer(deadlineMicroseconds: deadline))
        }
        state = .loading(existing: existing, deadlineMicroseconds: nil)
        return Actions(.startLoad(key: key))
    }

    /// The `finally`: release the lease (if the variant takes one), then end with `pending`.
    private mutating func release(pending: Outcome) -> Actions {
        switch variant.lock {
        case .none:
            return finish(pending)
        case .lease:
            state = .releasing(pending: pending)
            let leaseKey = Command.leaseKey(of: key)
            switch variant.release {
            case .compareAndDelete:
                return Actions(.send(.release(key: key, token: token)))
            case .getThenDelete:
                return Actions(.send(.get(key: leaseKey)))
            case .delete:
                return Actions(.send(.delete(key: leaseKey)))
            }
        }
    }

    private mutating func receiveRelease(_ reply: Reply, pending: Outcome) -> Actions {
        if case .error = reply {
            return finish(.error(.serverError))
        }
        switch variant.release {
        case .compareAndDelete:
            switch reply {
            case .integer(1):
                releaseResult = .released
            case .integer(0):
                releaseResult = .anotherOwner
            case .integer(-1):
                releaseResult = .noLease
            case .integer, .status, .null, .bulk, .error, .other:
                return finish(.error(.unexpectedReply))
            }
            return finish(pending)
        case .getThenDelete:
            switch reply {
            case .bulk(let bytes) where bytes == token.bytes:
                state = .releaseDeleting(pending: pending)
                return Actions(.send(.delete(key: Command.leaseKey(of: key))))
            case .bulk:
                releaseResult = .anotherOwner
            case .null:
                releaseResult = .noLease
            case .integer, .status, .error, .other:
                return finish(.error(.unexpectedReply))
            }
            return finish(pending)
        case .delete:
            switch reply {
            case .integer(1):
                releaseResult = .released
            case .integer(0):
                releaseResult = .noLease
            case .integer, .status, .null, .bulk, .error, .other:
                return finish(.error(.unexpectedReply))
            }
            return finish(pending)
        }
    }

    private mutating func finish(_ outcome: Outcome) -> Actions {
        state = .finished(outcome)
        return Actions(.finish(outcome))
    }

    /// An origin answer when the call is not loading: after its timeout that is expected and ignored; otherwise
    /// (no load started, or a second answer) it is a driver bug.
    private func lateOriginAnswer(_ input: String) -> Actions {
        guard abandonedLoad else {
            preconditionFailure("EvictAndReload.\(input) in state \(state): no load is outstanding")
        }
        return .none
    }

    /// Every input ends here: checks the invariants in debug builds. It only borrows the actions, which the input
    /// then returns as they are: passing them through a function that returned them made release builds copy
    /// them (and the commands and values they hold) and destroy the original, on every input.
    @inline(__always)
    private func step(_ actions: borrowing Actions) {
        #if DEBUG
        checkInvariants(after: copy actions)
        #endif
    }
}
