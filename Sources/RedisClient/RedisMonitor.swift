import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A MONITOR client that keeps the server's order of one run's commands, and nothing else.
///
/// MONITOR streams every client's commands (TOOLCHAIN.md "MONITOR"). A run keeps to its key prefix, so each line
/// is checked as it arrives: a line with a key outside the prefix, with no key this client knows how to find, or
/// in another database is counted and dropped at once, never stored or printed. At most `capacity` lines are kept
/// (STYLE 10: every buffer has a bound); later ones are counted as overflow, while the stream is still read so
/// the server never buffers for a stalled monitor.
///
/// The stream has no end of its own. ``finish()`` sends a marker command (a GET of a key under the prefix that no
/// run uses) from a second connection and waits until the reader sees it: MONITOR lines come in the server's
/// execution order, so every command the server executed before the marker has then been read. A reader blocked
/// in `recv` is woken by `shutdown(2)` of its socket, under the same lock that guards the socket's release, so a
/// descriptor number reused after the close is never touched.
public final class RedisMonitor: Sendable {
    /// Where the server is, as every message names it.
    public let endpoint: String
    private let host: String
    private let port: Int
    private let username: String?
    /// Kept for the marker's connection; never printed.
    private let password: String?
    private let prefix: [UInt8]
    private let database: Int
    private let capacity: Int
    private let connectTimeoutMicroseconds: Int64
    private let marker: [[UInt8]]
    private let state: Mutex<MonitorState>
    private let readerExited = DispatchSemaphore(value: 0)

    /// The most lines a monitor may keep.
    public static let capacityMaximum = 10_000_000

    /// Connects, authenticates, sends MONITOR and starts reading on a thread of its own.
    ///
    /// - Parameters:
    ///   - keyPrefix: only lines whose keys all start with it are kept; must not be empty.
    ///   - database: only lines executed in this database are kept.
    ///   - capacity: the most lines kept.
    /// - Throws: a ``RedisError`` naming host:port when the server cannot be reached, refuses AUTH, or refuses
    ///   MONITOR (an ACL user without `+monitor`).
    public init(
        host: String, port: Int, username: String? = nil, password: String? = nil, keyPrefix: String,
        database: Int = 0, capacity: Int = 1_000_000, connectTimeoutMicroseconds: Int64 = 1_000_000
    ) throws(RedisError) {
        precondition(!keyPrefix.isEmpty, "a monitor needs a key prefix: it must never keep other keys' lines")
        precondition((1...Self.capacityMaximum).contains(capacity), "monitor capacity \(capacity) out of range")
        self.host = host
        self.port = port
        self.endpoint = "\(host):\(port)"
        self.username = username
        self.password = password
        self.prefix = Array(keyPrefix.utf8)
        self.database = database
        self.capacity = capacity
        self.connectTimeoutMicroseconds = connectTimeoutMicroseconds
        self.marker = [Array("GET".utf8), Array(keyPrefix.utf8) + [0] + Array("monitor-end".utf8)]

        let connection = try RedisConnection.session(
            host: host, port: port, password: password, username: username,
            connectTimeoutMicroseconds: connectTimeoutMicroseconds, commandTimeoutMicroseconds: 0)
        let reply = try connection.send(strings: ["MONITOR"])
        switch reply {
        case .status:
            break
        case .error(let message) where message.hasPrefix("NOAUTH"):
            // No password was given to a server that wants one: say so, not "no monitor permission".
            throw .serverRefused(endpoint: endpoint, command: "AUTH", serverMessage: message)
        case .error(let message):
            throw .serverRefused(endpoint: endpoint, command: "MONITOR", serverMessage: message)
        case .integer, .bulk, .null, .array:
            throw .unexpectedReply(command: "MONITOR", expected: "status OK", got: reply)
        }
        guard let descriptor = connection.socketDescriptor else {
            preconditionFailure("MONITOR succeeded on a connection without a socket")
        }
        state = Mutex(MonitorState(descriptor: descriptor, endpoint: "\(host):\(port)"))
        let reader = MonitorReader(connection: connection)
        let thread = Thread { [self] in
            self.read(reader.connection)
            self.readerExited.signal()
        }
        thread.name = "leaselab-monitor"
        thread.start()
    }

