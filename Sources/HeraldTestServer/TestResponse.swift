/// A canned or computed response of ``TestHTTPServer``.
public struct TestResponse: Sendable {
    /// The status code.
    public var status: Int = 200
    /// Extra headers, in order. Content-Length, Connection and (when applicable) ETag, Last-Modified and
    /// Content-Encoding are added by the server.
    public var headers: [(String, String)] = []
    /// The body before any gzip encoding.
    public var body: [UInt8] = []
    /// Sleep this long before answering, to simulate a slow server.
    public var delay: Duration? = nil
    /// Gzip the body when the request's Accept-Encoding allows gzip.
    public var gzip: Bool = false
    /// How to compress when ``gzip`` is set: stored blocks, or run-length matches that shrink repetitive bodies
    /// (useful to send a small "gzip bomb").
    public var gzipCompression: GzipCompression = .stored
    /// Add an ETag (a hash of the body) and answer a matching If-None-Match with 304.
    public var autoETag: Bool = true
    /// Add this Last-Modified value and answer an identical If-Modified-Since with 304.
    public var lastModified: String? = nil
    /// When set, these bytes are sent verbatim instead of an encoded response and the connection is closed;
    /// use it to simulate broken servers (truncated bodies, malformed status lines).
    public var raw: [UInt8]? = nil

    /// Creates a response.
    public init(
        status: Int = 200,
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        delay: Duration? = nil,
        gzip: Bool = false,
        gzipCompression: GzipCompression = .stored,
        autoETag: Bool = true,
        lastModified: String? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.gzip = gzip
        self.gzipCompression = gzipCompression
        self.autoETag = autoETag
        self.lastModified = lastModified
    }

    /// Creates a response that sends `bytes` verbatim and then closes the connection.
    public static func raw(_ bytes: [UInt8], delay: Duration? = nil) -> TestResponse {
        var response = TestResponse(delay: delay)
        response.raw = bytes
        return response
    }

    /// Creates a response with a UTF-8 text body.
    public init(status: Int = 200, contentType: String, text: String) {
        self.init(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}
