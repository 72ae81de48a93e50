import Scenario
import Trace

/// The keys of one simulation, by number: the hot path carries and compares small integers, not key strings, and
/// looks keys' state up in arrays, not by hashing their names.
///
/// Each cache key gets an index; its expiry keys are `2 * index` (the key itself) and `2 * index + 1` (its lease
/// key, `lease:<key>`). Every name maps to one expiry key: a name that itself starts `lease:` is the lease key of
/// the rest, so `2 * index` of such a key is never used. The scenario's keys and writes are numbered here, its
/// calls' keys as the simulation reads its calls; a key first seen in a command is numbered then.
struct KeyTable {
    /// Each key's name, by index.
    private(set) var names: [String] = []
    /// Whether a key's name starts `lease:` (its own expiry key is then the lease key of the rest).
    private(set) var isLeaseName: [Bool] = []
    /// Each expiry key's name, by expiry key.
    private(set) var expiryNames: [String] = []
    /// Each expiry key's place in the fixed order of same-instant expiries: cache keys (in `keys:` order), then
    /// lease keys; `UInt16.max` for keys the scenario does not list.
    private(set) var expiryRanks: [UInt16] = []
    private var indexByName: [String: Int] = [:]
    private let ranksByName: [String: UInt16]

    init(scenario: Scenario) {
        var ranksByName: [String: UInt16] = [:]
        for (index, key) in scenario.keys.enumerated() {
            ranksByName[key.key] = UInt16(clamping: index)
            ranksByName[Command.leaseKey(of: key.key)] = UInt16(clamping: scenario.keys.count + index)
        }
        self.ranksByName = ranksByName
        for key in scenario.keys { _ = index(of: key.key) }
        for write in scenario.writes { _ = index(of: write.key) }
    }

    /// The index of the key named `name`, numbering it if it is new.
    mutating func index(of name: String) -> Int {
        if let index = indexByName[name] { return index }
        let index = names.count
        indexByName[name] = index
        names.append(name)
        let isLease = name.hasPrefix("lease:")
        isLeaseName.append(isLease)
        let leaseName = Command.leaseKey(of: name)
        expiryNames.append(name)
        expiryNames.append(leaseName)
        expiryRanks.append(ranksByName[name] ?? UInt16.max)
        expiryRanks.append(ranksByName[leaseName] ?? UInt16.max)
        return index
    }

    /// The expiry key of the key named `name` (a cache key or a lease key), numbering it if it is new.
    mutating func expiryKey(named name: String) -> Int {
        if name.hasPrefix("lease:") { return Self.leaseExpiryKey(of: index(of: String(name.dropFirst(6)))) }
        return 2 * index(of: name)
    }

    /// The expiry key of the lease guarding key `index`.
    static func leaseExpiryKey(of index: Int) -> Int {
        2 * index + 1
    }

    /// The expiry key of key `index` itself.
    mutating func cacheExpiryKey(of index: Int) -> Int {
        isLeaseName[index] ? expiryKey(named: names[index]) : 2 * index
    }
}
