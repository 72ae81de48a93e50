import Logging

/// A logger that keeps the tests' output to their verdicts: the cases under test log warnings on purpose.
func quietLogger() -> Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}
