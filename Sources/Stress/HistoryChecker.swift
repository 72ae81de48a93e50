import LeaseCache
import RealRedis
import Trace

/// Judges a stress run's properties on the server's history (MONITOR order, replies and expiries from the replay)
/// together with the client-side records (origin load intervals, call returns).
///
/// Each property is judged from the side that can see it:
/// - `single-loader` from the origin's load intervals per key (the server never sees a load);
/// - `no-stale-overwrite` from the history: a `SET` or a stored fenced write whose version is older than the one
///   cached at that instant (versions are in the values, `v<n>`);
/// - `owner-only-release` from the history: a release that deleted a lease whose holder is not the releaser (a
///   release script names its token; a plain `DEL` of a lease key is charged to the token its connection used last);
/// - `no-orphaned-lease` from both: a lease still held after its holder's call had returned, or still there when
///   every call had returned;
/// - `bounded-lease-hold` from the history (acquire to release or expiry), `bounded-latency` from each call's own
///   duration.
///
/// Client times are mapped onto the server's clock with a ``ClockOffset``; a comparison across the two clocks
/// allows the offset's uncertainty, so clock noise is never reported as an orphan.
public struct HistoryChecker: Sendable {
    /// What the checker reads.
    public struct Input: Sendable {
        /// The server's events, in its order.
        public var events: [ServerEvent]
        /// Every call's client-side record.
        public var calls: [CallRecord]
        /// Every origin load, on the client's clock.
        public var loads: [RecordingOrigin.Load]
        /// Client clock to server clock.
        public var clockOffset: ClockOffset
        /// A server instant after every call had returned: leases still held then are left behind.
        public var endServerMicroseconds: Int64
        /// Client connections known by name (`ip:port` to `writer1`), for readable context lines.
        public var clientNames: [String: String]

        public init(
            events: [ServerEvent], calls: [CallRecord], loads: [RecordingOrigin.Load], clockOffset: ClockOffset,
            endServerMicroseconds: Int64, clientNames: [String: String] = [:]
        ) {
            self.events = events
            self.calls = calls
            self.loads = loads
            self.clockOffset = clockOffset
            self.endServerMicroseconds = endServerMicroseconds
            self.clientNames = clientNames
        }
    }

    /// The bounds `bounded-lease-hold` and `bounded-latency` judge by.
    public struct Bounds: Sendable, Hashable {
        public var leaseHoldMicroseconds: Int64
        public var callLatencyMicroseconds: Int64

        public init(leaseHoldMicroseconds: Int64, callLatencyMicroseconds: Int64) {
            self.leaseHoldMicroseconds = leaseHoldMicroseconds
            self.callLatencyMicroseconds = callLatencyMicroseconds
        }
    }

    /// What the checker found.
    public struct Findings: Sendable {
        /// The violations kept, in property order, then by time; at most ``keptPerPropertyMaximum`` per property.
        public var violations: [Violation]
        /// How many violations of each property were found, kept or not.
        public var counts: [PropertyName: Int]
        /// The longest lease hold seen in the history, in microseconds.
        public var longestLeaseHoldMicroseconds: Int64
        /// Leases the history shows still held when every call had returned, as lease keys.
        public var leasesLeft: [String]
        /// Calls whose outcome the replayed history contradicts (``replayDisagreements(_:)``): zero when the
        /// replay can be trusted; the first few as lines.
        public var disagreementCount: Int = 0
        public var disagreements: [String] = []
    }

    /// How many violations of one property are kept with their context (STYLE 10): the rest are counted only.
    public static let keptPerPropertyMaximum = 200
    /// How many same-key events of context are shown before and after a violation.
    public static let contextEventsEachSide = 3

    public let bounds: Bounds
    /// Whether the calls take a lease: what their acquires in the history must look like.
    public let lock: Lock

    public init(bounds: Bounds, lock: Lock = .lease) {
        self.bounds = bounds
        self.lock = lock
    }

