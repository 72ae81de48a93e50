import Foundation
import Synchronization
import Trace

/// Where a call's lease token comes from. Injected, so a test or a scenario run can use the symbolic tokens of
/// DESIGN.md (`w1.1`) while a service uses unguessable ones.
public protocol TokenGenerator: Sendable {
    /// A token no other call, in this process or any other, will use.
    func nextToken() -> Token
}

/// Tokens `<128 random bits in hex>.<counter>`: unique across processes by the random part, within the process by
/// the counter. A token is only compared for equality, so it needs uniqueness, not secrecy.
public final class RandomTokenGenerator: TokenGenerator {
    private let prefix: String
    private let counter = Atomic<Int>(0)

    public init() {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        prefix = String(high, radix: 16) + String(low, radix: 16)
    }

    public func nextToken() -> Token {
        let number = counter.add(1, ordering: .relaxed).newValue
        return Token("\(prefix).\(number)")
    }
}

/// Tokens `w<worker>.<call>`, as in traces: for scenario runs, where worker `worker` numbers its calls from 1.
public final class SymbolicTokenGenerator: TokenGenerator {
    private let worker: Int
    private let counter = Atomic<Int>(0)

    public init(worker: Int) {
        self.worker = worker
    }

    public func nextToken() -> Token {
        Token(worker: worker, call: counter.add(1, ordering: .relaxed).newValue)
    }
}
