import Trace

// How each part of a state is written into a ``PackedState``'s words and read back. Each code is total over
// the values a scenario within ``PackedLayout``'s checks can make, and reading a code gives back the value
// written (the agreement test checks it on every reachable state of the bundled scenarios).
enum PackedCodes {
    static let present: UInt64 = 1 << 63

    @inline(__always) static func word(_ value: Int) -> UInt64 { UInt64(bitPattern: Int64(value)) }
    @inline(__always) static func word(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) }
    @inline(__always) static func int(_ word: UInt64) -> Int { Int(Int64(bitPattern: word)) }
    @inline(__always) static func int64(_ word: UInt64) -> Int64 { Int64(bitPattern: word) }
    @inline(__always) static func bits(_ word: UInt64, _ shift: UInt64, _ width: UInt64) -> UInt64 {
        (word >> shift) & ((1 << width) - 1)
    }

    // MARK: - Tokens

    @inline(__always) static func token(_ token: ModelToken) -> UInt64 {
        UInt64(token.worker) << 32 | UInt64(token.call)
    }

    @inline(__always) static func token(_ word: UInt64) -> ModelToken {
        ModelToken(worker: Int(bits(word, 32, 31)), call: Int(bits(word, 0, 32)))
    }

    // MARK: - Commands: a tag, a key, and two payload words

    static func command(_ command: ModelCommand) -> (tag: UInt64, key: Int, a: UInt64, b: UInt64) {
        switch command {
        case .readCache(let key): return (1, key, 0, 0)
        case .deleteCache(let key): return (2, key, 0, 0)
        case .acquire(let key, let token): return (3, key, Self.token(token), 0)
        case .store(let key, let version): return (4, key, word(version), 0)
        case .fencedStore(let key, let version, let token): return (5, key, word(version), Self.token(token))
        case .releaseScript(let key, let token): return (6, key, Self.token(token), 0)
        case .readLease(let key): return (7, key, 0, 0)
        case .deleteLease(let key): return (8, key, 0, 0)
        }
    }

    static func command(tag: UInt64, key: Int, a: UInt64, b: UInt64) -> ModelCommand {
        switch tag {
        case 1: return .readCache(key: key)
        case 2: return .deleteCache(key: key)
        case 3: return .acquire(key: key, token: token(a))
        case 4: return .store(key: key, version: int(a))
        case 5: return .fencedStore(key: key, version: int(a), token: token(b))
        case 6: return .releaseScript(key: key, token: token(a))
        case 7: return .readLease(key: key)
        case 8: return .deleteLease(key: key)
        default: preconditionFailure("PackedCodes: no command \(tag)")
        }
    }

    // MARK: - Outcomes: a 6-bit code and a version

    static func outcome(_ outcome: ModelOutcome) -> (code: UInt64, version: UInt64) {
        switch outcome {
        case .fresh(let version, let leaseLost): return (1 | (leaseLost ? 8 : 0), word(version))
        case .stale(let version, let reason): return (2 | staleReason(reason) << 3, word(version))
        case .miss: return (3, 0)
        case .error(let reason): return (4 | errorReason(reason) << 3, 0)
        }
    }

    static func outcome(code: UInt64, version: UInt64) -> ModelOutcome {
        let sub = bits(code, 3, 3)
        switch code & 7 {
        case 1: return .fresh(version: int(version), leaseLost: sub != 0)
        case 2: return .stale(version: int(version), reason: staleReason(sub))
        case 3: return .miss
        case 4: return .error(errorReason(sub))
        default: preconditionFailure("PackedCodes: no outcome \(code)")
        }
    }

    private static func staleReason(_ reason: StaleReason) -> UInt64 {
        switch reason {
        case .contended: return 1
        case .originFailed: return 2
        case .originTimeout: return 3
        }
    }

    private static func staleReason(_ code: UInt64) -> StaleReason {
        switch code {
        case 1: return .contended
        case 2: return .originFailed
        case 3: return .originTimeout
        default: preconditionFailure("PackedCodes: no stale reason \(code)")
        }
    }

    private static func errorReason(_ reason: ErrorReason) -> UInt64 {
        switch reason {
        case .commandTimeout: return 1
        case .connectionLost: return 2
        case .serverError: return 3
        case .unexpectedReply: return 4
        }
    }

    private static func errorReason(_ code: UInt64) -> ErrorReason {
        switch code {
        case 1: return .commandTimeout
        case 2: return .connectionLost
        case 3: return .serverError
        case 4: return .unexpectedReply
        default: preconditionFailure("PackedCodes: no error reason \(code)")
        }
    }

    // MARK: - Replies: a tag and a payload word

    static func reply(_ reply: ModelReply) -> (tag: UInt64, payload: UInt64) {
        switch reply {
        case .ok: return (1, 0)
        case .null: return (2, 0)
        case .value(let version): return (3, word(version))
        case .token(let token): return (4, Self.token(token))
        case .integer(let value): return (5, word(value))
        }
    }

    static func reply(tag: UInt64, payload: UInt64) -> ModelReply {
        switch tag {
        case 1: return .ok
        case 2: return .null
        case 3: return .value(version: int(payload))
        case 4: return .token(token(payload))
        case 5: return .integer(int(payload))
        default: preconditionFailure("PackedCodes: no reply \(tag)")
        }
    }

    // MARK: - Pause points

    static func pausePoint(_ point: PausePoint) -> UInt64 {
        switch point {
        case .beforeAcquire: return 1
        case .afterLoad: return 2
        case .beforeWrite: return 3
        case .beforeRelease: return 4
        case .beforeReleaseDelete: return 5
        }
    }

    static func pausePoint(_ code: UInt64) -> PausePoint {
        switch code {
        case 1: return .beforeAcquire
        case 2: return .afterLoad
        case 3: return .beforeWrite
        case 4: return .beforeRelease
        case 5: return .beforeReleaseDelete
        default: preconditionFailure("PackedCodes: no pause point \(code)")
        }
    }

    // MARK: - A call's phase: a word of tag, outcome code and timer, and a word of version

    static func phase(_ phase: CallPhase) -> (UInt64, UInt64) {
        switch phase {
        case .reading: return (1, 0)
        case .evicting(let existing): return (2, word(existing))
        case .acquiring(let existing): return (3, word(existing))
        case .loading(let existing, let timer):
            guard let timer else { return (4, word(existing)) }
            precondition(timer >= 0 && timer < 1 << 52, "PackedCodes: origin timer \(timer) out of range")
            return (4 | 1 << 10 | UInt64(timer) << 11, word(existing))
        case .writing(let fresh): return (5, word(fresh))
        case .releasing(let pending):
            let (code, version) = outcome(pending)
            return (6 | code << 4, version)
        case .releaseDeleting(let pending):
            let (code, version) = outcome(pending)
            return (7 | code << 4, version)
        case .finished(let pending):
            let (code, version) = outcome(pending)
            return (8 | code << 4, version)
        }
    }

    static func phase(_ first: UInt64, _ second: UInt64) -> CallPhase {
        switch first & 15 {
        case 1: return .reading
        case 2: return .evicting(existing: int(second))
        case 3: return .acquiring(existing: int(second))
        case 4:
            let timer = bits(first, 10, 1) != 0 ? Int64(first >> 11) : nil
            return .loading(existing: int(second), originTimerMicroseconds: timer)
        case 5: return .writing(fresh: int(second))
        case 6: return .releasing(pending: outcome(code: bits(first, 4, 6), version: second))
        case 7: return .releaseDeleting(pending: outcome(code: bits(first, 4, 6), version: second))
        case 8: return .finished(outcome(code: bits(first, 4, 6), version: second))
        default: preconditionFailure("PackedCodes: no call phase \(first)")
        }
    }

    // MARK: - Works of a continuation: a head word of tags, worker, key and outcome, and two payload words

    static func work(_ work: Work) -> (UInt64, UInt64, UInt64) {
        switch work {
        case .step(let worker, let step):
            let head = 1 | UInt64(worker) << 3
            switch step {
            case .send(let command):
                let code = Self.command(command)
                return (head | 1 << 18 | code.tag << 20 | UInt64(code.key) << 32, code.a, code.b)
            case .startLoad:
                return (head | 2 << 18, 0, 0)
            case .finish(let outcome):
                let (code, version) = Self.outcome(outcome)
                return (head | 3 << 18 | code << 25, version, 0)
            }
        case .originAnswer(let worker, let version, let fails):
            return (2 | UInt64(worker) << 3 | (fails ? 1 << 24 : 0), word(version), 0)
        case .startNextCall(let worker):
            return (3 | UInt64(worker) << 3, 0, 0)
        case .invalidate(let write):
            return (4, UInt64(write), 0)
        case .reportReplyLost(let worker):
            return (5 | UInt64(worker) << 3, 0, 0)
        }
    }

    static func work(_ head: UInt64, _ a: UInt64, _ b: UInt64) -> Work {
        let worker = Int(bits(head, 3, 15))
        switch head & 7 {
        case 1:
            switch bits(head, 18, 2) {
            case 1:
                return .step(
                    worker: worker, .send(command(tag: bits(head, 20, 4), key: Int(bits(head, 32, 24)), a: a, b: b)))
            case 2: return .step(worker: worker, .startLoad)
            case 3:
                return .step(worker: worker, .finish(outcome(code: bits(head, 25, 6), version: a)))
            default: preconditionFailure("PackedCodes: no call step \(bits(head, 18, 2))")
            }
        case 2:
            return .originAnswer(worker: worker, version: int(a), fails: bits(head, 24, 1) != 0)
        case 3: return .startNextCall(worker: worker)
        case 4: return .invalidate(write: Int(a))
        case 5: return .reportReplyLost(worker: worker)
        default: preconditionFailure("PackedCodes: no work \(head & 7)")
        }
    }
}
