@testable import LeaseCache
import Testing
import Trace

// The event loop spins for a reply only while replies come quickly: a slow server stops it, a fast one starts it
// again, and a spin length of 0 turns it off.

@Test("the loop spins for replies that come within the spin, and stops for a server slower than it")
func replySpinFollowsReplyTimes() {
    var policy = ReplySpinPolicy(spinMicroseconds: 30)
    #expect(policy.spins, "a new loop spins until it learns otherwise")
    for _ in 0..<20 { policy.record(waitNanoseconds: 20_000) }
    #expect(policy.spins, "replies in 20 us: the spin catches them")
    var waits = 0
    while policy.spins && waits < 100 {
        policy.record(waitNanoseconds: 500_000)
        waits += 1
    }
    #expect(waits <= 4, "a remote server's 500 us replies stop the spinning within a few waits, not \(waits)")
    for _ in 0..<40 { policy.record(waitNanoseconds: 15_000) }
    #expect(policy.spins, "fast replies again: the spinning resumes")
}

@Test("a spin length of 0 never spins, and a negative one is refused by the cache")
func replySpinOff() throws {
    var policy = ReplySpinPolicy(spinMicroseconds: 0)
    for _ in 0..<8 { policy.record(waitNanoseconds: 1_000) }
    #expect(!policy.spins)
    #expect(throws: LeaseCacheError.self) {
        _ = try LeaseCache(
            configuration: LeaseCacheConfiguration(replySpinMicroseconds: -1), origin: { _ in CacheValue(version: 1) })
    }
}
