import RedisClient

/// Everything a real run recorded: the workers' and writers' own records, which server-side addresses were
/// whose, and the server's order as MONITOR kept it.
struct RealObservationRecord: Sendable {
    /// Scenario time zero on the wall clock.
    var zeroUnixMicroseconds: Int64
    /// When the run stopped waiting for expiries, on the wall clock.
    var endUnixMicroseconds: Int64
    /// Each worker's steps, worker 1 first.
    var workerSteps: [[StampedStep]]
    /// Each worker's server-side addresses (`ip:port`), worker 1 first.
    var workerAddresses: [[String]]
    /// The writers' server-side addresses.
    var writerAddresses: [String]
    /// The source writes, in order.
    var writes: [WriterEntry]
    /// What MONITOR kept.
    var monitor: MonitorRecord
}
