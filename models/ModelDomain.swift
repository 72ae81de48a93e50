import Scenario

/// Which values the model's delays take.
public enum ModelDomain: Hashable, Sendable {
    /// Each delay takes each value of the scenario's `explore` lists in turn, so every arrival is one instant and
    /// the explorer can enumerate every path. (A validation mode that accepts any delay inside the scenario's
    /// ranges would add a case whose options are whole windows; ``TimeWindow`` already carries them.)
    case explore
}

/// The options of each kind of delay, worked out once per model from the scenario and the domain.
struct DelayOptions: Hashable, Sendable {
    /// One-way network delays: each request, reply and restart notice.
    var network: [TimeWindow]
    /// Origin latencies of loads without a fixed override.
    var origin: [TimeWindow]

    init(scenario: Scenario, domain: ModelDomain) {
        switch domain {
        case .explore:
            let explore = scenario.explore
            let networkValues = explore.networkLatenciesMicroseconds.filter(scenario.network.latency.contains)
            network = (networkValues.isEmpty ? ExploreValues.ends(of: scenario.network.latency) : networkValues)
                .map(TimeWindow.init(microseconds:))
            // An explored origin latency may equal an override's latency outside the range; such a value is the
            // override's, never a ranged load's (the simulator draws ranged loads from the range only).
            let originValues = explore.originLatenciesMicroseconds.filter(scenario.origin.latency.contains)
            origin = (originValues.isEmpty ? ExploreValues.ends(of: scenario.origin.latency) : originValues)
                .map(TimeWindow.init(microseconds:))
        }
    }

    /// The lengths a pause of `duration` (its fault's `pause:`) takes.
    ///
    /// The simulator draws a pause's length from a range of exactly its fault's duration, so that is the only
    /// length a conforming model may take: the `explore: pause:` values count only where they equal it. (An
    /// explored length the simulator cannot produce would make model paths no replay can follow.)
    func pauses(duration: Int64) -> [TimeWindow] {
        [TimeWindow(microseconds: duration)]
    }
}