    /// Judges every property on `input`.
    public func check(_ input: Input) -> Findings {
        var findings = Collector(context: ContextBuilder(input: input))
        checkSingleLoader(input, into: &findings)
        let leases = replayLeasesAndValues(input, into: &findings)
        checkLeases(leases, input: input, into: &findings)
        checkLatency(input, into: &findings)
        var result = findings.finished(
            longestLeaseHoldMicroseconds: leases.map { ($0.endMicroseconds ?? input.endServerMicroseconds)
                - $0.startMicroseconds }.max() ?? 0,
            leasesLeft: leases.filter { $0.leftBehind }.map { Command.leaseKey(of: $0.key) }.sorted())
        (result.disagreementCount, result.disagreements) = replayDisagreements(input)
        return result
    }

    // MARK: - single-loader

    /// Per key, loads sorted by start: a load that starts while another is still loading breaks the property, the
    /// caller that gave up included (a cancelled load counts until the origin answered).
    private func checkSingleLoader(_ input: Input, into findings: inout Collector) {
        var byKey: [String: [RecordingOrigin.Load]] = [:]
        for load in input.loads { byKey[load.key, default: []].append(load) }
        for key in byKey.keys.sorted() {
            let loads = byKey[key]!.sorted { $0.startMicroseconds < $1.startMicroseconds }
            var inFlight: [RecordingOrigin.Load] = []
            for load in loads {
                inFlight.removeAll { ($0.endMicroseconds ?? .max) <= load.startMicroseconds }
                if let other = inFlight.first {
                    let at = input.clockOffset.serverMicroseconds(ofClient: load.startMicroseconds)
                    findings.add(.singleLoader, at: at, key: key) { context in
                        Violation(
                            property: .singleLoader, serverMicroseconds: at, key: key,
                            summary: "\(Self.name(load.caller)) started loading \(key) (v\(load.version)) while "
                                + "\(Self.name(other.caller))'s load (v\(other.version)) was in flight: "
                                + "\(inFlight.count + 1) loads at once",
                            context: context.around(key: key, at: at, loads: [other, load], culprit: load))
                    }
                }
                inFlight.append(load)
            }
        }
    }

    // MARK: - The history: cached versions and leases

    /// A lease as the history shows it: who held it, from when, until when and how it ended.
    struct LeaseSpan {
        var key: String
        var holder: Token
        var startMicroseconds: Int64
        var deadlineMilliseconds: Int64
        var startIndex: Int
        /// When it was released or expired; nil while held at the end of the history.
        var endMicroseconds: Int64?
        var endIndex: Int?
        var ending: String = "still held"
        /// Still held when every call had returned (and its deadline not yet passed then).
        var leftBehind = false
    }

