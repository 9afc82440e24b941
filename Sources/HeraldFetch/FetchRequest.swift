/// What a request is for; decides which politeness delay of ``FetchConfiguration`` applies to it.
public enum FetchKind: String, Sendable, CaseIterable {
    /// A feed poll: ``FetchConfiguration/perHostFeedDelay`` (none by default) beyond the connection limit.
    case feed
    /// An article page: ``FetchConfiguration/perHostDelay``, raised by the host's robots.txt `Crawl-delay`.
    case page
    /// A host's `/robots.txt`; paced like a feed.
    case robots
}

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
    /// Which addresses a hop to any host other than ``trustedHost`` may connect to; use
    /// ``AddressPolicy/publicOnly`` for URLs found in content.
    public var addressPolicy: AddressPolicy = .any
    /// The origin host exemption: the host of the feed a link came from. A hop (the first URL or any redirect)
    /// to this host may use whatever address it resolves to; a hop to any other host is held to
    /// ``addressPolicy``. Compared case-insensitively, without port.
    public var trustedHost: String?
    /// What the request is for, which decides its politeness delay.
    public var kind: FetchKind = .feed
    /// The Accept header, if any.
    public var accept: String?

    /// Creates a request for a URL with no validators.
    public init(url: String, kind: FetchKind = .feed) {
        self.url = url
        self.kind = kind
    }

    /// The address policy for one hop of this request, to a host already lowercased.
    func addressPolicy(forHost host: String) -> AddressPolicy {
        if let trustedHost, HostName.normalized(trustedHost) == host { return .any }
        return addressPolicy
    }
}
