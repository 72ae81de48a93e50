import Trace

// The canonical encoding of a state: every field in a fixed order, each enum as a tag word then its fields,
// each optional as a presence word, each array as its count then its elements. Equal states encode alike and
// (because every variable-length part carries its length and every choice its tag) different states differently,
// so the fingerprint of the encoding identifies a state up to hash collisions (about n² / 2⁶⁵ for n states).
// The parts' encoders are inlined into the state's: as calls, each spilled the running fingerprint to memory and
// back, and the encoding is a fifth of the explorer's time.

extension ModelState {
    /// The state's fingerprint: ``Fingerprint`` over the canonical encoding.
    public var fingerprint: UInt64 {
        fingerprintAndSize.fingerprint
    }

    /// The fingerprint, and the encoding's length in words, from one pass.
    var fingerprintAndSize: (fingerprint: UInt64, words: Int) {
        var sink = Fingerprint()
        encode(into: &sink)
        return (sink.finalized, sink.wordCount)
    }

    /// The canonical encoding as words: the packed form of the state.
    public var canonicalWords: [UInt64] {
        var sink = WordArray()
        encode(into: &sink)
        return sink.words
    }

    func encode<Sink: WordSink>(into sink: inout Sink) {
        sink.append(nowMicroseconds)
        sink.append(redis.cache.count)
        for entry in redis.cache {
            if let entry {
                sink.append(1 as UInt64)
                sink.append(entry.version)
                sink.append(entry.deadlineMilliseconds)
            } else {
                sink.append(0 as UInt64)
            }
        }
        for lease in redis.leases {
            if let lease {
                sink.append(1 as UInt64)
                lease.token.encode(into: &sink)
                sink.append(lease.deadlineMilliseconds)
                sink.append(lease.acquiredAtMicroseconds)
            } else {
                sink.append(0 as UInt64)
            }
        }
        for version in sourceVersions { sink.append(version) }
        for started in loadsStarted { sink.append(started) }
        sink.append(calls.count)
        for status in calls { sink.append(UInt64(status.rawValue)) }
        sink.append(writesDone.count)
        for done in writesDone { sink.append(done) }
        sink.append(faults.count)
        for decision in faults { sink.append(UInt64(decision.rawValue)) }
        sink.append(loads.count)
        for load in loads {
            sink.append(load.worker)
            sink.append(load.call)
            sink.append(load.key)
            sink.append(load.version)
            sink.append(load.arrival)
            sink.append(load.fails)
        }
        sink.append(workers.count)
        for worker in workers { worker.encode(into: &sink) }
        sink.append(ghostHorizonMicroseconds)
        sink.append(continuation.count)
        for work in continuation { work.encode(into: &sink) }
    }
}

extension ModelToken {
    @inline(__always)
    func encode<Sink: WordSink>(into sink: inout Sink) {
        sink.append(worker)
        sink.append(call)
    }
}

extension ModelWorker {
    @inline(__always)
    func encode<Sink: WordSink>(into sink: inout Sink) {
        if let call {
            sink.append(1 as UInt64)
            sink.append(call.callIndex)
            sink.append(call.callNumber)
            sink.append(call.key)
            call.phase.encode(into: &sink)
            sink.append(call.startedAtMicroseconds)
            sink.append(call.commandsSent)
            sink.append(UInt64(call.pausesUsed.bits))
        } else {
            sink.append(0 as UInt64)
        }
        sink.append(waiting.count)
        for index in waiting { sink.append(index) }
        if let outstanding {
            sink.append(1 as UInt64)
            outstanding.command.encode(into: &sink)
            sink.append(outstanding.number)
            sink.append(outstanding.deadlineMicroseconds)
            switch outstanding.message {
            case .request(let arrival):
                sink.append(1 as UInt64)
                sink.append(arrival)
            case .reply(let reply, let arrival):
                sink.append(2 as UInt64)
                reply.encode(into: &sink)
                sink.append(arrival)
            case .connectionLost(let arrival):
                sink.append(3 as UInt64)
                sink.append(arrival)
            case .restartNotice(let arrival):
                sink.append(4 as UInt64)
                sink.append(arrival)
            case .lost:
                sink.append(5 as UInt64)
            }
        } else {
            sink.append(0 as UInt64)
        }
        if let pause {
            sink.append(1 as UInt64)
            sink.append(UInt64(PausePointSet.bit(pause.point)))
            sink.append(pause.resume)
            switch pause.held {
            case .send(let command):
                sink.append(1 as UInt64)
                command.encode(into: &sink)
            case .originAnswer(let version, let fails):
                sink.append(2 as UInt64)
                sink.append(version)
                sink.append(fails)
            }
        } else {
            sink.append(0 as UInt64)
        }
    }
}

