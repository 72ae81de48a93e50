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
final class DelayOptions: Sendable {
    /// One-way network delays: each request, reply and restart notice.
    let network: [TimeWindow]
    /// Origin latencies of loads without a fixed override.
    let origin: [TimeWindow]
    /// In validation, the run's own delays, each inside its range (see ``ModelDomain/validation(delays:)``).
    let drawn: DrawnDelays
    /// The explored pause lengths (`explore: pause:`), each tried by the pauses whose range holds it.
    let pauseValues: [Int64]

    init(scenario: Scenario, domain: ModelDomain) {
        let explore = scenario.explore
        pauseValues = explore.pausesMicroseconds
        network = Self.options(explore.networkLatenciesMicroseconds, in: scenario.network.latency)
        // An explored origin latency may equal an override's latency outside the range; such a value is the
        // override's, never a ranged load's (the simulator draws ranged loads from the range only).
        origin = Self.options(explore.originLatenciesMicroseconds, in: scenario.origin.latency)
        guard case .validation(let delays) = domain else {
            drawn = DrawnDelays()
            return
        }
        drawn = DrawnDelays(delays) { choice, value in
            switch choice {
            case .network, .restartNotice: return scenario.network.latency.contains(value)
            case .origin: return scenario.origin.latency.contains(value)
            case .pause: return true  // judged against its own fault's range in ``pauses(_:_:)``
            }
        }
    }

    /// The explored `values` inside `range`, or the range's ends when none is: every delay's options.
    static func options(_ values: [Int64], in range: LatencyRange) -> [TimeWindow] {
        let inside = values.filter(range.contains)
        return (inside.isEmpty ? ExploreValues.ends(of: range) : inside).map(TimeWindow.init(microseconds:))
    }

    /// The options of a network delay (a request, a reply, a restart notice).
    func network(_ choice: DelayChoice) -> DelayValues {
        if !drawn.isEmpty, let value = drawn[choice] { return DelayValues(drawn: TimeWindow(microseconds: value)) }
        return DelayValues(network)
    }

    /// The options of a ranged origin latency.
    func origin(_ choice: DelayChoice) -> DelayValues {
        if !drawn.isEmpty, let value = drawn[choice] { return DelayValues(drawn: TimeWindow(microseconds: value)) }
        return DelayValues(origin)
    }

    /// The lengths a pause whose fault allows `range` takes: in validation the run's own draw when inside the
    /// range; otherwise the `explore: pause:` values inside the range, or the range's ends when none is (the
    /// simulator draws a pause's length from its fault's range, so an explored length outside it would make
    /// model paths no replay can follow).
    func pauses(_ range: LatencyRange, _ choice: DelayChoice) -> DelayValues {
        if !drawn.isEmpty, let value = drawn[choice], range.contains(value) {
            return DelayValues(drawn: TimeWindow(microseconds: value))
        }
        return DelayValues(Self.options(pauseValues, in: range))
    }
}
