import Foundation

/// Encodes a `Feed` in the shape the feed benchmark (`bench/feeds/eval_feeds.py`) compares against feedparser:
/// `{"feed":{"id","language","link","title","updated"},"entries":[{"author","categories","content","enclosures",
/// "id","link","published","summary","title","updated"}]}`, compact, keys sorted, dates RFC 3339 in UTC.
/// `id` is the raw guid; `author` the first author's name (else e-mail); `content` the HTML content, else the text
/// content. Extra members the benchmark ignores: `feed.format`, `entries[].key`, `entries[].summary_sanitized` and
/// `content_sanitized` (the HTML made safe to render), `warnings` (when there are any).
public enum FeedEvalJSON {
    /// The benchmark JSON for `feed`, with `"path"` added when given (for NDJSON batch output).
    public static func encode(_ feed: Feed, path: String? = nil) -> [UInt8] {
        var feedObject: [(String, JSONValue)] = [
            ("title", .string(feed.title)),
            ("link", .string(feed.link)),
            ("id", .string(feed.id)),
            ("updated", .string(feed.updated.map(rfc3339))),
            ("language", .string(feed.language)),
        ]
        feedObject.append(("format", .string(feed.format.rawValue)))
        let entries: [JSONValue] = feed.entries.map { e in
            let author = e.authors.first.flatMap { $0.name ?? $0.email }
            return .object([
                ("id", .string(e.guid)),
                ("key", .string(e.key)),
                ("title", .string(e.title)),
                ("link", .string(e.link)),
                ("published", .string(e.published.map(rfc3339))),
                ("updated", .string(e.updated.map(rfc3339))),
                ("author", .string(author)),
                ("summary", .string(e.summary)),
                ("content", .string(e.contentHTML ?? e.contentText)),
                ("categories", .array(e.categories.map { .string($0) })),
                ("enclosures", .array(e.enclosures.map { .string($0.url) })),
                ("summary_sanitized", .string(e.sanitizedSummary?.html)),
                ("content_sanitized", .string(e.sanitizedContent?.html)),
            ])
        }
        var top: [(String, JSONValue)] = [("feed", .object(feedObject)), ("entries", .array(entries))]
        if !feed.warnings.isEmpty { top.append(("warnings", .array(feed.warnings.map { .string($0) }))) }
        if let path { top.append(("path", .string(path))) }
        var out: [UInt8] = []
        JSONValue.object(top).write(to: &out)
        return out
    }

    /// `{"error": message}` (plus `"path"` when given), for documents that could not be parsed.
    public static func encodeError(_ message: String, path: String? = nil) -> [UInt8] {
        var top: [(String, JSONValue)] = [("error", .string(message))]
        if let path { top.append(("path", .string(path))) }
        var out: [UInt8] = []
        JSONValue.object(top).write(to: &out)
        return out
    }

    /// "2003-12-31T10:14:55Z" (whole seconds, UTC).
    static func rfc3339(_ date: Date) -> String {
        let total = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secs = total - days * 86_400
        // civil-from-days (Howard Hinnant)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):"
            + "\(pad(secs % 60, 2))Z"
    }
}