extension CallPhase {
    @inline(__always)
    func encode<Sink: WordSink>(into sink: inout Sink) {
        switch self {
        case .reading:
            sink.append(1 as UInt64)
        case .evicting(let existing):
            sink.append(2 as UInt64)
            sink.append(existing)
        case .acquiring(let existing):
            sink.append(3 as UInt64)
            sink.append(existing)
        case .loading(let existing, let timer):
            sink.append(4 as UInt64)
            sink.append(existing)
            sink.append(timer ?? -1)
        case .writing(let fresh):
            sink.append(5 as UInt64)
            sink.append(fresh)
        case .releasing(let pending):
            sink.append(6 as UInt64)
            pending.encode(into: &sink)
        case .releaseDeleting(let pending):
            sink.append(7 as UInt64)
            pending.encode(into: &sink)
        case .finished(let outcome):
            sink.append(8 as UInt64)
            outcome.encode(into: &sink)
        }
    }
}

extension ModelOutcome {
    @inline(__always)
    func encode<Sink: WordSink>(into sink: inout Sink) {
        switch self {
        case .fresh(let version, let leaseLost):
            sink.append(1 as UInt64)
            sink.append(version)
            sink.append(leaseLost)
        case .stale(let version, let reason):
            sink.append(2 as UInt64)
            sink.append(version)
            switch reason {
            case .contended: sink.append(1 as UInt64)
            case .originFailed: sink.append(2 as UInt64)
            case .originTimeout: sink.append(3 as UInt64)
            }
        case .miss:
            sink.append(3 as UInt64)
        case .error(let reason):
            sink.append(4 as UInt64)
            switch reason {
            case .commandTimeout: sink.append(1 as UInt64)
            case .connectionLost: sink.append(2 as UInt64)
            case .serverError: sink.append(3 as UInt64)
            case .unexpectedReply: sink.append(4 as UInt64)
            }
        }
    }
}

extension ModelCommand {
    @inline(__always)
    func encode<Sink: WordSink>(into sink: inout Sink) {
        switch self {
        case .readCache(let key):
            sink.append(1 as UInt64)
            sink.append(key)
        case .deleteCache(let key):
            sink.append(2 as UInt64)
            sink.append(key)
        case .acquire(let key, let token):
            sink.append(3 as UInt64)
            sink.append(key)
            token.encode(into: &sink)
        case .store(let key, let version):
            sink.append(4 as UInt64)
            sink.append(key)
            sink.append(version)
        case .fencedStore(let key, let version, let token):
            sink.append(5 as UInt64)
            sink.append(key)
            sink.append(version)
            token.encode(into: &sink)
        case .releaseScript(let key, let token):
            sink.append(6 as UInt64)
            sink.append(key)
            token.encode(into: &sink)
        case .readLease(let key):
            sink.append(7 as UInt64)
            sink.append(key)
        case .deleteLease(let key):
            sink.append(8 as UInt64)
            sink.append(key)
        }
    }
}

extension ModelReply {
    @inline(__always)
    func encode<Sink: WordSink>(into sink: inout Sink) {
        switch self {
        case .ok:
            sink.append(1 as UInt64)
        case .null:
            sink.append(2 as UInt64)
        case .value(let version):
            sink.append(3 as UInt64)
            sink.append(version)
        case .token(let token):
            sink.append(4 as UInt64)
            token.encode(into: &sink)
        case .integer(let value):
            sink.append(5 as UInt64)
            sink.append(value)
        }
    }
}

extension Work {
    @inline(__always)
    func encode<Sink: WordSink>(into sink: inout Sink) {
        switch self {
        case .step(let worker, let step):
            sink.append(1 as UInt64)
            sink.append(worker)
            switch step {
            case .send(let command):
                sink.append(1 as UInt64)
                command.encode(into: &sink)
            case .startLoad:
                sink.append(2 as UInt64)
            case .finish(let outcome):
                sink.append(3 as UInt64)
                outcome.encode(into: &sink)
            }
        case .originAnswer(let worker, let version, let fails):
            sink.append(2 as UInt64)
            sink.append(worker)
            sink.append(version)
            sink.append(fails)
        case .startNextCall(let worker):
            sink.append(3 as UInt64)
            sink.append(worker)
        case .invalidate(let write):
            sink.append(4 as UInt64)
            sink.append(write)
        case .reportReplyLost(let worker):
            sink.append(5 as UInt64)
            sink.append(worker)
        }
    }
}
