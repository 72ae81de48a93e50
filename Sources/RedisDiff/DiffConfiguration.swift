import RedisClient

/// What a diff run does and where.
public struct DiffConfiguration: Sendable {
    /// How many sequences to run.
    public var sequences: Int
    /// The run's seed; sequence `i` is drawn from ``DiffSequence/seed(runSeed:index:)``.
    public var seed: UInt64
    /// The real server.
    public var host: String
    public var port: Int
    /// AUTH password, if the server wants one; never printed.
    public var password: String?
    /// Worker connections, each running whole sequences (waits overlap; the server still runs one command at a time).
    public var connections: Int
    /// Every key of the run lives under this prefix (each sequence under `<prefix><index>:`).
    public var keyPrefix: String
    /// The test hook (see ``SimulatedReplyFault``); nil outside tests.
    public var fault: SimulatedReplyFault?
    /// Keep a ``StepRecord`` per compared step (tests only: it grows with the run).
    public var recordSteps: Bool
    /// Whether Redis 7.0's later TTL clock may explain a reply (see ``CandidateStates``); false counts those
    /// replies as unexplained differences.
    public var allowsLaterTTLClock: Bool

    public init(
        sequences: Int, seed: UInt64, host: String, port: Int, password: String? = nil, connections: Int = 8,
        keyPrefix: String, fault: SimulatedReplyFault? = nil, recordSteps: Bool = false,
        allowsLaterTTLClock: Bool = true
    ) {
        precondition((0...DiffLimits.sequencesMaximum).contains(sequences), "sequences \(sequences) out of bounds")
        precondition((1...DiffLimits.connectionsMaximum).contains(connections), "connections \(connections) out of bounds")
        precondition(!keyPrefix.isEmpty && !keyPrefix.contains(where: { "*?[]\\".contains($0) }),
            "key prefix '\(keyPrefix)' must be non-empty and free of SCAN pattern characters")
        self.sequences = sequences
        self.seed = seed
        self.host = host
        self.port = port
        self.password = password
        self.connections = connections
        self.keyPrefix = keyPrefix
        self.fault = fault
        self.recordSteps = recordSteps
        self.allowsLaterTTLClock = allowsLaterTTLClock
    }

    /// The key prefix of sequence `index`.
    public func keyPrefix(ofSequence index: Int) -> String {
        keyPrefix + String(index) + ":"
    }
}
