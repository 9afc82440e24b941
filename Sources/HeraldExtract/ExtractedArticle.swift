/// An article's main text and metadata as extracted from one HTML page.
public struct ExtractedArticle: Sendable, Codable, Equatable {
    /// Main text; paragraphs (including headings, list items and quotes) separated by a blank line ("\n\n").
    public var text: String
    /// Headline without the site-name suffix.
    public var title: String?
    /// Author names, without "By" and without the outlet's name.
    public var authors: [String]
    /// Publication time in RFC 3339, keeping the page's offset (a bare date when the page gives no time).
    public var published: String?
    /// Last modification time, formatted like `published`.
    public var modified: String?
    /// Language tag as the page declares it ("en", "en-IN").
    public var language: String?
    /// Canonical URL, resolved against the page URL.
    public var canonicalURL: String?
    /// Name of the outlet.
    public var siteName: String?
    /// Summary from the page's metadata.
    public var description: String?
    /// Lead image URL.
    public var image: String?
    /// `ContentHash.of(text)`.
    public var contentHash: String
    /// For each metadata field, where its value came from
    /// ("title": "json-ld", "published": "meta:article:published_time").
    public var sources: [String: String]
    /// Charset the page was decoded with.
    public var encoding: String

    /// Creates an article; `contentHash` defaults to `ContentHash.of(text)`.
    public init(
        text: String, title: String? = nil, authors: [String] = [], published: String? = nil,
        modified: String? = nil, language: String? = nil, canonicalURL: String? = nil, siteName: String? = nil,
        description: String? = nil, image: String? = nil, contentHash: String? = nil, sources: [String: String] = [:],
        encoding: String = "utf-8"
    ) {
        self.text = text
        self.title = title
        self.authors = authors
        self.published = published
        self.modified = modified
        self.language = language
        self.canonicalURL = canonicalURL
        self.siteName = siteName
        self.description = description
        self.image = image
        self.contentHash = contentHash ?? ContentHash.of(text)
        self.sources = sources
        self.encoding = encoding
    }
}
