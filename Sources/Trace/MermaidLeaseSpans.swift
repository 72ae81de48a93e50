/// Which actor holds which lease key, so a Mermaid diagram can show lease-held spans as activations.
///
/// Holdings are kept in the order the leases were taken (an array, not a dictionary), so a restart ends them in a
/// stable order; each holding begins once and ends once, so the diagram never deactivates an actor twice.
struct MermaidLeaseSpans {
    /// One lease held: the lease key (`lease:<key>`), who took it, and with which token.
    struct Holding: Equatable {
        var leaseKey: String
        var holder: Actor
        var token: Token
    }

    /// What the diagram shows.
    enum Change: Equatable {
        /// A lease was taken: activate the holder.
        case began(Holding)
        /// A lease ended: deactivate its holder.
        case ended(Holding)
    }

    private var holdings: [Holding] = []

    /// The server executed `command` for `actor`; `reply` is `nil` when the reply was lost, so only what the
    /// server certainly did counts: a lost `SET NX` took a free lease, a lost release deleted a lease holding its
    /// token, a lost `DEL` deleted the key.
    mutating func executed(_ command: Command, by actor: Actor, reply: Reply?) -> [Change] {
        switch command {
        case .acquire(let key, let token, _):
            let leaseKey = Command.leaseKey(of: key)
            let current = holdings.firstIndex { $0.leaseKey == leaseKey }
            let taken = reply == .ok || (reply == nil && current == nil)
            guard taken else { return [] }
            var changes: [Change] = []
            if let current { changes.append(.ended(holdings.remove(at: current))) }
            let holding = Holding(leaseKey: leaseKey, holder: actor, token: token)
            holdings.append(holding)
            changes.append(.began(holding))
            return changes
        case .release(let key, let token):
            let leaseKey = Command.leaseKey(of: key)
            guard let current = holdings.firstIndex(where: { $0.leaseKey == leaseKey }) else { return [] }
            let deleted = reply == .integer(1) || (reply == nil && holdings[current].token == token)
            return deleted ? [.ended(holdings.remove(at: current))] : []
        case .delete(let key):
            guard let current = holdings.firstIndex(where: { $0.leaseKey == key }) else { return [] }
            let deleted: Bool
            switch reply {
            case .integer(let count): deleted = count >= 1
            case nil: deleted = true
            case .status, .null, .bulk, .error, .other: deleted = false
            }
            return deleted ? [.ended(holdings.remove(at: current))] : []
        case .set(let key, _, _):
            // A plain SET over a lease key replaces the token: the holder holds nothing any more.
            guard let current = holdings.firstIndex(where: { $0.leaseKey == key }),
                reply == .ok || reply == nil
            else { return [] }
            return [.ended(holdings.remove(at: current))]
        case .get, .fencedWrite:
            return []
        }
    }

    /// A key expired: if it was a held lease, the lease ends.
    mutating func expired(_ key: String) -> [Change] {
        guard let current = holdings.firstIndex(where: { $0.leaseKey == key }) else { return [] }
        return [.ended(holdings.remove(at: current))]
    }

    /// Redis restarted empty: every lease ends, in the order they were taken.
    mutating func restarted() -> [Change] {
        defer { holdings.removeAll() }
        return holdings.map { .ended($0) }
    }
}
