import HeraldStore

/// An article ready to be recorded: its record plus the feed it came from.
struct ArticleCandidate: Sendable {
    var feedID: String
    var feedURL: String
    var entryKey: String
    var fingerprint: String
    var record: ArticleRecord
    /// Canonical URLs of the article (link, final URL, rel=canonical, og:url).
    var aliases: [String] = []
    /// Set when the page failed and will be fetched again.
    var pageRetry: FeedState.PageRetry? = nil

    /// The `data` of the `article.*` event for this candidate.
    func eventData(path: String) -> [String: JSONValue] {
        [
            "article_id": .string(record.id),
            "feed_id": .string(feedID),
            "entry_key": .string(entryKey),
            "url": record.url.map(JSONValue.string) ?? .null,
            "title": record.title.map(JSONValue.string) ?? .null,
            "content_hash": .string(record.contentHash),
            "path": .string(path),
            "source": .string(record.extraction.source),
            "fingerprint": .string(fingerprint),
            "aliases": .array(aliases.map(JSONValue.string)),
        ]
    }
}
