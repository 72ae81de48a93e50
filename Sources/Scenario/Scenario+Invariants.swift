extension Scenario {
    /// Checks what the loader guarantees of every scenario it returns; a broken one is a loader bug, so it stops
    /// with the scenario's name and the broken rule (STYLE.md 9). The loader runs it in debug builds; the fuzz
    /// test runs it on every scenario the loader accepts.
    public func checkInvariants() {
        func check(_ condition: Bool, _ rule: @autoclosure () -> String) {
            precondition(condition, "scenario '\(name)' (\(sourcePath)): \(rule())")
        }
        check(!protocols.isEmpty, "no protocols")
        check(Set(protocols.map(\.name)).count == protocols.count, "protocol names repeat")
        for named in protocols {
            check(named.variant.problems.isEmpty, "protocol \(named.name) is incoherent")
        }
        check(!keys.isEmpty && Set(keys.map(\.key)).count == keys.count, "keyspace empty or repeated")
        for key in keys {
            check(key.sourceVersion >= 0 && (key.cachedVersion ?? 0) >= 0, "negative version of \(key.key)")
            check((key.cachedVersion ?? 0) <= key.sourceVersion, "cached version above source for \(key.key)")
        }
        check(workerCount >= 1, "no workers")
        check(!calls.isEmpty, "no calls")
        var callsSoFar = [Int](repeating: 0, count: workerCount + 1)
        var previousAt: Int64 = 0
        for call in calls {
            check(call.atMicroseconds >= previousAt, "calls out of time order")
            previousAt = call.atMicroseconds
            check((1...workerCount).contains(call.worker), "call of unknown worker \(call.worker)")
            check(self.key(call.key) != nil, "call of unknown key \(call.key)")
            callsSoFar[call.worker] += 1
            check(call.callNumber == callsSoFar[call.worker], "call numbers of w\(call.worker) out of order")
        }
        func callExists(_ worker: Int, _ callNumber: Int) -> Bool {
            (1...workerCount).contains(worker) && callNumber >= 1 && callNumber <= callsSoFar[worker]
        }
        previousAt = 0
        var versions: [String: Int] = [:]
        for write in writes {
            check(write.atMicroseconds >= previousAt, "writes out of time order")
            previousAt = write.atMicroseconds
            guard let key = self.key(write.key) else {
                check(false, "write of unknown key \(write.key)")
                continue
            }
            let version = (versions[write.key] ?? key.sourceVersion) + 1
            check(write.version == version, "write version of \(write.key) is \(write.version), not \(version)")
            versions[write.key] = version
        }
        check(network.latency.minMicroseconds >= 0, "negative network latency")
        check(network.latency.minMicroseconds <= network.latency.maxMicroseconds, "network range reversed")
        check(origin.latency.minMicroseconds >= 0, "negative origin latency")
        check(origin.latency.minMicroseconds <= origin.latency.maxMicroseconds, "origin range reversed")
        for override in origin.overrides {
            check(callExists(override.worker, override.callNumber), "override of a call that does not exist")
        }
        for fault in faults {
            switch fault.kind {
            case .pause(let worker, let callNumber, let duration, _):
                check(
                    callExists(worker, callNumber) && duration.minMicroseconds > 0
                        && duration.minMicroseconds <= duration.maxMicroseconds, "bad pause fault")
            case .loseReply(let worker, let callNumber, _), .dropConnection(let worker, let callNumber, _):
                check(callExists(worker, callNumber), "fault on a call that does not exist")
            case .restartRedis(let at):
                check(at >= 0, "restart before time 0")
            }
        }
        for value in explore.networkLatenciesMicroseconds {
            check(network.latency.contains(value), "explored network latency outside the range")
        }
        let overrideLatencies = origin.overrides.compactMap(\.latencyMicroseconds)
        for value in explore.originLatenciesMicroseconds {
            check(origin.latency.contains(value) || overrideLatencies.contains(value),
                  "explored origin latency outside the range")
        }
        check(seedCount >= 1, "no seeds")
        for expectation in expectations {
            check(namedVariant(expectation.protocolName) != nil, "expectation of an unknown protocol")
            check(Set(expectation.fail).isDisjoint(with: expectation.hold), "a property both fails and holds")
        }
    }
}
