import Testing
import Trace

@Test("a worker's call token is w<worker>.<call>, at every digit count, small string or not")
func tokenText() {
    let cases: [(worker: Int, call: Int, text: String)] = [
        (0, 0, "w0.0"), (1, 1, "w1.1"), (9, 10, "w9.10"), (10, 9, "w10.9"), (99, 100, "w99.100"),
        (100, 1_000, "w100.1000"), (1_234_567, 890_123, "w1234567.890123"),
        (12_345_678, 9_012_345, "w12345678.9012345"),
        (Int.max, Int.max, "w\(Int.max).\(Int.max)"),
    ]
    for (worker, call, text) in cases {
        #expect(Token(worker: worker, call: call).text == text, "worker \(worker) call \(call)")
        #expect(Token(worker: worker, call: call) == Token(text), "worker \(worker) call \(call)")
    }
}
