/// Settings shared by every fetch a ``Fetcher`` performs.
public struct FetchConfiguration: Sendable {
    /// The User-Agent header sent with every request, e.g. `"Herald/0.1 (+mailto:ops@example.org)"`.
    public var userAgent: String
    /// The largest response body accepted, counted after content decoding (gzip, deflate, br).
    public var maxBodyBytes: Int = 15 * 1024 * 1024
    /// How long establishing a connection (DNS, TCP, TLS) may take.
    public var connectTimeout: Duration = .seconds(10)
    /// How long a whole fetch, including redirects, may take: the time its transfers take, from the start of
    /// the first one (time spent queued behind a host's politeness budget, before any hop, does not count).
    public var totalTimeout: Duration = .seconds(30)
    /// The most redirects followed before a fetch fails with ``FetchError/Code/tooManyRedirects``.
    public var maxRedirects: Int = 5
    /// The most requests in flight to one host at a time (feeds, pages and robots.txt together).
    public var perHostConnections: Int = 4
    /// The most connections open at a time across all hosts.
    public var totalConnections: Int = 64
    /// The least time between the starts of two requests to one host when the later one is a page.
    public var perHostDelay: Duration = .seconds(1)
    /// The least time between the starts of two requests to one host when the later one is a feed or robots.txt.
    public var perHostFeedDelay: Duration = .zero
    /// The longest a host's delay grows after 429/503 answers, and the most a `Crawl-delay` raises it to.
    public var maximumHostDelay: Duration = .seconds(60)
    /// A request fails with ``FetchError/Code/deferred`` instead of waiting in the queue when its host asked
    /// (by `Retry-After`) not to be contacted for longer than this.
    public var maximumQueueWait: Duration = .seconds(60)

    /// Creates a configuration with default limits.
    /// - Parameter userAgent: The User-Agent header; name the software and a way to contact its operator.
    public init(userAgent: String) {
        self.userAgent = userAgent
    }
}