    /// Walks the history once: judges `no-stale-overwrite` and `owner-only-release` as it goes, and returns every
    /// lease span for the lease properties.
    private func replayLeasesAndValues(_ input: Input, into findings: inout Collector) -> [LeaseSpan] {
        var cachedVersion: [String: Int] = [:]
        var holding: [String: Int] = [:]  // cache key -> index into spans
        var spans: [LeaseSpan] = []
        var lastToken: [String: Token] = [:]  // client -> the token it sent last
        func end(_ key: String, at time: Int64, index: Int, how: String) {
            guard let open = holding.removeValue(forKey: key) else { return }
            spans[open].endMicroseconds = time
            spans[open].endIndex = index
            spans[open].ending = how
        }
        for (index, event) in input.events.enumerated() {
            switch event {
            case .expire(let time, let key):
                if let cacheKey = Self.cacheKey(ofLease: key) {
                    end(cacheKey, at: time, index: index, how: "expired")
                } else {
                    cachedVersion[key] = nil
                }
            case .exec(_, _, .seed(let key, let value, _), _):
                // The harness's own seeding: the starting state, judged by nothing.
                cachedVersion[key] = CacheValue(bytes: value).version
            case .exec(let time, let client, .deleteMany(let keys), _):
                for key in keys {
                    if let cacheKey = Self.cacheKey(ofLease: key) {
                        end(cacheKey, at: time, index: index, how: "deleted by \(input.clientNames[client] ?? client)")
                    } else {
                        cachedVersion[key] = nil
                    }
                }
            case .exec(let time, let client, .protocolCommand(let command), let reply):
                switch command {
                case .get:
                    break
                case .acquire(let key, let token, let ttl):
                    lastToken[client] = token
                    guard reply == .ok else { break }
                    end(key, at: time, index: index, how: "replaced")
                    holding[key] = spans.count
                    spans.append(
                        LeaseSpan(
                            key: key, holder: token, startMicroseconds: time,
                            deadlineMilliseconds: time / 1_000 + Int64(ttl), startIndex: index))
                case .set(let key, let value, _):
                    if reply == .ok {
                        checkOverwrite(key: key, value: value, cached: &cachedVersion, at: time, index: index, into: &findings)
                    }
                case .fencedWrite(let key, let value, let token, _):
                    lastToken[client] = token
                    if reply == .ok {
                        checkOverwrite(key: key, value: value, cached: &cachedVersion, at: time, index: index, into: &findings)
                    }
                case .release(let key, let token):
                    lastToken[client] = token
                    guard reply == .integer(1) else { break }
                    checkRelease(key: key, releaser: token, holding: holding, spans: spans, at: time, index: index, into: &findings)
                    end(key, at: time, index: index, how: "released by \(token)")
                case .delete(let key):
                    guard reply == .integer(1) else { break }
                    if let cacheKey = Self.cacheKey(ofLease: key) {
                        checkRelease(
                            key: cacheKey, releaser: lastToken[client], holding: holding, spans: spans, at: time,
                            index: index, into: &findings)
                        end(cacheKey, at: time, index: index, how: "deleted by \(input.clientNames[client] ?? client)")
                    } else {
                        cachedVersion[key] = nil
                    }
                }
            }
        }
        let endMilliseconds = input.endServerMicroseconds / 1_000
        for open in holding.values where spans[open].deadlineMilliseconds >= endMilliseconds {
            spans[open].leftBehind = true
        }
        return spans
    }

    private func checkOverwrite(
        key: String, value: CacheValue, cached: inout [String: Int], at time: Int64, index: Int,
        into findings: inout Collector
    ) {
        let version = value.version
        if let old = cached[key], let version, version < old {
            findings.add(.noStaleOverwrite, at: time, key: key) { context in
                Violation(
                    property: .noStaleOverwrite, serverMicroseconds: time, key: key,
                    summary: "v\(version) replaced the newer v\(old) cached in \(key)",
                    context: context.around(key: key, index: index))
            }
        }
        cached[key] = version
    }

    private func checkRelease(
        key: String, releaser: Token?, holding: [String: Int], spans: [LeaseSpan], at time: Int64, index: Int,
        into findings: inout Collector
    ) {
        guard let open = holding[key] else { return }
        let holder = spans[open].holder
        guard holder != releaser else { return }
        findings.add(.ownerOnlyRelease, at: time, key: key) { context in
            Violation(
                property: .ownerOnlyRelease, serverMicroseconds: time, key: key,
                summary: "\(Self.name(releaser)) deleted \(Command.leaseKey(of: key)), which \(holder) held",
                context: context.around(key: key, index: index))
        }
    }

    // MARK: - Lease properties

