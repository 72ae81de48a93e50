import Trace

// The protocol's branches, restated independently of LeaseCore from DESIGN.md and the brief's pinned semantics:
//
//     existing = GET key                     ; nil -> return miss
//     lock none:  DEL key; load; SET EX; return fresh            (no lease, no release)
//     lock lease: SET lease NX PX            ; nil -> return stale contended; a failure -> return error, no release
//                 load; SET EX | fenced write (0 -> fresh lease-lost); release; return
//     release:    compare-and-delete script | GET lease, then DEL if it held our token | DEL
//
// `try`/`finally` pinned: a write that fails is still followed by the release and the call returns the write's
// error; a release that fails replaces the outcome with its error; an origin failure or origin timeout releases,
// then serves stale.

extension ActiveCall {
    // Each input asks for exactly one next step (a send, the load, the return), so the answer is one step, not
    // a list: a list was an allocation per reply in the explorer.

    /// The call starts: read the cached value.
    mutating func start() -> CallStep {
        phase = .reading
        return .send(.readCache(key: key))
    }

    /// The reply to the call's outstanding command arrived.
    mutating func receive(_ reply: ModelReply, worker: Int, variant: ProtocolVariant, nowMicroseconds: Int64)
        -> CallStep
    {
        switch (phase, reply) {
        case (.reading, .value(let existing)):
            switch variant.lock {
            case .none:
                phase = .evicting(existing: existing)
                return .send(.deleteCache(key: key))
            case .lease:
                phase = .acquiring(existing: existing)
                return .send(.acquire(key: key, token: token(worker: worker)))
            }
        case (.reading, .null):
            return finish(.miss)

        case (.evicting(let existing), .integer):
            return startLoad(existing: existing, variant: variant, nowMicroseconds: nowMicroseconds)

        case (.acquiring(let existing), .ok):
            return startLoad(existing: existing, variant: variant, nowMicroseconds: nowMicroseconds)
        case (.acquiring(let existing), .null):
            return finish(.stale(version: existing, reason: .contended))

        case (.writing(let fresh), .ok):
            return release(pending: .fresh(version: fresh, leaseLost: false), worker: worker, variant: variant)
        case (.writing(let fresh), .integer(0)) where variant.write == .fenced:
            return release(pending: .fresh(version: fresh, leaseLost: true), worker: worker, variant: variant)

        case (.releasing(let pending), _):
            switch (variant.release, reply) {
            case (.compareAndDelete, .integer), (.delete, .integer):
                return finish(pending)
            case (.getThenDelete, .token(let holder)) where holder == token(worker: worker):
                phase = .releaseDeleting(pending: pending)
                return .send(.deleteLease(key: key))
            case (.getThenDelete, .token), (.getThenDelete, .null):
                return finish(pending)
            case (.compareAndDelete, _), (.delete, _), (.getThenDelete, _):
                preconditionFailure("ActiveCall: release reply \(reply) under \(variant.release)")
            }

        case (.releaseDeleting(let pending), .integer):
            return finish(pending)

        case (.reading, _), (.evicting, _), (.acquiring, _), (.loading, _), (.writing, _), (.releaseDeleting, _),
            (.finished, _):
            preconditionFailure("ActiveCall: reply \(reply) in phase \(phase): the model's Redis cannot give it")
        }
    }

    /// The outstanding command failed: a command timeout or a lost connection.
    mutating func fail(_ reason: ErrorReason, worker: Int, variant: ProtocolVariant) -> CallStep {
        switch phase {
        case .reading, .evicting, .acquiring, .releasing, .releaseDeleting:
            // Outside the try (read, evict, acquire) or inside the finally (release): the error ends the call.
            return finish(.error(reason))
        case .writing:
            // Inside the try: the finally still releases, then the write's error ends the call.
            return release(pending: .error(reason), worker: worker, variant: variant)
        case .loading, .finished:
            preconditionFailure("ActiveCall: a command failed in phase \(phase), where none is outstanding")
        }
    }

    /// The origin answered: `version`, or a failure when nil. Only called while loading.
    mutating func originAnswered(version: Int?, worker: Int, variant: ProtocolVariant) -> CallStep {
        guard case .loading(let existing, _) = phase else {
            preconditionFailure("ActiveCall: an origin answer in phase \(phase)")
        }
        guard let version else {
            return release(pending: .stale(version: existing, reason: .originFailed), worker: worker, variant: variant)
        }
        phase = .writing(fresh: version)
        switch variant.write {
        case .plain:
            return .send(.store(key: key, version: version))
        case .fenced:
            return .send(.fencedStore(key: key, version: version, token: token(worker: worker)))
        }
    }

    /// The origin timeout fired while loading: stop waiting (the origin goes on), release, serve stale.
    mutating func originTimedOut(worker: Int, variant: ProtocolVariant) -> CallStep {
        guard case .loading(let existing, _?) = phase else {
            preconditionFailure("ActiveCall: an origin timeout in phase \(phase)")
        }
        return release(pending: .stale(version: existing, reason: .originTimeout), worker: worker, variant: variant)
    }

    // MARK: - Steps

    private mutating func startLoad(existing: Int, variant: ProtocolVariant, nowMicroseconds: Int64) -> CallStep {
        phase = .loading(
            existing: existing, originTimerMicroseconds: variant.originTimeoutMicroseconds.map { nowMicroseconds + $0 })
        return .startLoad
    }

    /// The `finally`: release the lease if the variant takes one, then end with `pending`.
    private mutating func release(pending: ModelOutcome, worker: Int, variant: ProtocolVariant) -> CallStep {
        switch variant.lock {
        case .none:
            return finish(pending)
        case .lease:
            phase = .releasing(pending: pending)
            switch variant.release {
            case .compareAndDelete: return .send(.releaseScript(key: key, token: token(worker: worker)))
            case .getThenDelete: return .send(.readLease(key: key))
            case .delete: return .send(.deleteLease(key: key))
            }
        }
    }

    private mutating func finish(_ outcome: ModelOutcome) -> CallStep {
        phase = .finished(outcome)
        return .finish(outcome)
    }
}
