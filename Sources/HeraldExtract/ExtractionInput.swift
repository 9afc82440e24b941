/// One page to extract an article from.
public struct ExtractionInput: Sendable {
    /// The page's raw bytes, as received.
    public var html: [UInt8]
    /// The page's URL, used to resolve relative links and to read a date from the path.
    public var url: String?
    /// The HTTP `Content-Type` header, whose charset parameter wins over the page's own declaration.
    public var httpContentType: String?

    /// Creates an input from raw page bytes.
    public init(html: [UInt8], url: String? = nil, httpContentType: String? = nil) {
        self.html = html
        self.url = url
        self.httpContentType = httpContentType
    }
}
