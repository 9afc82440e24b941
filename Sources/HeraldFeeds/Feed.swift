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
    /// RSS `<ttl>`: minutes the feed may be cached.
    public var ttlMinutes: Int?
    /// `sy:updatePeriod` (hourly, daily, weekly, monthly, yearly) and `sy:updateFrequency` (times per period).
    public var updatePeriod: String?
    public var updateFrequency: Int?

    /// The seconds between updates that `sy:updatePeriod`/`sy:updateFrequency` announce (frequency defaults to 1).
    public var syndicationInterval: Double? {
        guard let period = updatePeriod else { return nil }
        let seconds: Double
        switch period {
        case "hourly": seconds = 3600
        case "daily": seconds = 86_400
        case "weekly": seconds = 7 * 86_400
        case "monthly": seconds = 30 * 86_400
        case "yearly": seconds = 365 * 86_400
        default: return nil
        }
        return seconds / Double(max(1, updateFrequency ?? 1))
    }

    /// The entries kept, in document order (see `FeedParser.parse` for the `maxEntries` rule).
    public var entries: [FeedEntry]
    /// Things that went wrong but did not stop parsing, worded for people.
    public var warnings: [String]
    /// Whether the XML document ended before its root element was closed (a download cut short); the entries
    /// are then only those read before the cut. A warning containing "Premature end of data" says so too.
    public var isTruncated: Bool

    /// Creates a feed.
    public init(
        format: FeedFormat, title: String? = nil, link: String? = nil, id: String? = nil, subtitle: String? = nil,
        language: String? = nil, updated: Date? = nil, published: Date? = nil, entries: [FeedEntry] = [],
        warnings: [String] = [], isTruncated: Bool = false
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
        self.isTruncated = isTruncated
    }
}
