/// The knobs of a protocol variant, by their YAML names (DESIGN.md "Protocol variants").
///
/// One list both sides check against: the model declares which knobs it models (`LeaseModel.modelledKnobs`), and
/// `leaselab check` reports any knob here that the model does not know, so a knob added to the implementation
/// cannot slip past the model unnoticed. Adding a case makes every exhaustive switch over knobs fail to compile
/// until it is handled; that is the point.
public enum Knob: String, Hashable, Sendable, CaseIterable {
    /// `lock`: `none` or `lease`.
    case lock
    /// `lease-ttl`: the lease's PX.
    case leaseTTL = "lease-ttl"
    /// `cache-ttl`: the cached value's EX.
    case cacheTTL = "cache-ttl"
    /// `origin-timeout`: how long a call waits for the origin.
    case originTimeout = "origin-timeout"
    /// `release`: compare-and-delete, get-then-delete or delete.
    case release
    /// `write`: plain or fenced.
    case write
    /// `contended`: what a contended call does.
    case contended
    /// `command-timeout`: how long a client waits for a reply.
    case commandTimeout = "command-timeout"
}

extension ProtocolVariant {
    /// A knob's value as a scenario file writes it.
    public func text(of knob: Knob) -> String {
        func duration(_ microseconds: Int64) -> String {
            if microseconds % 1_000_000 == 0 { return "\(microseconds / 1_000_000)s" }
            if microseconds % 1_000 == 0 { return "\(microseconds / 1_000)ms" }
            return "\(microseconds)us"
        }
        switch knob {
        case .lock: return lock.rawValue
        case .leaseTTL: return "\(leaseTTLMilliseconds)ms"
        case .cacheTTL: return "\(cacheTTLSeconds)s"
        case .originTimeout: return originTimeoutMicroseconds.map(duration) ?? "none"
        case .release: return release.rawValue
        case .write: return write.rawValue
        case .contended: return contended.rawValue
        case .commandTimeout: return duration(commandTimeoutMicroseconds)
        }
    }
}
