#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One client connection and its upstream twin, pumped by one thread.
final class ProxiedConnection: Sendable {
    let client: Int32
    let upstream: Int32
    let fault = Mutex<ReplyHoldingProxy.Fault?>(nil)
    let stop = Atomic<Bool>(false)

    init(client: Int32, upstream: Int32) {
        self.client = client
        self.upstream = upstream
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Forwards bytes both ways until either side closes or the proxy stops.
    func pump() {
        defer {
            Glibc.close(client)
            Glibc.close(upstream)
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stop.load(ordering: .relaxed) {
            var pollers = [
                pollfd(fd: client, events: Int16(POLLIN), revents: 0),
                pollfd(fd: upstream, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&pollers, 2, ReplyHoldingProxy.pollMilliseconds)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            if pollers[0].revents != 0 {
                let count = recv(client, &buffer, buffer.count, 0)
                guard count > 0, Self.sendAll(buffer, count: count, to: upstream) else { return }
            }
            if pollers[1].revents != 0 {
                let count = recv(upstream, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                switch fault.withLock({ $0 }) {
                case .holdBackReply:
                    continue  // held back: never delivered
                case .breakAfterReply:
                    return  // both sides close
                case nil:
                    guard Self.sendAll(buffer, count: count, to: client) else { return }
                }
            }
        }
    }

    private static func sendAll(_ buffer: [UInt8], count: Int, to socket: Int32) -> Bool {
        var sent = 0
        while sent < count {
            let result = buffer.withUnsafeBytes { bytes in
                send(socket, bytes.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return false }
            sent += result
        }
        return true
    }
}