    deinit {
        close()
    }

    // MARK: - Ending

    /// Waits until every command the server executed so far has been read, then closes and returns the record.
    ///
    /// Blocks the calling thread for one round trip of the marker (at most `timeoutSeconds` when the stream has
    /// stalled). Never throws: a stream that broke is a record whose ``MonitorRecord/ending`` says so.
    public func finish(timeoutSeconds: Double = 10) -> MonitorRecord {
        var failure: RedisError?
        if state.withLock({ $0.readerDone }) == false {
            do {
                let connection = try RedisConnection.session(
                    host: host, port: port, password: password, username: username, database: database,
                    connectTimeoutMicroseconds: connectTimeoutMicroseconds,
                    commandTimeoutMicroseconds: Int64(timeoutSeconds * 1_000_000))
                _ = try connection.send(marker)
                connection.close()
            } catch {
                failure = error
            }
            if readerExited.wait(timeout: .now() + timeoutSeconds) == .timedOut, failure == nil {
                failure = .connectionLost(
                    endpoint: endpoint, command: "MONITOR",
                    reason: "the end marker did not come through within \(timeoutSeconds) s")
            }
        }
        close()
        return state.withLock { shared in
            var record = shared.record
            if let failure, case .complete = record.ending { record.ending = .failed(failure) }
            return record
        }
    }

    /// Stops reading at once; the lines kept so far stay in ``finish()``'s record, marked as cut short.
    public func close() {
        state.withLock { shared in
            guard !shared.readerDone, !shared.closing else { return }
            shared.closing = true
            _ = shutdown(shared.descriptor, Int32(SHUT_RDWR))
        }
    }

    // MARK: - The reader thread

    private func read(_ connection: RedisConnection) {
        var ending = MonitorRecord.Ending.failed(
            .connectionLost(endpoint: endpoint, command: "MONITOR", reason: "the monitor was closed before the end"))
        reading: while true {
            let text: [UInt8]
            do {
                switch try connection.readPushedReply(command: "MONITOR") {
                case .statusLine(let bytes):
                    text = bytes
                case .other(let reply):
                    ending = .failed(.unexpectedReply(command: "MONITOR", expected: "a status line", got: reply))
                    break reading
                }
            } catch {
                if !state.withLock({ $0.closing }) { ending = .failed(error) }
                break reading
            }
            let line: MonitorLine
            do {
                line = try MonitorLine.parse(text)
            } catch {
                state.withLock { shared in
                    shared.record.unreadable += 1
                    if shared.record.firstUnreadable == nil { shared.record.firstUnreadable = error }
                }
                continue reading
            }
            if line.arguments == marker, line.database == database {
                ending = .complete
                break reading
            }
            let keep = line.database == database && line.keepsTo(prefix: prefix)
            state.withLock { shared in
                if !keep {
                    shared.record.dropped += 1
                } else if shared.record.lines.count < capacity {
                    shared.record.lines.append(line)
                } else {
                    shared.record.overflow += 1
                }
            }
        }
        state.withLock { shared in
            shared.record.ending = ending
            shared.readerDone = true
            connection.close()
        }
    }
}

/// The monitor's mutable part, behind its lock.
struct MonitorState: Sendable {
    /// The MONITOR connection's socket, valid while `readerDone` is false.
    let descriptor: Int32
    var readerDone = false
    var closing = false
    var record: MonitorRecord

    init(descriptor: Int32, endpoint: String) {
        self.descriptor = descriptor
        record = MonitorRecord(
            lines: [], dropped: 0, overflow: 0, unreadable: 0, firstUnreadable: nil,
            ending: .failed(.connectionLost(endpoint: endpoint, command: "MONITOR", reason: "the stream has not ended")))
    }
}

/// Hands the MONITOR connection to the reader thread, which alone uses it from then on.
private struct MonitorReader: @unchecked Sendable {
    let connection: RedisConnection
}
