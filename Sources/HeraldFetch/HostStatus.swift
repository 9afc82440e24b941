/// One host's politeness state, for `herald status`.
public struct HostStatus: Sendable, Equatable {
    /// The host name, lowercased.
    public var host: String
    /// The least time between request starts for pages now: the configured delay, raised by `Crawl-delay`
    /// and by the slowdown after 429/503 answers.
    public var delay: Duration
    /// The extra delay after 429/503 answers, while it lasts.
    public var slowdown: Duration?
    /// The host's robots.txt `Crawl-delay`, capped.
    public var crawlDelay: Duration?
    /// Requests waiting for their turn.
    public var queued: Int
    /// Requests in flight.
    public var inFlight: Int
    /// How long the host's `Retry-After` still holds every request back.
    public var blockedFor: Duration?
}
