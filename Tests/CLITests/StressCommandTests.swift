import Foundation
import Testing

/// `leaselab stress` as a user runs it: JSON for CI, and one clear line for a server that is not there.
@Suite struct StressCommandTests {
    @Test func aShortRunReportsCleanJSONAndExitsZero() throws {
        // Generous bounds: this judges the command's wiring, not the machine's speed.
        let result = try runLeaselab([
            "stress", "--calls", "2000", "--format", "json", "--lease-hold", "60s", "--call-latency", "60s",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any])
        #expect(object["clean"] as? Bool == true)
        #expect(object["calls"] as? Int == 2000)
        let history = try #require(object["history"] as? [String: Any])
        #expect(history["checked"] as? Bool == true)
        let counts = try #require(history["violationCounts"] as? [String: Int])
        #expect(counts["single-loader"] == 0 && counts["owner-only-release"] == 0)
        #expect(object["leasesLeft"] as? [String] == [])
    }

    @Test func anUnreachableServerGetsOneLineNamingIt() throws {
        let result = try runLeaselab(["stress", "--redis", "127.0.0.1:1", "--calls", "100"])
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("127.0.0.1:1"))
        #expect(result.standardError.contains("cannot connect"))
    }

    @Test func aBadFlagIsAValidationError() throws {
        let result = try runLeaselab(["stress", "--preset", "pr-4822"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("unknown preset 'pr-4822'"))
    }
}
