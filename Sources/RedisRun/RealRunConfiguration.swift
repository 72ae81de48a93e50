import Scenario

/// What one run against a real Redis needs: the scenario, its protocol, the server, and the time scale.
public struct RealRunConfiguration: Sendable {
    /// The scenario to run.
    public var scenario: Scenario
    /// The protocol, one the scenario lists.
    public var named: NamedVariant
    /// The server.
    public var host: String
    public var port: Int
    /// For `AUTH`; never printed.
    public var password: String?
    /// The ACL user for `AUTH`, with `password`.
    public var username: String?
    /// Real time per scenario time.
    public var scale: TimeScale
    /// The run's identity: its keys live under `leaselab:<runIdentifier>:`.
    public var runIdentifier: String
    /// Whether leaselab started the server itself (a private server). The run deletes its own keys either way
    /// and never flushes.
    public var privateServer: Bool

    public init(
        scenario: Scenario, named: NamedVariant, host: String, port: Int, password: String? = nil,
        username: String? = nil, scale: TimeScale, runIdentifier: String = RealRunConfiguration.newRunIdentifier(),
        privateServer: Bool
    ) {
        self.scenario = scenario
        self.named = named
        self.host = host
        self.port = port
        self.password = password
        self.username = username
        self.scale = scale
        self.runIdentifier = runIdentifier
        self.privateServer = privateServer
    }

    /// The prefix of every key of the run.
    public var keyPrefix: String { "leaselab:\(runIdentifier):" }

    /// `host:port`, as every message names the server.
    public var endpoint: String { "\(host):\(port)" }

    /// A fresh run identity: 16 random hex digits, so two runs on one server never share a key.
    public static func newRunIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        let bits = generator.next() as UInt64
        let hex = String(bits, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
