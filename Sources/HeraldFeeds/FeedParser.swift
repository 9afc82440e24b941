import Foundation
import HeraldHTML

/// Turns RSS, RDF, Atom and JSON Feed documents into `Feed` values.
public enum FeedParser {
    /// Parses a feed document.
    ///
    /// XML is read with `MarkupParser.parseXML` (no DTDs, no external or custom entities, no network), honouring
    /// the XML declaration and byte-order marks; a document that needed recovery still parses and gets a warning.
    /// JSON Feed is read as UTF-8 (a BOM is skipped).
    ///
    /// Entry keys follow the rule documented on `FeedEntry.key` (guid, else link, else a hash).
    ///
    /// When the document has more than `maxEntries` entries, the newest ones are kept, by `published` (else
    /// `updated`); entries without either date rank after every dated entry, earlier ones in the document first.
    /// The kept entries stay in document order, and a warning gives the number dropped.
    ///
    /// - Parameters:
    ///   - bytes: the raw document.
    ///   - url: where it came from; the base for relative links (after `xml:base`), else the feed's own link is.
    ///   - contentType: the HTTP `Content-Type`, if any. Its charset is used only for a document that has neither
    ///     a byte-order mark nor an encoding declaration and is not valid UTF-8; it also words errors about HTML.
    ///   - maxEntries: the most entries to keep.
    ///   - budget: a deadline and cancellation flag for the whole parse (nil: none). The XML parser checks it
    ///     every `ParseBudget.checkInterval` events and the reader between entries.
    /// - Throws: `FeedParseError` when the body is empty, not a feed, or unreadable; `.timeBudgetExceeded` or
    ///   `.cancelled` when the budget ran out; `.tooLarge` past the parser's limits.
    public static func parse(
        _ bytes: [UInt8], url: String?, contentType: String? = nil, maxEntries: Int = 1000,
        budget: ParseBudget? = nil
    ) throws(FeedParseError) -> Feed {
        if let exhausted = budget?.exhaustion() { throw FeedParseError(exhausted) }
        var feed: Feed
        switch sniff(bytes) {
        case .empty:
            throw FeedParseError(.empty, "the document is empty")
        case .json(let start):
            feed = try JSONFeedReader.read(bytes[start...], url: url)
        case .xml:
            feed = try parseXMLFeed(bytes, url: url, contentType: contentType, budget: budget)
        case .other(let what):
            if let type = contentType?.lowercased(), type.contains("html") {
                throw FeedParseError(.notAFeed, "not a feed: the server sent \(type) and the body is \(what)")
            }
            throw FeedParseError(.notAFeed, "not a feed: the document is neither XML nor JSON (\(what))")
        }
        if let exhausted = budget?.exhaustion() { throw FeedParseError(exhausted) }
        finish(&feed, maxEntries: maxEntries)
        try sanitize(&feed, budget: budget)
        return feed
    }

    enum Sniffed: Equatable {
        case empty
        case json(start: Int)
        case xml
        case other(String)
    }

