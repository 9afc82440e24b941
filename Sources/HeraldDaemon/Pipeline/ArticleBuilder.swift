import Foundation
import HeraldExtract
import HeraldFeeds

/// Identities derived by hashing.
public enum ArticleIdentity {
    /// SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits.
    static func sha256Hex(_ text: String) -> String {
        SHA256.hex(Array(text.utf8))  // `hex` hashes its input
    }
}

/// Builds the stored article from what the page and the feed said.
enum ArticleBuilder {
    /// Stable id of the article behind a feed entry: `a` + 16 hex digits of SHA-256(feed id, entry key).
    static func articleID(feedID: String, entryKey: String) -> String {
        "a" + String(SHA256.hex(SHA256.hash(Array((feedID + "\n" + entryKey).utf8))).prefix(16))
    }

    static func record(
        feed: HeraldConfig.FeedConfig, entry: FeedEntry, extracted: ExtractedArticle?, finalURL: String?,
        fallbackReason: String?
    ) -> ArticleRecord {
        let feedInfo = ArticleRecord.FeedEntryInfo(
            guid: entry.guid, title: entry.title, summary: entry.summary,
            published: entry.published.map(Timestamp.string), updated: entry.updated.map(Timestamp.string),
            content: entry.contentHTML, summaryHTML: entry.sanitizedSummary?.html,
            contentHTML: entry.sanitizedContent?.html)
        let id = articleID(feedID: feed.id, entryKey: entry.key)
        let now = Timestamp.string(Date())
        if let page = extracted {
            return ArticleRecord(
                id: id, feedID: feed.id, entryKey: entry.key, url: entry.link, finalURL: finalURL,
                contentHash: page.contentHash, previousHash: nil, title: page.title ?? entry.title,
                authors: page.authors.isEmpty ? entry.authors.compactMap(\.name) : page.authors,
                published: page.published ?? feedInfo.published, modified: page.modified ?? feedInfo.updated,
                language: page.language, canonicalURL: page.canonicalURL, siteName: page.siteName,
                description: page.description ?? entry.sanitizedSummary?.text ?? entry.summary.map(plainText), image: page.image, text: page.text,
                tags: feed.tags,
                extraction: .init(source: "page", reason: nil, fields: page.sources, encoding: page.encoding),
                feedEntry: feedInfo, fetchedAt: now)
        }
        // Keep what the feed gave: its content, else its summary.
        let html = entry.contentHTML ?? entry.summary ?? ""
        var text = html.isEmpty ? (entry.contentText ?? "") : plainText(html)
        if text.isEmpty, let contentText = entry.contentText { text = contentText }
        let untitled = text.isEmpty
        // An entry without any text is identified by its title and link, so that two different empty entries
        // are not taken for duplicates of each other.
        if untitled { text = entry.title ?? "" }
        let hash = untitled
            ? ContentHash.of("\u{0}untitled entry\u{0}" + (entry.title ?? "") + "\u{0}" + (entry.link ?? entry.key))
            : ContentHash.of(text)
        return ArticleRecord(
            id: id, feedID: feed.id, entryKey: entry.key, url: entry.link, finalURL: finalURL, contentHash: hash,
            previousHash: nil, title: entry.title, authors: entry.authors.compactMap(\.name),
            published: feedInfo.published, modified: feedInfo.updated, language: nil, canonicalURL: nil,
            siteName: nil, description: entry.sanitizedSummary?.text ?? entry.summary.map(plainText), image: nil, text: text, tags: feed.tags,
            extraction: .init(source: "feed", reason: fallbackReason ?? "feed text used", fields: [:], encoding: nil),
            feedEntry: feedInfo, fetchedAt: now)
    }

    /// The record of an article whose page arrived late (after a page retry): the page's text and metadata replace
    /// the feed's, the identity and the feed's own entry stay.
    static func withPage(_ old: ArticleRecord, extracted page: ExtractedArticle, finalURL: String, now: Date) -> ArticleRecord {
        var record = old
        record.finalURL = finalURL
        record.contentHash = page.contentHash
        record.previousHash = old.contentHash
        record.title = page.title ?? old.title
        if !page.authors.isEmpty { record.authors = page.authors }
        record.published = page.published ?? old.published
        record.modified = page.modified ?? old.modified
        record.language = page.language
        record.canonicalURL = page.canonicalURL
        record.siteName = page.siteName
        record.description = page.description ?? old.description
        record.image = page.image
        record.text = page.text
        record.extraction = .init(source: "page", reason: nil, fields: page.sources, encoding: page.encoding)
        record.fetchedAt = Timestamp.string(now)
        return record
    }

    /// Plain text of an HTML fragment, paragraphs kept.
    static func plainText(_ html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return html.trimmingCharacters(in: .whitespacesAndNewlines) }
        let page = "<html><body><article>" + html + "</article></body></html>"
        return ArticleExtractor.extract(ExtractionInput(html: Array(page.utf8), url: nil, httpContentType: "text/html; charset=utf-8")).text
    }
}
