/// The final response of a fetch, after redirects and content decoding.
public struct FetchResponse: Sendable {
    /// The HTTP status code; a successful `file://` read reports 200.
    public var status: Int
    /// Headers of the final response, names lowercased; when a header repeats, the last value wins, except
    /// `Cache-Control`, whose values are joined with ", ".
    public var headers: [String: String]
    /// The body after content decoding.
    public var body: [UInt8]
    /// The URL the body came from, after redirects.
    public var effectiveURL: String
    /// The Content-Type header, if any.
    public var contentType: String?
    /// The ETag header, if any; pass it back as ``FetchRequest/etag`` next time.
    public var etag: String?
    /// The Last-Modified header, if any; pass it back as ``FetchRequest/lastModified`` next time.
    public var lastModified: String?
    /// How many redirects were followed.
    public var redirectCount: Int
    /// Every redirect hop followed, in order.
    public var redirects: [FetchRedirect]
    /// The final response's `Retry-After`, as an instant computed when the response arrived.
    public var retryAfter: RetryAfter?
    /// How long the final response stays fresh by `Cache-Control: max-age`/`s-maxage` or `Expires`; nil when
    /// the server gives no lifetime or says `no-cache`/`no-store`.
    public var freshnessLifetime: Duration?

    /// Whether the server answered 304 Not Modified: the copy already held is current.
    public var notModified: Bool { status == 304 }

    /// The URL reached by following only the leading 301/308 hops: where the resource now lives for good.
    /// nil when the first hop was not permanent (or there was none).
    public var permanentURL: String? { FetchRedirect.permanentURL(of: redirects) }

    /// Creates a response; normally only ``Fetcher`` does this.
    public init(
        status: Int,
        headers: [String: String],
        body: [UInt8],
        effectiveURL: String,
        contentType: String? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        redirectCount: Int? = nil,
        redirects: [FetchRedirect] = [],
        retryAfter: RetryAfter? = nil,
        freshnessLifetime: Duration? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.redirectCount = redirectCount ?? redirects.count
        self.redirects = redirects
        self.retryAfter = retryAfter
        self.freshnessLifetime = freshnessLifetime
    }
}
