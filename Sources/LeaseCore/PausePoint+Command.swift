import Trace

extension PausePoint {
    /// The pause point just before a call sends `command` under `variant`, if the protocol names one there.
    ///
    /// The points of DESIGN.md's `pause` event: before the acquire (or pre-review's evicting `DEL`), before the
    /// write, before the release, and between get-then-delete's `GET` and `DEL`. (`after-load` is not before a
    /// command: a driver reaches it as the origin answers.) Drivers of real Redis use this to pause where the
    /// simulator pauses.
    public static func before(_ command: Command, variant: ProtocolVariant) -> PausePoint? {
        switch command {
        case .get(let key):
            return key.hasPrefix("lease:") ? .beforeRelease : nil  // get-then-delete's GET; the first GET has none
        case .delete(let key):
            guard key.hasPrefix("lease:") else { return .beforeAcquire }  // pre-review's evicting DEL
            return variant.release == .getThenDelete ? .beforeReleaseDelete : .beforeRelease
        case .acquire: return .beforeAcquire
        case .set, .fencedWrite: return .beforeWrite
        case .release: return .beforeRelease
        }
    }
}
