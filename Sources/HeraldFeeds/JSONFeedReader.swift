import Foundation

/// Reads JSON Feed 1.0 / 1.1 documents (https://jsonfeed.org/version/1.1).
enum JSONFeedReader {
    static func read(_ bytes: ArraySlice<UInt8>, url: String?) throws(FeedParseError) -> Feed {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw FeedParseError(.malformed, "the document looks like JSON but is not valid JSON")
        }
        guard let root = object as? [String: Any] else {
            throw FeedParseError(.notAFeed, "not a feed: the JSON document is not an object")
        }
        var feed = Feed(format: .jsonFeed)
        let version = root["version"] as? String
        if let version {
            guard version.lowercased().contains("jsonfeed.org/version/") else {
                throw FeedParseError(.notAFeed, "not a feed: JSON \"version\" is \(version), not a jsonfeed.org version")
            }
        } else {
            guard root["items"] is [Any] else {
                throw FeedParseError(.notAFeed, "not a feed: the JSON document has neither a JSON Feed version nor items")
            }
            feed.warnings.append("JSON Feed without a \"version\"; read it as JSON Feed 1.1")
        }
        func string(_ dict: [String: Any], _ key: String) -> String? {
            guard let s = dict[key] as? String else { return nil }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        func authors(_ dict: [String: Any]) -> [FeedAuthor] {
            var list: [[String: Any]] = []
            if let many = dict["authors"] as? [[String: Any]] { list = many }
            else if let one = dict["author"] as? [String: Any] { list = [one] }
            return list.compactMap { a in
                let author = FeedAuthor(name: string(a, "name"), email: nil, uri: string(a, "url"))
                return author.isEmpty ? nil : author
            }
        }
        feed.title = string(root, "title").flatMap(FeedText.plainText(fromHTML:))
        let home = string(root, "home_page_url").map { FeedURL.resolve($0, against: url) }
        feed.link = home
        feed.id = string(root, "feed_url").map { FeedURL.resolve($0, against: url) }
        feed.subtitle = string(root, "description")
        feed.language = string(root, "language")
        let feedAuthors = authors(root)
        let base = url ?? home
        let items = root["items"] as? [Any] ?? []
        var skipped = 0
        for case let item in items {
            guard let item = item as? [String: Any] else {
                skipped += 1
                continue
            }
            var entry = FeedEntry()
            if let s = item["id"] as? String {
                entry.guid = s.isEmpty ? nil : s
            } else if let n = item["id"] as? NSNumber {
                entry.guid = n.stringValue
            }
            entry.link = string(item, "url").map { FeedURL.resolve($0, against: base) }
            if entry.link == nil { entry.link = string(item, "external_url").map { FeedURL.resolve($0, against: base) } }
            entry.title = string(item, "title").flatMap(FeedText.plainText(fromHTML:))
            entry.summary = string(item, "summary")
            entry.contentHTML = string(item, "content_html")
            entry.contentText = string(item, "content_text")
            entry.published = string(item, "date_published").flatMap(FeedDate.parse)
            entry.updated = string(item, "date_modified").flatMap(FeedDate.parse)
            let own = authors(item)
            entry.authors = own.isEmpty ? feedAuthors : own
            entry.categories = (item["tags"] as? [Any] ?? []).compactMap { $0 as? String }
            for case let a as [String: Any] in item["attachments"] as? [Any] ?? [] {
                guard let u = string(a, "url") else { continue }
                var length: Int64?
                if let n = a["size_in_bytes"] as? NSNumber { length = n.int64Value }
                entry.enclosures.append(
                    FeedEnclosure(url: FeedURL.resolve(u, against: base), type: string(a, "mime_type"), length: length))
            }
            feed.entries.append(entry)
        }
        if skipped > 0 { feed.warnings.append("skipped \(skipped) JSON Feed items that were not objects") }
        return feed
    }
}
