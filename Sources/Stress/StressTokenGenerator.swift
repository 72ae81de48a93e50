import LeaseCache
import Trace

/// Hands LeaseCache the token the stress driver chose for the current call.
///
/// The driver binds ``RecordingOrigin/callerToken`` around each call; LeaseCache asks for a token at the call's
/// start, in the same task, so the call's lease, its origin loads and its client-side record all carry one token,
/// `w<worker>.<n>`, which is also what MONITOR lines decode into. Outside a bound call (never in a stress run) it
/// falls back to `w0.<n>`, which no worker uses.
final class StressTokenGenerator: TokenGenerator {
    private let fallback = SymbolicTokenGenerator(worker: 0)

    func nextToken() -> Token {
        RecordingOrigin.callerToken ?? fallback.nextToken()
    }
}
