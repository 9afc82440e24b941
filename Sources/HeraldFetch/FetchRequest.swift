/// One resource to fetch, with the validators from a previous fetch for a conditional GET.
public struct FetchRequest: Sendable {
    /// The absolute URL to fetch (`http`, `https`, or `file` when ``allowFileScheme`` is set).
    public var url: String
    /// The ETag of the copy already held; sent as `If-None-Match`.
    public var etag: String?
    /// The Last-Modified value of the copy already held; sent as `If-Modified-Since`.
    public var lastModified: String?
    /// Allows `file://` URLs. Only set this for URLs written by the operator (configured feed URLs), never for
    /// URLs found in fetched content. Redirects are limited to `http` and `https` regardless.
    public var allowFileScheme: Bool = false
    /// Which addresses the fetch may connect to; use ``AddressPolicy/publicOnly`` for URLs found in content.
    public var addressPolicy: AddressPolicy = .any
    /// The Accept header, if any.
    public var accept: String?

    /// Creates a request for a URL with no validators.
    public init(url: String) {
        self.url = url
    }
}