    /// Looks at the first significant bytes: UTF-16/32 BOMs or NUL patterns mean XML; `{`/`[` JSON; `<` XML.
    static func sniff(_ bytes: [UInt8]) -> Sniffed {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            return .xml
        }
        if bytes.count >= 4, bytes[0] == 0 || bytes[1] == 0 { return .xml }
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                i += 1
            } else if i + 2 < bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF {
                i += 3
            } else {
                break
            }
        }
        guard i < bytes.count else { return .empty }
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json(start: i)
        case UInt8(ascii: "<"): return .xml
        case 0x4C where bytes.count >= i + 4 && bytes[i + 1] == 0x6F && bytes[i + 2] == 0xA7 && bytes[i + 3] == 0x94:
            return .xml  // "<?xm" in EBCDIC
        default:
            let head = String(decoding: bytes[i..<min(bytes.count, i + 24)], as: UTF8.self)
            let printable = head.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0.value != 0xFFFD }
            let shown = String(String.UnicodeScalarView(printable))
            return .other(shown.isEmpty ? "binary data" : "it starts with \"\(shown)\"")
        }
    }

    /// Whether the first bytes look like an HTML page (doctype html or an <html> tag near the start).
    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<!doctype html") || head.contains("<html")
    }

    static func parseXMLFeed(
        _ bytes: [UInt8], url: String?, contentType: String?, budget: ParseBudget? = nil
    ) throws(FeedParseError) -> Feed {
        var (input, warnings) = XMLRepair.prepare(bytes, httpCharset: charset(fromContentType: contentType))
        if let exhausted = budget?.exhaustion() { throw FeedParseError(exhausted) }
        let doc: MarkupDocument
        do {
            doc = try MarkupParser.parseXML(input, budget: budget)
        } catch {
            if let stopped = FeedParseError(stopping: error) { throw stopped }
            if looksLikeHTML(input) {
                throw FeedParseError(.notAFeed, "not a feed: the document is an HTML page")
            }
            if XMLRepair.hasOnlyProlog(input) {
                throw FeedParseError(.empty, "the document has no elements (only comments or declarations)")
            }
            let lower = error.message.lowercased()
            // An encoding name the converter does not know: read the bytes as UTF-8 (repairing stray bytes).
            if lower.contains("unsupported encoding"), var retry = XMLRepair.removingDeclaredEncoding(input) {
                if let (repaired, _) = XMLRepair.repairInvalidUTF8(retry) { retry = repaired }
                if let rewritten = XMLRepair.rewriteHTMLEntities(retry) { retry = rewritten }
                var second: MarkupDocument?
                do {
                    second = try MarkupParser.parseXML(retry, budget: budget)
                } catch let retryError {
                    if let stopped = FeedParseError(stopping: retryError) { throw stopped }
                }
                if let second {
                    warnings.append(
                        "the declared encoding is not supported (\(error.message)); read the document as UTF-8")
                    return try finishXML(second, input: retry, url: url, warnings: warnings, budget: budget)
                }
            }
            if lower.contains("encoding") || lower.contains("utf-8")
                || lower.contains("char") && lower.contains("range")
            {
                throw FeedParseError(
                    .invalidEncoding, "the document's bytes do not match its encoding: \(error.message)")
            }
            throw FeedParseError(
                .malformed, "the document is not well-formed XML and nothing could be recovered: \(error.message)")
        }
        return try finishXML(doc, input: input, url: url, warnings: warnings, budget: budget)
    }

    static func finishXML(
        _ doc: MarkupDocument, input: [UInt8], url: String?, warnings: [String], budget: ParseBudget? = nil
    ) throws(FeedParseError) -> Feed {
        var feed = try XMLFeedReader.read(doc, url: url, budget: budget)
        if !doc.errors.isEmpty, let root = doc.documentElement {
            let qname = (doc.prefix(of: root).map { $0 + ":" } ?? "") + doc.name(of: root)
            if !XMLRepair.endsWithEndTag(input, qualifiedName: qname, rootHasChildren: doc.firstChild(of: root) != nil)
            {
                feed.isTruncated = true
                feed.warnings.insert(
                    "document is truncated (Premature end of data: the root element <\(qname)> is never closed)", at: 0)
            }
        }
        if let first = doc.errors.first {
            let more = doc.errors.count > 1 ? " (and \(doc.errors.count - 1) more errors)" : ""
            var text = FeedText.trimmed(first)
            if !feed.isTruncated {
                // libxml2 says "Premature end of data" for elements left open in a complete document too; only a
                // truncated document keeps that wording (see `Feed.isTruncated`).
                text = text.replacingOccurrences(
                    of: "Premature end of data", with: "End of data with unclosed elements")
            }
            feed.warnings.insert("document was not well-formed: \(text)\(more)", at: 0)
        }
        feed.warnings.insert(contentsOf: warnings, at: 0)
        return feed
    }

    /// Fills `sanitizedSummary` and `sanitizedContent` of every entry kept.
    static func sanitize(_ feed: inout Feed, budget: ParseBudget?) throws(FeedParseError) {
        do {
            for i in feed.entries.indices {
                if let summary = feed.entries[i].summary {
                    feed.entries[i].sanitizedSummary = try HTMLSanitizer.sanitize(summary, budget: budget)
                }
                if let content = feed.entries[i].contentHTML {
                    feed.entries[i].sanitizedContent = try HTMLSanitizer.sanitize(content, budget: budget)
                } else if let text = feed.entries[i].contentText {
                    feed.entries[i].sanitizedContent = SanitizedHTML(
                        html: escapeMarkup(text, quotes: false), text: FeedText.collapsed(text) ?? "")
                }
            }
        } catch {
            throw FeedParseError(stopping: error) ?? FeedParseError(.malformed, error.message)
        }
    }

    /// Repairs double-encoded UTF-8 field by field (see `FeedText.repairingDoubleEncodedUTF8`).
    static func repairDoubleEncoding(_ feed: inout Feed) {
        func fix(_ value: inout String?) {
            if let v = value { value = FeedText.repairingDoubleEncodedUTF8(v) }
        }
        fix(&feed.title)
        fix(&feed.subtitle)
        for i in feed.entries.indices {
            fix(&feed.entries[i].title)
            fix(&feed.entries[i].summary)
            fix(&feed.entries[i].contentHTML)
            fix(&feed.entries[i].contentText)
            for j in feed.entries[i].authors.indices { fix(&feed.entries[i].authors[j].name) }
            for j in feed.entries[i].categories.indices {
                feed.entries[i].categories[j] = FeedText.repairingDoubleEncodedUTF8(feed.entries[i].categories[j])
            }
        }
    }

    /// The `charset` parameter of a Content-Type header, lowercased and unquoted.
    static func charset(fromContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                continue
            }
            let value = pair[1].trimmingCharacters(
                in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"'")))
            return value.isEmpty ? nil : value.lowercased()
        }
        return nil
    }

    /// Fills in what is common to every format: fallback link resolution, entry keys, the entry limit.
    static func finish(_ feed: inout Feed, maxEntries: Int) {
        repairDoubleEncoding(&feed)
        // Links still relative after xml:base and the document URL: resolve against the feed's own link.
        if let base = feed.link, FeedURL.isAbsoluteWithHost(base) {
            for i in feed.entries.indices {
                if let l = feed.entries[i].link, !FeedURL.hasScheme(l) {
                    feed.entries[i].link = FeedURL.resolve(l, against: base)
                }
                for j in feed.entries[i].enclosures.indices where !FeedURL.hasScheme(feed.entries[i].enclosures[j].url)
                {
                    feed.entries[i].enclosures[j].url = FeedURL.resolve(
                        feed.entries[i].enclosures[j].url, against: base)
                }
            }
        }
        EntryKey.assign(&feed.entries)
        let limit = max(0, maxEntries)
        if feed.entries.count > limit {
            let dropped = feed.entries.count - limit
            let ranked = feed.entries.indices.sorted { a, b in
                let da = feed.entries[a].published ?? feed.entries[a].updated
                let db = feed.entries[b].published ?? feed.entries[b].updated
                switch (da, db) {
                case (let x?, let y?): return x != y ? x > y : a < b
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a < b
                }
            }
            let keep = Set(ranked.prefix(limit))
            feed.entries = feed.entries.indices.filter { keep.contains($0) }.map { feed.entries[$0] }
            feed.warnings.append("dropped \(dropped) entries beyond the limit of \(limit)")
        }
    }
}
