import Testing
@testable import Trace

@Suite struct TraceWordTests {
    @Test func quotedAgreesWithCacheValueRenderWhereRenderQuotes() throws {
        var random = SplitMix64(seed: 9)
        for _ in 0..<2_000 {
            let bytes = (0..<random.below(8)).map { _ in UInt8(random.below(256)) }
            let rendered = CacheValue.render(bytes)
            if rendered.hasPrefix("\"") {
                #expect(TraceWord.quoted(bytes) == rendered, "bytes \(bytes)")
            }
            #expect(try TraceWord.decode(Array(rendered.utf8)[...]).get() == bytes, "bytes \(bytes)")
            #expect(try TraceWord.decode(Array(TraceWord.quoted(bytes).utf8)[...]).get() == bytes, "bytes \(bytes)")
        }
    }

    @Test func splitKeepsQuotedSpacesInOneWord() throws {
        let line = Array(#"  GET "a b" -> ERR("x \" y")  "#.utf8)
        let words = try TraceWord.split(line[...]).get().map { String(decoding: line[$0], as: UTF8.self) }
        #expect(words == ["GET", #""a b""#, "->", #"ERR("x \" y")"#])
    }

    @Test func base64MatchesRFC4648Vectors() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                       ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.encode([0xFF, 0x00]) == "/wA=")
        for bad in ["Zg", "Zg=", "Z===", "Zh==", "Zm9v=Yg=", "Zm9v!A==", "===="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }

    @Test func writerNamesThatReadBackAsThemselves() {
        #expect(Actor.isValidWriterName("writer"))
        #expect(Actor.isValidWriterName("writer-2"))
        #expect(Actor.isValidWriterName("w0"))
        #expect(!Actor.isValidWriterName("w1"))
        #expect(!Actor.isValidWriterName("server"))
        #expect(!Actor.isValidWriterName("a b"))
        #expect(!Actor.isValidWriterName(""))
    }
}
