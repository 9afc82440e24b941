/// The final response of a fetch, after redirects and content decoding.
public struct FetchResponse: Sendable {
    /// The HTTP status code; a successful `file://` read reports 200.
    public var status: Int
    /// Headers of the final response, names lowercased; when a header repeats, the last value wins.
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

    /// Whether the server answered 304 Not Modified: the copy already held is current.
    public var notModified: Bool { status == 304 }

    /// Creates a response; normally only ``Fetcher`` does this.
    public init(
        status: Int,
        headers: [String: String],
        body: [UInt8],
        effectiveURL: String,
        contentType: String? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        redirectCount: Int = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.redirectCount = redirectCount
    }
}
