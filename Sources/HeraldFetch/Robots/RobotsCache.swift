/// What Herald knows about each origin's robots.txt (keyed by `scheme://host[:port]`), with expiry.
///
/// A pure value: every method takes `now`, so tests drive it with a test clock.
/// - rules that were read, and "no rules" after a 4xx, are kept for ``lifetime`` (a day: RFC 9309 §2.4 asks
///   not to use a copy older than 24 hours);
/// - after a failure (5xx, 429, network) an earlier copy is kept and used if there is one (RFC 9309 allows
///   using a cached copy while the file is unreachable), else the origin is ``RobotsVerdict/unavailable``;
///   either way it is asked again after ``retryAfterFailure``;
/// - at most ``capacity`` origins are remembered; when full, the eighth that expires first is dropped.
struct RobotsCache {
    enum Entry: Equatable {
        case rules(RobotsRules)
        case allowAll
        case unavailable(reason: String)
    }

    /// What fetching an origin's robots.txt gave.
    enum Fetched: Equatable {
        /// A 2xx body.
        case body([UInt8])
        /// A 4xx answer other than 429: the origin has no rules for anyone.
        case clientError(status: Int)
        /// 5xx, 429, too many redirects or a network failure.
        case failure(reason: String)
    }

    var lifetime: Duration = .seconds(86_400)
    var retryAfterFailure: Duration = .seconds(3600)
    var capacity = 10_000

    private var entries: [String: (entry: Entry, expires: ContinuousClock.Instant)] = [:]

    var count: Int { entries.count }

    /// The entry for an origin, if it has not expired.
    func lookup(_ origin: String, now: ContinuousClock.Instant) -> Entry? {
        guard let cached = entries[origin], cached.expires > now else { return nil }
        return cached.entry
    }

    /// Records what a fetch of the origin's robots.txt gave and returns the entry now in force.
    @discardableResult
    mutating func store(_ fetched: Fetched, for origin: String, now: ContinuousClock.Instant) -> Entry {
        let entry: Entry
        let expires: ContinuousClock.Instant
        switch fetched {
        case .body(let bytes):
            entry = .rules(RobotsRules(parsing: bytes))
            expires = now.advanced(by: lifetime)
        case .clientError:
            entry = .allowAll
            expires = now.advanced(by: lifetime)
        case .failure(let reason):
            if case .rules(let rules)? = entries[origin]?.entry {
                entry = .rules(rules)
            } else {
                entry = .unavailable(reason: reason)
            }
            expires = now.advanced(by: retryAfterFailure)
        }
        if entries[origin] == nil && entries.count >= capacity { evict(now: now) }
        entries[origin] = (entry, expires)
        return entry
    }

    private mutating func evict(now: ContinuousClock.Instant) {
        entries = entries.filter { $0.value.expires > now }
        guard entries.count >= capacity else { return }
        let victims = entries.sorted { $0.value.expires < $1.value.expires }.prefix(max(1, capacity / 8))
        for (origin, _) in victims { entries[origin] = nil }
    }
}
