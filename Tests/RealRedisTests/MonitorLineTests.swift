import RedisClient
import Testing

@Suite struct MonitorLineTests {
    @Test func parsesAClientLine() throws {
        let line = try MonitorLine.parse(Array(#"1795708717.053891 [0 127.0.0.1:32892] "SET" "k" "v 1" "PX" "5000" "NX""#.utf8))
        #expect(line.serverMicroseconds == 1_795_708_717_053_891)
        #expect(line.database == 0)
        #expect(line.source == .client("127.0.0.1:32892"))
        #expect(line.arguments.map { String(decoding: $0, as: UTF8.self) } == ["SET", "k", "v 1", "PX", "5000", "NX"])
        #expect(line.keys == [Array("k".utf8)])
    }

    @Test func undoesEveryEscape() throws {
        let line = try MonitorLine.parse(Array(#"1.000001 [3 lua] "get" "a\"b\\c\n\r\t\a\b\x00\xff] \"x""#.utf8))
        #expect(line.source == .lua)
        #expect(line.database == 3)
        let expected: [UInt8] = Array("a\"b\\c\n\r\t".utf8) + [0x07, 0x08, 0x00, 0xff] + Array("] \"x".utf8)
        #expect(line.arguments[1] == expected)
        #expect(try MonitorLine.parse(Array(line.description.utf8)) == line)
    }

    @Test func readsIPv6AndUnixSources() throws {
        #expect(try MonitorLine.parse(Array(#"1.000000 [0 [::1]:6379] "PING""#.utf8)).source == .client("[::1]:6379"))
        #expect(try MonitorLine.parse(Array(#"1.000000 [0 unix:/tmp/r.sock] "PING""#.utf8)).source == .unix("/tmp/r.sock"))
    }

    @Test func findsScriptKeysAfterNumkeys() throws {
        let line = try MonitorLine.parse(Array(#"1.000000 [0 127.0.0.1:1] "EVAL" "return 1" "2" "p:a" "p:b" "arg""#.utf8))
        #expect(line.keys == [Array("p:a".utf8), Array("p:b".utf8)])
        #expect(line.keepsTo(prefix: Array("p:".utf8)))
        let mixed = try MonitorLine.parse(Array(#"1.000000 [0 127.0.0.1:1] "DEL" "p:a" "other""#.utf8))
        #expect(!mixed.keepsTo(prefix: Array("p:".utf8)))
        let unknown = try MonitorLine.parse(Array(#"1.000000 [0 127.0.0.1:1] "MSET" "p:a" "1""#.utf8))
        #expect(!unknown.keepsTo(prefix: Array("p:".utf8)), "a command of unknown shape is never kept")
    }

    @Test(arguments: [
        "", "abc", "1.5 [0 x] \"GET\"", "1.000000 0 x] \"GET\"", "1.000000 [x 127.0.0.1:1] \"GET\"",
        "1.000000 [0 127.0.0.1:1]", "1.000000 [0 127.0.0.1:1] \"GET", "1.000000 [0 127.0.0.1:1] \"GET\"\"k\"",
        "1.000000 [0 127.0.0.1:1] \"G\\q\"", "1.000000 [0 127.0.0.1:1] \"G\\xZZ\"",
    ])
    func refusesMalformedLines(text: String) {
        #expect(throws: MonitorLineError.self) { try MonitorLine.parse(Array(text.utf8)) }
    }
}
