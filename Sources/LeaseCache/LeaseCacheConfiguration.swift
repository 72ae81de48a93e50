import Trace

/// Where LeaseCache's Redis is, how it talks to it, and which protocol variant it runs.
public struct LeaseCacheConfiguration: Sendable {
    /// The Redis host.
    public var host: String
    /// The Redis port.
    public var port: Int
    /// How many connections calls are spread over.
    public var connections: Int
    /// How many event loop threads drive the connections (spread round-robin). One thread drives dozens of busy
    /// connections, as `redis-benchmark` does, with no context switch between them; raise it only when the
    /// client, not Redis, runs out of CPU.
    public var threads: Int
    /// Whether calls sharing a connection may have commands in flight together (pipelined, as ioredis's auto
    /// pipelining does), instead of waiting for the connection's previous reply. Replies still come in order and
    /// each call still sends one command at a time. Off, a connection carries one command at a time, like
    /// `redis-benchmark` without `-P`.
    public var pipelining: Bool
    /// How many calls run at once on one connection; more wait their turn, first come first served. A running
    /// call's steps go ahead of calls still starting (see `EventLoop`), so this bounds how many other running
    /// calls' steps a lease holder back from the origin can wait behind while its lease runs out.
    public var callsPerConnection: Int
    /// The protocol's knobs; its command timeout bounds every round trip.
    public var variant: ProtocolVariant
    /// Prepended to every key sent to Redis, cache and lease keys alike, so a run keeps to its own keys.
    public var keyPrefix: String
    /// How long a connect may take.
    public var connectTimeoutMicroseconds: Int64
    /// The password for `AUTH`, if the server wants one. Never logged.
    public var password: String?
    /// The ACL user for `AUTH`, with `password`.
    public var username: String?
    /// The database for `SELECT`, if not 0.
    public var database: Int?
    /// How long an event loop with a reply awaited and nothing else to do checks its sockets without sleeping
    /// before it sleeps in `poll` (0: never). On a local network a reply comes within tens of microseconds, and a
    /// loop asleep wakes for it only once the kernel schedules it again: a good part of each round trip on a small
    /// or busy machine. The spin backs off by itself when replies take longer (a remote server), so it costs CPU
    /// only where it pays.
    public var replySpinMicroseconds: Int64
    /// A test seam that watches each command and holds calls at pause points (``LeaseCallProbe``); `nil` in
    /// production.
    public var probe: (any LeaseCallProbe)?

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        connections: Int = 4,
        threads: Int = 1,
        pipelining: Bool = true,
        callsPerConnection: Int = 256,
        variant: ProtocolVariant = Preset.pr4821.variant,
        keyPrefix: String = "",
        connectTimeoutMicroseconds: Int64 = 1_000_000,
        password: String? = nil,
        username: String? = nil,
        database: Int? = nil,
        replySpinMicroseconds: Int64 = 30,
        probe: (any LeaseCallProbe)? = nil
    ) {
        self.host = host
        self.port = port
        self.connections = connections
        self.threads = threads
        self.pipelining = pipelining
        self.callsPerConnection = callsPerConnection
        self.variant = variant
        self.keyPrefix = keyPrefix
        self.connectTimeoutMicroseconds = connectTimeoutMicroseconds
        self.password = password
        self.username = username
        self.database = database
        self.replySpinMicroseconds = replySpinMicroseconds
        self.probe = probe
    }

    /// `host:port`, as every error names the server.
    public var endpoint: String { "\(host):\(port)" }

    /// The most connections a cache may open (each is a socket in its loop's `poll`).
    public static let connectionsMaximum = 512
}
