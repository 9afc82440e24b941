import Foundation

/// One stored article: `<state>/articles/<first two hex digits>/<content hash>.json`.
///
/// The file is content-addressed: a changed text is a new file, and the feed state points at the newest.
public struct ArticleRecord: Codable, Sendable, Equatable {
    /// How the text was obtained.
    public struct Extraction: Codable, Sendable, Equatable {
        /// `page` when the article page was fetched and extracted, `feed` when only the feed's text is kept.
        public var source: String
        /// Why the page's text is not used (fetch error, refused link, no text), when `source` is `feed`.
        public var reason: String?
        /// Where each metadata field came from.
        public var fields: [String: String]
        /// Charset the page was decoded with.
        public var encoding: String?
    }

    /// What the feed said about the entry. `summary` and `content` are the feed's HTML as it came (for those who
    /// want it); `summary_html` and `content_html` are the same with everything active removed (scripts, styles,
    /// event handlers, javascript:/data: URLs except images, frames, forms, objects): render those.
    public struct FeedEntryInfo: Codable, Sendable, Equatable {
        public var guid: String?
        public var title: String?
        public var summary: String?
        public var published: String?
        public var updated: String?
        public var content: String? = nil
        public var summaryHTML: String? = nil
        public var contentHTML: String? = nil

        enum CodingKeys: String, CodingKey {
            case guid, title, summary, published, updated, content
            case summaryHTML = "summary_html", contentHTML = "content_html"
        }
    }

    public var id: String
    public var feedID: String
    public var entryKey: String
    public var url: String?
    public var finalURL: String?
    public var contentHash: String
    public var previousHash: String?
    public var title: String?
    public var authors: [String]
    public var published: String?
    public var modified: String?
    public var language: String?
    public var canonicalURL: String?
    public var siteName: String?
    public var description: String?
    public var image: String?
    public var text: String
    public var tags: [String]
    public var extraction: Extraction
    public var feedEntry: FeedEntryInfo
    public var fetchedAt: String

    enum CodingKeys: String, CodingKey {
        case id, feedID = "feed_id", entryKey = "entry_key", url, finalURL = "final_url"
        case contentHash = "content_hash", previousHash = "previous_hash", title, authors, published, modified
        case language, canonicalURL = "canonical_url", siteName = "site_name", description, image, text, tags
        case extraction, feedEntry = "feed_entry", fetchedAt = "fetched_at"
    }
}
