import Foundation

/// The syndication format a document was recognised as.
public enum FeedFormat: String, Sendable, Codable {
    /// RSS 2.0 or RSS 0.91/0.92/0.93/0.94 (root `<rss>`).
    case rss2
    /// RSS 0.90 (RDF root with the Netscape 0.9 namespace).
    case rss090
    /// RSS 1.0 (RDF root with the `http://purl.org/rss/1.0/` namespace).
    case rss1
    /// Atom 1.0 (`http://www.w3.org/2005/Atom`).
    case atom10
    /// Atom 0.3 (`http://purl.org/atom/ns#`).
    case atom03
    /// JSON Feed 1.0 or 1.1.
    case jsonFeed
    /// A feed-like document whose exact format could not be told.
    case unknown
}

/// A parsed feed in one model, whatever the source format.
public struct Feed: Sendable, Codable {
    /// The format the document was recognised as.
    public var format: FeedFormat
    /// The feed title as plain text.
    public var title: String?
    /// The feed's home page (absolute when it could be resolved).
    public var link: String?
    /// The feed's own identifier (Atom `id`, JSON Feed `feed_url`).
    public var id: String?
    /// The feed description / Atom subtitle / tagline, as given.
    public var subtitle: String?
    /// The declared language (RSS `language`, `dc:language`, `xml:lang` on the root, JSON Feed `language`).
    public var language: String?
    /// When the feed says it last changed.
    public var updated: Date?
    /// When the feed says it was published (RSS `pubDate`).
    public var published: Date?
    /// The entries kept, in document order (see `FeedParser.parse` for the `maxEntries` rule).
    public var entries: [FeedEntry]
    /// Things that went wrong but did not stop parsing, worded for people.
    public var warnings: [String]

    /// Creates a feed.
    public init(
        format: FeedFormat, title: String? = nil, link: String? = nil, id: String? = nil, subtitle: String? = nil,
        language: String? = nil, updated: Date? = nil, published: Date? = nil, entries: [FeedEntry] = [],
        warnings: [String] = []
    ) {
        self.format = format
        self.title = title
        self.link = link
        self.id = id
        self.subtitle = subtitle
        self.language = language
        self.updated = updated
        self.published = published
        self.entries = entries
        self.warnings = warnings
    }
}
