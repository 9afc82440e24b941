/// A request as received by ``TestHTTPServer``.
public struct TestRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The request target as sent, including any query string.
    public var target: String
    /// The path without the query string.
    public var path: String
    /// The HTTP version, e.g. `HTTP/1.1`.
    public var version: String
    /// Header names lowercased; a repeated header keeps the last value.
    public var headers: [String: String]
    /// The request body (read according to Content-Length).
    public var body: [UInt8]
    /// When the server finished reading the request (its monotonic clock).
    public var receivedAt: ContinuousClock.Instant

    /// Creates a request; normally only the server does this.
    public init(
        method: String,
        target: String,
        version: String = "HTTP/1.1",
        headers: [String: String] = [:],
        body: [UInt8] = [],
        receivedAt: ContinuousClock.Instant = .now
    ) {
        self.method = method
        self.target = target
        self.path =
            target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            ?? target
        self.version = version
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }
}