    private func checkLeases(_ spans: [LeaseSpan], input: Input, into findings: inout Collector) {
        var returns: [Token: CallRecord] = [:]
        for call in input.calls { returns[call.token] = call }
        let tolerance = input.clockOffset.uncertaintyMicroseconds
        for span in spans {
            let end = span.endMicroseconds ?? input.endServerMicroseconds
            let anchor = span.endIndex ?? span.startIndex
            if span.leftBehind {
                findings.add(.noOrphanedLease, at: end, key: span.key) { context in
                    Violation(
                        property: .noOrphanedLease, serverMicroseconds: end, key: span.key,
                        summary: "\(Command.leaseKey(of: span.key)) held by \(span.holder) was still there when "
                            + "every call had returned\(Self.outcomeNote(returns[span.holder]))",
                        context: context.around(key: span.key, index: span.startIndex))
                }
            } else if let call = returns[span.holder], let spanEnd = span.endMicroseconds {
                let returned = input.clockOffset.serverMicroseconds(ofClient: call.returnMicroseconds)
                if spanEnd > returned + tolerance {
                    findings.add(.noOrphanedLease, at: returned, key: span.key) { context in
                        Violation(
                            property: .noOrphanedLease, serverMicroseconds: returned, key: span.key,
                            summary: "\(Command.leaseKey(of: span.key)) held by \(span.holder) outlived its call "
                                + "(returned \(call.result.outcome)) by \(Self.milliseconds(spanEnd - returned)) "
                                + "until it was \(span.ending)",
                            context: context.around(key: span.key, index: anchor))
                    }
                }
            }
            let hold = end - span.startMicroseconds
            if hold > bounds.leaseHoldMicroseconds {
                findings.add(.boundedLeaseHold, at: span.startMicroseconds, key: span.key) { context in
                    Violation(
                        property: .boundedLeaseHold, serverMicroseconds: span.startMicroseconds, key: span.key,
                        summary: "\(span.holder) held \(Command.leaseKey(of: span.key)) for "
                            + "\(Self.milliseconds(hold)) (bound \(Self.milliseconds(bounds.leaseHoldMicroseconds))) "
                            + "until it was \(span.ending)",
                        context: context.around(key: span.key, index: anchor))
                }
            }
        }
    }

    private func checkLatency(_ input: Input, into findings: inout Collector) {
        for call in input.calls where call.result.durationMicroseconds > bounds.callLatencyMicroseconds {
            let at = input.clockOffset.serverMicroseconds(ofClient: call.returnMicroseconds)
            findings.add(.boundedLatency, at: at, key: call.key) { context in
                Violation(
                    property: .boundedLatency, serverMicroseconds: at, key: call.key,
                    summary: "\(call.token) took \(Self.milliseconds(call.result.durationMicroseconds)) "
                        + "(bound \(Self.milliseconds(bounds.callLatencyMicroseconds))) and returned "
                        + "\(call.result.outcome)",
                    context: context.around(key: call.key, at: at, loads: [], culprit: nil))
            }
        }
    }

    // MARK: - Words

    /// The cache key a lease key guards, or nil for a cache key.
    static func cacheKey(ofLease key: String) -> String? {
        let prefix = Command.leaseKey(of: "")
        return key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : nil
    }

    static func name(_ token: Token?) -> String {
        token.map(\.text) ?? "a call without a token"
    }

    static func outcomeNote(_ call: CallRecord?) -> String {
        call.map { " (its call returned \($0.result.outcome))" } ?? ""
    }

    static func milliseconds(_ microseconds: Int64) -> String {
        let whole = microseconds / 1_000
        let fraction = abs(microseconds % 1_000)
        return "\(whole).\(String(repeating: "0", count: 3 - String(fraction).count))\(fraction) ms"
    }
}

// MARK: - Collecting

extension HistoryChecker {
    /// Counts every violation, keeps the first ``keptPerPropertyMaximum`` of each property with their context.
    struct Collector {
        let context: ContextBuilder
        var kept: [PropertyName: [Violation]] = [:]
        var counts: [PropertyName: Int] = [:]

        init(context: ContextBuilder) {
            self.context = context
        }

        /// Builds the violation only when it will be kept: a stampede can break single-loader thousands of times.
        mutating func add(_ property: PropertyName, at time: Int64, key: String, _ make: (ContextBuilder) -> Violation) {
            counts[property, default: 0] += 1
            if kept[property, default: []].count < HistoryChecker.keptPerPropertyMaximum {
                kept[property, default: []].append(make(context))
            }
        }

        func finished(longestLeaseHoldMicroseconds: Int64, leasesLeft: [String]) -> Findings {
            let violations = PropertyName.allCases.flatMap { property in
                (kept[property] ?? []).sorted { $0.serverMicroseconds < $1.serverMicroseconds }
            }
            return Findings(
                violations: violations, counts: counts, longestLeaseHoldMicroseconds: longestLeaseHoldMicroseconds,
                leasesLeft: leasesLeft)
        }
    }
}
