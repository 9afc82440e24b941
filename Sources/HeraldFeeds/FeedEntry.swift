import Foundation

/// One item of a feed.
public struct FeedEntry: Sendable, Codable {
    /// Herald's identity for the entry within its feed, chosen in document order (before `maxEntries` trimming):
    /// 1. the trimmed `guid` / `id`, if present and not used by an earlier entry;
    /// 2. else the resolved `link`, if present and not used by an earlier entry;
    /// 3. else `"h:"` + the 16 hex digits of the FNV-1a 64-bit hash of `link + "\n" + title + "\n" + date`
    ///    (date: published, else updated, in whole epoch seconds; missing parts are empty), with `"-2"`, `"-3"`, ...
    ///    appended if that key is already used.
    ///
    /// So a repeated id keeps the id for its first occurrence only; later ones fall back to link or hash.
    public var key: String
    /// The raw `guid` / `id` as given.
    public var guid: String?
    /// The entry's web page (absolute when it could be resolved).
    public var link: String?
    /// The title as plain text (markup and entities decoded).
    public var title: String?
    /// The summary / description as given (may be HTML).
    public var summary: String?
    /// The full content as HTML (`content:encoded`, Atom `content`, JSON Feed `content_html`).
    public var contentHTML: String?
    /// The full content as plain text (Atom `type="text"` content, JSON Feed `content_text`).
    public var contentText: String?
    /// The people credited, entry-level first, else inherited from the source or feed.
    public var authors: [FeedAuthor]
    /// When the entry was first published.
    public var published: Date?
    /// When the entry was last changed.
    public var updated: Date?
    /// Category terms / tags.
    public var categories: [String]
    /// Attached files.
    public var enclosures: [FeedEnclosure]
    /// `summary` made safe to render (`HTMLSanitizer`: no scripts, styles, handlers, frames, forms, objects or
    /// active URLs), with its plain text; nil without a summary. `summary` keeps the raw value.
    public var sanitizedSummary: SanitizedHTML? = nil
    /// `contentHTML` made safe to render (else `contentText`, escaped), with its plain text; nil without content.
    /// `contentHTML` keeps the raw value for the article record.
    public var sanitizedContent: SanitizedHTML? = nil

    /// Creates an entry.
    public init(
        key: String = "", guid: String? = nil, link: String? = nil, title: String? = nil, summary: String? = nil,
        contentHTML: String? = nil, contentText: String? = nil, authors: [FeedAuthor] = [], published: Date? = nil,
        updated: Date? = nil, categories: [String] = [], enclosures: [FeedEnclosure] = []
    ) {
        self.key = key
        self.guid = guid
        self.link = link
        self.title = title
        self.summary = summary
        self.contentHTML = contentHTML
        self.contentText = contentText
        self.authors = authors
        self.published = published
        self.updated = updated
        self.categories = categories
        self.enclosures = enclosures
    }
}
