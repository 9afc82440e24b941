/// Settings shared by every fetch a ``Fetcher`` performs.
public struct FetchConfiguration: Sendable {
    /// The User-Agent header sent with every request, e.g. `"Herald/0.1 (+mailto:ops@example.org)"`.
    public var userAgent: String
    /// The largest response body accepted, counted after content decoding (gzip, deflate, br).
    public var maxBodyBytes: Int = 15 * 1024 * 1024
    /// How long establishing a connection (DNS, TCP, TLS) may take.
    public var connectTimeout: Duration = .seconds(10)
    /// How long a whole fetch, including redirects, may take.
    public var totalTimeout: Duration = .seconds(30)
    /// The most redirects followed before a fetch fails with ``FetchError/Code/tooManyRedirects``.
    public var maxRedirects: Int = 5
    /// The most connections open to one host at a time.
    public var perHostConnections: Int = 4
    /// The most connections open at a time across all hosts.
    public var totalConnections: Int = 64

    /// Creates a configuration with default limits.
    /// - Parameter userAgent: The User-Agent header; name the software and a way to contact its operator.
    public init(userAgent: String) {
        self.userAgent = userAgent
    }
}
