#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A TCP proxy between one worker and Redis that can hold back replies: how a run makes a lost reply real.
///
/// DESIGN.md's `lose-reply` fault: the server applies the command and its reply never arrives, so the client's
/// command timeout fires. The harness arms the proxy just before the worker sends the chosen command; from then
/// on, every byte the server sends on the worker's open connections is held back (never delivered), so the client
/// times out, closes that connection and opens a new one, which the proxy serves normally. `drop-connection` is
/// the same with the connection closed as soon as the reply arrives.
///
/// The proxy also tells which server-side addresses (`ip:port`, as MONITOR names clients) are the worker's: each
/// connection it opens upstream is the worker's, so the server's order can be attributed without guessing.
///
/// Bounds: one thread per proxied connection, which lives until either side closes or the proxy closes; a poll
/// wakes every ``pollMilliseconds`` to notice ``close()``.
public final class ReplyHoldingProxy: Sendable {
    /// What to do with the server's bytes on the connections open when it was armed.
    public enum Fault: Sendable, Hashable {
        /// Hold them back: the client's command timeout fires.
        case holdBackReply
        /// Close both sides when they arrive: the client sees a lost connection.
        case breakAfterReply
    }

    private struct State {
        var connections: [ProxiedConnection] = []
        var upstreamAddresses: [String] = []
        var closed = false
    }

    /// Where clients connect: `127.0.0.1`.
    public let host = "127.0.0.1"
    /// The proxy's listening port.
    public let port: Int
    private let listenSocket: Int32
    private let upstreamHost: String
    private let upstreamPort: Int
    private let state = Mutex(State())
    private let acceptThreadDone = Atomic<Bool>(false)

    /// How long a poll waits before looking at whether the proxy was closed.
    static let pollMilliseconds: Int32 = 50
    /// The most connections one proxy serves over its life: a worker reconnects once per failed command.
    static let connectionsMaximum = 64

    /// Listens on a free loopback port and forwards each connection to `upstreamHost:upstreamPort`.
    public init(upstreamHost: String, upstreamPort: Int) throws(RedisRunError) {
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RedisRunError.proxy("cannot create a socket: \(Self.errnoText())") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 16) == 0 else {
            let why = Self.errnoText()
            Glibc.close(socket)
            throw RedisRunError.proxy("cannot listen on 127.0.0.1: \(why)")
        }
        guard let local = Self.localAddress(of: socket) else {
            Glibc.close(socket)
            throw RedisRunError.proxy("cannot read the proxy's own port: \(Self.errnoText())")
        }
        self.listenSocket = socket
        self.port = local.port
        let thread = Thread { [self] in self.acceptLoop() }
        thread.name = "leaselab.proxy.\(port)"
        thread.start()
    }

    deinit {
        close()
    }

    /// Arms `fault` on every connection open now; connections opened later are served normally.
    public func arm(_ fault: Fault) {
        state.withLock { state in
            for connection in state.connections { connection.fault.withLock { $0 = fault } }
        }
    }

    /// The server-side addresses (`ip:port`) of every connection this proxy opened to Redis, in order.
    public var upstreamAddresses: [String] {
        state.withLock { $0.upstreamAddresses }
    }

    /// Stops accepting and closes every connection. Idempotent.
    public func close() {
        let connections: [ProxiedConnection] = state.withLock { state in
            guard !state.closed else { return [] }
            state.closed = true
            return state.connections
        }
        for connection in connections { connection.stop.store(true, ordering: .relaxed) }
    }

    // MARK: - Threads

    private func acceptLoop() {
        defer {
            Glibc.close(listenSocket)
            acceptThreadDone.store(true, ordering: .releasing)
        }
        while !state.withLock({ $0.closed }) {
            var poller = pollfd(fd: listenSocket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Self.pollMilliseconds) > 0 else { continue }
            let client = accept(listenSocket, nil, nil)
            guard client >= 0 else { continue }
            guard let upstream = Self.connect(host: upstreamHost, port: upstreamPort) else {
                Glibc.close(client)  // the client sees its connection close: Redis is unreachable
                continue
            }
            let connection = ProxiedConnection(client: client, upstream: upstream)
            let admitted = state.withLock { state -> Bool in
                guard !state.closed, state.connections.count < Self.connectionsMaximum else { return false }
                state.connections.append(connection)
                if let address = Self.localAddress(of: upstream) {
                    state.upstreamAddresses.append("\(address.host):\(address.port)")
                }
                return true
            }
            guard admitted else {
                Glibc.close(client)
                Glibc.close(upstream)
                continue
            }
            let thread = Thread { connection.pump() }
            thread.name = "leaselab.proxy.\(port).conn"
            thread.start()
        }
    }

    // MARK: - Sockets

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    static func localAddress(of socket: Int32) -> (host: String, port: Int)? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard result == 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var inAddress = address.sin_addr
        guard inet_ntop(AF_INET, &inAddress, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (text, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A blocking TCP connection to `host:port` (IPv4), or nil.
    static func connect(host: String, port: Int) -> Int32? {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        let socket = Glibc.socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard socket >= 0 else { return nil }
        guard Glibc.connect(socket, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            Glibc.close(socket)
            return nil
        }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }
}
