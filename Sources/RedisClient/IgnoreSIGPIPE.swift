#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sets SIGPIPE to "ignore" once per process, unless the program already installed its own disposition.
///
/// hiredis 0.14 writes with plain `write(2)`, not `send(MSG_NOSIGNAL)`, and Linux has no SO_NOSIGPIPE: writing
/// to a connection whose server died raises SIGPIPE, whose default action kills the whole process (a test runner,
/// the CLI) instead of giving us the EPIPE that becomes a ``RedisError/Kind/connectionLost`` error. hiredis's own
/// README asks programs to ignore SIGPIPE for the same reason. A handler or SIG_IGN set by the program is left as is.
let sigpipeIgnoredOnce: Void = {
    let previous = signal(SIGPIPE, SIG_IGN)
    if previous != nil {
        // Not SIG_DFL (which imports as nil): the program chose something; give it back.
        _ = signal(SIGPIPE, previous)
    }
}()
