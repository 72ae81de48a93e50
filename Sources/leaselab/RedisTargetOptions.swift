import ArgumentParser
import Foundation
import RedisClient

/// Where a command's Redis is: a server given with `--redis`, or a private one leaselab starts and stops.
struct RedisTargetOptions: ParsableArguments {
    @Option(
        name: .customLong("redis"),
        help: ArgumentHelp(
            "A running Redis as host:port. Without it, leaselab starts a private redis-server on a free loopback port.",
            valueName: "host:port"))
    var endpoint: String?

    @Option(
        help: ArgumentHelp(
            "The Redis password. Prefer the LEASELAB_REDIS_PASSWORD environment variable: a flag shows in `ps`.",
            valueName: "password"))
    var password: String?

    /// The password from the flag, else from the environment; never printed.
    var resolvedPassword: String? {
        password ?? ProcessInfo.processInfo.environment["LEASELAB_REDIS_PASSWORD"]
    }

    func validate() throws {
        if let endpoint, Self.parse(endpoint) == nil {
            throw ValidationError("--redis '\(endpoint)' is not host:port; write it like 127.0.0.1:6379")
        }
    }

    /// `host:port` split, or nil when it is not of that form.
    static func parse(_ endpoint: String) -> (host: String, port: Int)? {
        guard let colon = endpoint.lastIndex(of: ":") else { return nil }
        let host = String(endpoint[..<colon])
        guard !host.isEmpty, let port = Int(endpoint[endpoint.index(after: colon)...]), (1...65_535).contains(port)
        else { return nil }
        return (host, port)
    }

    /// Runs `body` against the target: the given server, or a private one that is stopped afterwards, whatever
    /// happens in `body`.
    func withServer<T>(_ body: (_ host: String, _ port: Int, _ password: String?) async throws -> T) async throws -> T {
        if let endpoint, let (host, port) = Self.parse(endpoint) {
            return try await body(host, port, resolvedPassword)
        }
        let server = try RedisServerProcess()
        do {
            let result = try await body(server.host, server.port, nil)
            server.stop()
            return result
        } catch {
            server.stop()
            throw error
        }
    }
}
