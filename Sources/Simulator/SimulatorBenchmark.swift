import Scenario
import Trace

/// The pieces of `leaselab bench simulator`: a large generated scenario, and a bare loop through the simulator's
/// own queue type with empty handlers, which is the ceiling the simulator is measured against.
public enum SimulatorBenchmark {
    /// A scenario of `workers` workers making `calls` calls in all on `keys` keys, with a writer invalidating
    /// every `writeEveryMicroseconds`, and faults: a lost acquire reply and a pause in every 50th call of the
    /// first worker, a dropped connection in every 50th call of the second, and a maybe-fault restart.
    ///
    /// Calls of one worker are 20 ms apart, a little more than a call takes, so workers overlap and contend.
    public static func scenario(
        workers: Int = 100, calls: Int = 100_000, keys: Int = 10, writeEveryMicroseconds: Int64 = 5_000
    ) -> Scenario {
        let keyNames = (0..<keys).map { "key:\($0)" }
        var callList: [Call] = []
        callList.reserveCapacity(calls)
        let perWorker = (calls + workers - 1) / workers
        for number in 1...perWorker {
            for worker in 1...workers where callList.count < calls {
                callList.append(
                    Call(
                        atMicroseconds: Int64(number) * 20_000 + Int64(worker) * 37, worker: worker,
                        key: keyNames[(worker * 7 + number) % keys], callNumber: number))
            }
        }
        callList.sort { ($0.atMicroseconds, $0.worker) < ($1.atMicroseconds, $1.worker) }
        let end = Int64(perWorker + 1) * 20_000
        var writes: [SourceWrite] = []
        var versions = Array(repeating: 1, count: keys)
        var time: Int64 = writeEveryMicroseconds
        var index = 0
        while time < end {
            versions[index % keys] += 1
            writes.append(
                SourceWrite(
                    atMicroseconds: time, key: keyNames[index % keys], version: versions[index % keys],
                    invalidate: index % 2 == 0, writer: "writer"))
            time += writeEveryMicroseconds
            index += 1
        }
        var faults: [Fault] = []
        for number in stride(from: 1, through: perWorker, by: 50) {
            faults.append(Fault(kind: .loseReply(worker: 1, callNumber: number, command: .acquire), maybe: false))
            faults.append(
                Fault(kind: .pause(worker: 3, callNumber: number, duration: LatencyRange(fixedMicroseconds: 6_000_000), point: .afterLoad), maybe: true))
            if workers >= 2 {
                faults.append(Fault(kind: .dropConnection(worker: 2, callNumber: number, command: .write), maybe: false))
            }
        }
        faults.append(Fault(kind: .restartRedis(atMicroseconds: end / 2), maybe: true))
        return Scenario(
            name: "bench-\(workers)w-\(calls)c-\(keys)k",
            about: "generated for leaselab bench simulator",
            protocols: [NamedVariant(preset: .pr4821)],
            keys: keyNames.map { ScenarioKey(key: $0, cachedVersion: 1, sourceVersion: 1) },
            workerCount: workers,
            calls: callList,
            writes: writes,
            network: NetworkSettings(latency: LatencyRange(minMicroseconds: 200, maxMicroseconds: 800)),
            origin: OriginSettings(latency: LatencyRange(minMicroseconds: 2_000, maxMicroseconds: 8_000), overrides: []),
            faults: faults,
            explore: ExploreValues(
                networkLatenciesMicroseconds: [200, 800], originLatenciesMicroseconds: [2_000, 8_000],
                pausesMicroseconds: [6_000_000]),
            seedCount: 1)
    }

    /// Pushes and pops `events` items through the simulator's queue type with empty handlers, keeping
    /// `queueSize` items queued as the simulator does; returns a checksum so the work is not optimized away.
    public static func bareQueue(events: Int, queueSize: Int, seed: UInt64) -> UInt64 {
        var heap = EventQueue()
        var generator = SplitMix64(seed: seed)
        var sequence: UInt64 = 0
        for _ in 0..<queueSize {
            sequence += 1
            heap.insert(
                Scheduled(
                    timeMicroseconds: Int64(generator.next(below: 1_000)), sequence: sequence, slot: 0, priority: 1))
        }
        var checksum: UInt64 = 0
        for _ in 0..<events {
            guard let next = heap.popMin() else { break }
            checksum &+= UInt64(bitPattern: next.timeMicroseconds)
            sequence += 1
            heap.insert(
                Scheduled(
                    timeMicroseconds: next.timeMicroseconds + Int64(generator.next(below: 1_000)),
                    sequence: sequence, slot: next.slot, priority: 1))
        }
        return checksum
    }
}
