import Scenario
import Trace

/// Which values the model's delays take.
public enum ModelDomain: Hashable, Sendable {
    /// Each delay takes each value of the scenario's `explore` lists in turn, so every arrival is one instant and
    /// the explorer can enumerate every path.
    case explore
    /// Validation of one run: each delay the run drew (named by what it delays, as the simulator's chooser names
    /// it) is the one value that delay takes, provided it lies inside the scenario's range for it; a delay the
    /// run did not draw, or drew outside the range, takes the `explore` values instead, so the trace then shows
    /// the difference at the first event it moves.
    ///
    /// Why this and not whole ``TimeWindow``s: the simulator draws delays anywhere in the ranges, and many of its
    /// arrivals are silent (a reply whose worker only sends its next command), so a trace alone pins a delay only
    /// through later events; windows narrowed after the fact would lose the correlation between an arrival and
    /// the timers armed at it. Taking the run's own draw keeps every arrival one instant, and still judges every
    /// event: the model decides the order of items, the commands, replies, versions and outcomes, and whether the
    /// delay was one the scenario allows. What it takes on trust is the value of each in-range delay, which is the
    /// environment's, not the protocol's.
    case validation(delays: [DelayChoice: Int64])
}

/// The options of each kind of delay, worked out once per model from the scenario and the domain.
///
/// A final class, not a struct: every delay a step takes reads these lists through the model, and as a struct
/// held by the model it was copied out at each read, its six arrays retained and released around the lookup.
/// The lists live in storage of its own, handed out as plain buffers (``DelayValues``): an array handed out was
/// retained and released around every delay the explorer took.
final class DelayOptions: @unchecked Sendable {
    // @unchecked: the storage is written in `init` only, then read-only until `deinit` frees it.
    /// One-way network delays: each request, reply and restart notice.
    private let network: UnsafeMutableBufferPointer<TimeWindow>
    /// Origin latencies of loads without a fixed override.
    private let origin: UnsafeMutableBufferPointer<TimeWindow>
    /// The lengths each pause fault's range allows, by fault index (empty for other faults).
    private let pauseOptions: [UnsafeMutableBufferPointer<TimeWindow>]
    /// In validation, the run's own delays, each inside its range (see ``ModelDomain/validation(delays:)``).
    let drawn: DrawnDelays

    init(scenario: Scenario, domain: ModelDomain) {
        let explore = scenario.explore
        network = Self.stored(Self.options(explore.networkLatenciesMicroseconds, in: scenario.network.latency))
        // An explored origin latency may equal an override's latency outside the range; such a value is the
        // override's, never a ranged load's (the simulator draws ranged loads from the range only).
        origin = Self.stored(Self.options(explore.originLatenciesMicroseconds, in: scenario.origin.latency))
        // The explored pause lengths inside each pause's range, or the range's ends when none is (the simulator
        // draws a pause's length from its fault's range, so an explored length outside it would make model paths
        // no replay can follow).
        pauseOptions = scenario.faults.map { fault in
            guard case .pause(_, _, let range, _) = fault.kind else { return Self.stored([]) }
            return Self.stored(Self.options(explore.pausesMicroseconds, in: range))
        }
        guard case .validation(let delays) = domain else {
            drawn = DrawnDelays()
            return
        }
        drawn = DrawnDelays(delays) { choice, value in
            switch choice {
            case .network, .restartNotice: return scenario.network.latency.contains(value)
            case .origin: return scenario.origin.latency.contains(value)
            case .pause: return true  // judged against its own fault's range in ``pauses(fault:_:_:)``
            }
        }
    }

    deinit {
        network.deallocate()
        origin.deallocate()
        for options in pauseOptions { options.deallocate() }
    }

    private static func stored(_ values: [TimeWindow]) -> UnsafeMutableBufferPointer<TimeWindow> {
        let storage = UnsafeMutableBufferPointer<TimeWindow>.allocate(capacity: max(values.count, 1))
        _ = storage.initialize(from: values)
        return UnsafeMutableBufferPointer(rebasing: storage[..<values.count])
    }

    /// The explored `values` inside `range`, or the range's ends when none is: every delay's options.
    static func options(_ values: [Int64], in range: LatencyRange) -> [TimeWindow] {
        let inside = values.filter(range.contains)
        return (inside.isEmpty ? ExploreValues.ends(of: range) : inside).map(TimeWindow.init(microseconds:))
    }

    /// The options of a network delay (a request, a reply, a restart notice).
    @inline(__always)
    func network(_ choice: DelayChoice) -> DelayValues {
        if !drawn.isEmpty, let value = drawn[choice] { return DelayValues(drawn: TimeWindow(microseconds: value)) }
        return DelayValues(UnsafeBufferPointer(network))
    }

    /// The options of a ranged origin latency.
    @inline(__always)
    func origin(_ choice: DelayChoice) -> DelayValues {
        if !drawn.isEmpty, let value = drawn[choice] { return DelayValues(drawn: TimeWindow(microseconds: value)) }
        return DelayValues(UnsafeBufferPointer(origin))
    }

    /// The lengths the pause of fault `index`, whose range is `range`, takes: in validation the run's own draw
    /// when inside the range; otherwise the `explore: pause:` values inside the range, or the range's ends.
    func pauses(fault index: Int, _ range: LatencyRange, _ choice: DelayChoice) -> DelayValues {
        if !drawn.isEmpty, let value = drawn[choice], range.contains(value) {
            return DelayValues(drawn: TimeWindow(microseconds: value))
        }
        return DelayValues(UnsafeBufferPointer(pauseOptions[index]))
    }
}
