/// The fetcher's robots.txt cache: one entry per origin, one fetch at a time per origin (callers asking while
/// it runs share its outcome).
actor RobotsDirectory {
    private var cache = RobotsCache()
    private var inFlight: [String: Task<RobotsCache.Entry, Never>] = [:]
    private let now: @Sendable () -> ContinuousClock.Instant

    init(now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.now = now
    }

    /// The entry for `origin`, fetching robots.txt with `fetch` when none is cached or it expired.
    /// - Returns: the entry, and whether this call fetched it (the caller then applies its `Crawl-delay`).
    func entry(
        for origin: String,
        fetch: @escaping @Sendable () async -> RobotsCache.Fetched
    ) async -> (entry: RobotsCache.Entry, fetched: Bool) {
        if let entry = cache.lookup(origin, now: now()) { return (entry, false) }
        if let running = inFlight[origin] { return (await running.value, false) }
        let task = Task {
            let fetched = await fetch()
            return self.record(fetched, for: origin)
        }
        inFlight[origin] = task
        return (await task.value, true)
    }

    private func record(_ fetched: RobotsCache.Fetched, for origin: String) -> RobotsCache.Entry {
        inFlight[origin] = nil
        return cache.store(fetched, for: origin, now: now())
    }

    /// How many origins are cached.
    var count: Int { cache.count }
}

extension Fetcher {
    /// Whether robots.txt lets the crawler named by `userAgentToken` fetch `url`.
    ///
    /// The origin's `/robots.txt` is fetched through this fetcher (kind ``FetchKind/robots``, so it waits its
    /// turn in the host's budget like any request) and cached per scheme, host and port for a day. A 4xx answer
    /// means no rules; a 5xx, 429 or network failure gives ``RobotsVerdict/unavailable(reason:)`` (see there
    /// why callers should fetch anyway) unless an earlier copy is cached, and is retried after an hour. A
    /// `Crawl-delay` for the crawler raises the host's page delay. `file://` URLs are always allowed.
    /// - Parameters:
    ///   - addressPolicy: the policy for the robots.txt fetch, as for the page itself.
    ///   - trustedHost: the origin host exemption, as for the page itself.
    public func robotsVerdict(
        for url: String,
        userAgentToken: String,
        addressPolicy: AddressPolicy = .publicOnly,
        trustedHost: String? = nil
    ) async -> RobotsVerdict {
        guard let parts = CurlURL(url) else { return .unavailable(reason: "\(url.prefix(200)) is not a valid URL") }
        guard parts.scheme == "http" || parts.scheme == "https" else { return .allowed }
        let origin = parts.origin
        let (entry, fetched) = await robots.entry(for: origin) {
            var request = FetchRequest(url: origin + "/robots.txt", kind: .robots)
            request.addressPolicy = addressPolicy
            request.trustedHost = trustedHost
            request.accept = "text/plain"
            do throws(FetchError) {
                let response = try await self.fetch(request)
                switch response.status {
                case 200..<300: return .body(Array(response.body.prefix(RobotsRules.maximumBytes)))
                case 429: return .failure(reason: "\(origin)/robots.txt answered 429 Too Many Requests")
                case 400..<500: return .clientError(status: response.status)
                default: return .failure(reason: "\(origin)/robots.txt answered \(response.status)")
                }
            } catch {
                return .failure(reason: error.message)
            }
        }
        switch entry {
        case .rules(let rules):
            if fetched { setCrawlDelay(rules.crawlDelay(userAgentToken: userAgentToken), host: parts.host) }
            return rules.verdict(for: parts.pathAndQuery, userAgentToken: userAgentToken)
        case .allowAll:
            return .allowed
        case .unavailable(let reason):
            return .unavailable(reason: reason)
        }
    }
}
