import Foundation
import HeraldHTML

/// Reads an article's metadata from JSON-LD, OpenGraph and other meta tags, the markup, the URL and the text.
struct MetadataExtractor {
    let tree: PageTree
    let pageURL: String?
    private(set) var meta: [String: [String]] = [:]
    private(set) var jsonLD: JSONLDArticle?
    var sources: [String: String] = [:]

    init(tree: PageTree, pageURL: String?) {
        self.tree = tree
        self.pageURL = pageURL
        var scripts: [String] = []
        for i in 1..<tree.count where tree.isElement[i] {
            switch tree.tags[i] {
            case .meta:
                let key = tree.attribute(.property, i) ?? tree.attribute(.name, i) ?? tree.attribute(.itemprop, i)
                    ?? tree.attribute(.httpEquiv, i)
                guard let key, let content = tree.attribute(.content, i) else { continue }
                let value = TextNormalizer.normalize(content)
                if value.isEmpty { continue }
                meta[key.lowercasedFast(), default: []].append(value)
            case .script:
                if let type = tree.attribute(.type, i)?.lowercasedFast(), type.containsUTF8("ld+json") {
                    scripts.append(tree.document.textContent(of: tree.nodes[i]))
                }
            default:
                break
            }
        }
        jsonLD = JSONLDArticle.read(scripts)
    }

    func first(_ keys: [String]) -> (key: String, value: String)? {
        for key in keys {
            if let value = meta[key]?.first { return (key, value) }
        }
        return nil
    }

    // MARK: - Title and site

    /// The JSON-LD WebSite's name, then og:site_name, then the JSON-LD publisher (for syndicated stories that is
    /// the original outlet, so it comes after the page's own og:site_name), then other meta tags.
    mutating func siteName() -> String? {
        if let name = jsonLD?.siteName {
            sources["site_name"] = "json-ld"
            return name
        }
        if let value = meta["og:site_name"]?.first {
            sources["site_name"] = "meta:og:site_name"
            return String(value.drop { $0 == "@" })
        }
        if let name = jsonLD?.publisher {
            sources["site_name"] = "json-ld"
            return name
        }
        if let found = first(["application-name", "al:ios:app_name", "twitter:site"]) {
            sources["site_name"] = "meta:" + found.key
            return String(found.value.drop { $0 == "@" })
        }
        return nil
    }

    mutating func title(siteName: String?) -> String? {
        if let headline = jsonLD?.headline, jsonLD?.type != "webpage" || meta["og:title"] == nil {
            sources["title"] = "json-ld"
            return MetadataExtractor.cleanTitle(headline, siteName: siteName)
        }
        if let found = first(["og:title", "twitter:title", "citation_title", "dc.title", "parsely-title",
            "sailthru.title", "headline"])
        {
            sources["title"] = "meta:" + found.key
            return MetadataExtractor.cleanTitle(found.value, siteName: siteName)
        }
        if let index = tree.indices(of: .title).first {
            let text = tree.collapsedText(index)
            if !text.isEmpty {
                sources["title"] = "title"
                return MetadataExtractor.cleanTitle(text, siteName: siteName)
            }
        }
        if let index = tree.indices(of: .h1).first {
            let text = tree.collapsedText(index)
            if !text.isEmpty {
                sources["title"] = "h1"
                return text
            }
        }
        return nil
    }

    /// Removes a " | Site" / " - Site" suffix (or "Site | " prefix).
    static func cleanTitle(_ raw: String, siteName: String?) -> String {
        let title = TextNormalizer.normalize(raw)
        let separators = [" | ", " - ", " – ", " — ", " :: ", " • ", " · ", " « ", " » "]
        let site = siteName.map { MainTextExtractor.comparable($0) }
        for separator in separators {
            guard let range = title.rangeUTF8(of: separator, backwards: true) else { continue }
            let head = String(title[..<range.lowerBound])
            let tail = String(title[range.upperBound...])
            let tailKey = MainTextExtractor.comparable(tail)
            if let site, !site.isEmpty, tailKey == site || site.containsUTF8(tailKey) || tailKey.containsUTF8(site) {
                return cleanTitle(head, siteName: siteName)
            }
            if let first = title.rangeUTF8(of: separator) {
                let lead = MainTextExtractor.comparable(String(title[..<first.lowerBound]))
                if let site, !site.isEmpty, lead == site {
                    return String(title[first.upperBound...])
                }
            }
            let tailWords = tail.split(separator: " ").count
            let headWords = head.split(separator: " ").count
            if separator == " | " && tailWords <= 4 && headWords >= 3 { return cleanTitle(head, siteName: siteName) }
            let tailIsName = tail.split(separator: " ").allSatisfy {
                $0.first?.isUppercase == true || $0.first?.isNumber == true
            }
            if tailWords <= 3 && headWords >= 3 && tailIsName { return head }
        }
        return title
    }

    // MARK: - People

    mutating func authors(siteName: String?) -> [String] {
        var raw: [String] = []
        if let names = jsonLD?.authors, !names.isEmpty {
            raw = names
            sources["authors"] = "json-ld"
        } else if let values = meta["article:author"]?.filter({ !MetadataExtractor.looksLikeURL($0) }),
            !values.isEmpty
        {
            raw = values
            sources["authors"] = "meta:article:author"
        } else {
            for key in ["author", "citation_author", "dc.creator", "dcterms.creator", "parsely-author",
                "sailthru.author", "byl"]
            {
                if var values = meta[key]?.filter({ !MetadataExtractor.looksLikeURL($0) }), !values.isEmpty {
                    if key == "citation_author" { values = values.map(MetadataExtractor.invertedName) }
                    raw = values
                    sources["authors"] = "meta:" + key
                    break
                }
            }
        }
        let exclude = [siteName, jsonLD?.publisher].compactMap { $0 }
        let accounts = siteAccountNames()
        let cleaned = MetadataExtractor.splitAuthors(raw, exclude: exclude).filter {
            !accounts.contains($0.lowercased())
        }
        if !cleaned.isEmpty { return cleaned }
        // A wire agency as the only credit is what the page says: reported alone, never beside people.
        if let agency = MetadataWireAgency.find(in: raw) { return [agency] }
        // The first byline element that names a person or an agency; a bare "By" label or a credit that names
        // only the outlet is passed over for a later element (often the rel=author link inside it).
        // A staff or desk credit is kept aside: it is reported only when no person or agency turns up.
        var credit = MetadataCredit.staff(in: raw).map { ($0, sources["authors"] ?? "") }
        for byline in bylineTexts() {
            let names = MetadataExtractor.splitAuthors([byline], exclude: exclude).filter {
                !accounts.contains($0.lowercased())
            }
            if !names.isEmpty {
                sources["authors"] = "byline"
                return names
            }
            if let agency = MetadataWireAgency.find(in: [byline]) {
                sources["authors"] = "byline"
                return [agency]
            }
            if credit == nil, let staff = MetadataCredit.staff(in: [byline]) { credit = (staff, "byline") }
        }
        let byLine = byLineNames(exclude: exclude)
        if !byLine.isEmpty {
            sources["authors"] = "by-line"
            return byLine
        }
        if let (name, source) = credit {
            sources["authors"] = source
            return [name]
        }
        // "SANTA FE, N.M. (AP) — …": the agency of the story's dateline, as the lede in the description gives it.
        for key in ["og:description", "description", "twitter:description"] {
            if let lede = meta[key]?.first, let agency = MetadataCredit.datelineAgency(in: lede) {
                sources["authors"] = "dateline"
                return [agency]
            }
        }
        sources["authors"] = nil
        return []
    }

    /// Texts of byline elements in document order (at most a few).
    private func bylineTexts() -> [String] {
        var out: [String] = []
        for i in 1..<tree.count where tree.isElement[i] {
            let rel = tree.attribute(.rel, i)?.lowercasedFast()
            let itemprop = tree.attribute(.itemprop, i)?.lowercasedFast()
            var isByline = rel == "author" || itemprop == "author" || itemprop == "creator"
            // Tokens "byline" and "author" need those letters in the class: most classes are ruled out unsplit.
            if !isByline, let cls = tree.attribute(.class, i),
                MetadataExtractor.mentionsAny(cls, MetadataExtractor.bylineStems)
            {
                let tokens = FurnitureClassifier.tokenize(cls)
                isByline = tokens.contains("byline") || tokens.contains("author") && !tokens.contains("bio")
            }
            guard isByline, !isInsideCommentsOrForm(i), !isInsideRelatedLinks(i) else { continue }
            // schema.org microdata: the person's name sits in a descendant with itemprop="name".
            if itemprop == "author" || itemprop == "creator" {
                for j in (i + 1)..<Int(tree.ends[i])
                where tree.isElement[j] && tree.attribute(.itemprop, j)?.lowercasedFast() == "name" {
                    let name = TextNormalizer.normalize(tree.attribute(.content, j) ?? tree.collapsedText(j))
                    if !name.isEmpty && name.count <= 80 { out.append(name) }
                }
            }
            let text = tree.collapsedText(i)
            if text.isEmpty || text.count > 80 { continue }
            out.append(text)
            if out.count >= 12 { break }
        }
        return out
    }

    private static let credentials: Set<String> = [
        "phd", "ph.d", "md", "ms", "msc", "rd", "rdn", "mba", "rn", "cpt", "ma", "ba", "bsc", "jr", "dr", "cscs",
    ]

    /// "TOM KRISHER" → "Tom Krisher".
    static func titleCased(_ name: String) -> String {
        name.split(separator: " ").map { word in
            guard let first = word.first else { return String(word) }
            return String(first).uppercased() + word.dropFirst().lowercased()
        }.joined(separator: " ")
    }

    /// A byline's label standing alone ("By", "Author:").
    private static let bylineLabels: Set<String> = [
        "by", "von", "par", "por", "door", "author", "authors", "written by", "posted by", "story by",
    ]

    private static let roleWords: Set<String> = [
        "staff", "reporter", "reporters", "correspondent", "editor", "editors", "agencies", "desk", "writer",
        "writers", "contributor", "columnist", "producer", "team", "bureau", "media", "news", "press", "newsroom",
    ]

    /// "Okafor, Ada" → "Ada Okafor" (citation_author style).
    static func invertedName(_ value: String) -> String {
        let parts = value.split(separator: ",", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return value }
        return String(parts[1]).trimmingScalars(" ") + " " + String(parts[0]).trimmingScalars(" ")
    }

    func isInsideCommentsOrForm(_ i: Int) -> Bool {
        var p = i
        while p > 0 {
            if tree.tags[p] == .form || tree.tags[p] == .footer || tree.tags[p] == .aside { return true }
            if let cls = tree.attribute(.class, p) ?? tree.attribute(.id, p) {
                let tokens = FurnitureClassifier.tokenize(cls)
                if tokens.contains(where: { $0.hasPrefix("comment") || $0 == "respond" || $0 == "reply" }) {
                    return true
                }
            }
            p = Int(tree.parents[p])
        }
        return false
    }

    static func looksLikeURL(_ value: String) -> Bool {
        value.hasPrefix("http://") || value.hasPrefix("https://") || value.hasPrefix("//") || value.hasPrefix("www.")
    }

    /// "By Ann Lee and Bo Chan, Reuters" → ["Ann Lee", "Bo Chan"] (outlet names in `exclude` dropped).
    static func splitAuthors(_ raw: [String], exclude: [String]) -> [String] {
        let excluded = Set(exclude.map { MainTextExtractor.comparable($0) })
        var out: [String] = []
        var seen = Set<String>()
        for value in raw {
            // "| BY: Name" after a date in the same line.
            var text = TextNormalizer.normalize(value).trimmingScalars(" |-–—:")
            for prefix in [
                "by ", "by: ", "written by ", "words by ", "story by ", "reported by ", "posted by ", "von ", "par ",
                "por ", "door ",
            ]
            where text.lowercased().hasPrefix(prefix) {
                text = String(text.dropFirst(prefix.count))
            }
            text = MetadataExtractor.resolvingParentheses(text)
            var parts = [text]
            for separator in [" and ", " & ", ", ", ";", " | ", " with ", " y ", " und ", " et "] {
                parts = parts.flatMap { part -> [String] in
                    part.componentsUTF8(separatedBy: separator)
                }
            }
            for part in parts {
                var name = MetadataExtractor.withoutAffiliation(part).trimmingScalars(" .,:;|-–—@")
                let key = MainTextExtractor.comparable(name)
                if name.isEmpty || key.count > 60 || excluded.contains(key) || seen.contains(key) { continue }
                // Outlet names next to the person ("CNN Business" on a CNN page) and credentials ("MS", "RD").
                if excluded.contains(where: { $0.count >= 3 && (key.containsUTF8($0) || $0.containsUTF8(key)) }) {
                    continue
                }
                if MetadataExtractor.bylineLabels.contains(key) { continue }
                if credentials.contains(key) || name.containsUTF8("(") || key.containsUTF8("admin") { continue }
                // Initialisms and call signs ("PTI", "KWCHCIK") are no person's name.
                if !name.containsUTF8(" ") && name.uppercased() == name { continue }
                if name.count <= 4 && name.uppercased() == name { continue }
                if MainTextExtractor.isMostlyUppercase(name) { name = titleCased(name) }
                if looksLikeURL(name) || name.containsUTF8("@") { continue }
                if key.hasPrefix("by ") || key.hasPrefix("for ") || key.containsUTF8(".com") { continue }
                // Dates, times and job titles that bylines mix in ("AP Auto Writer", "November 19").
                if name.unicodeScalars.contains(where: { $0.properties.numericType != nil }) { continue }
                let words = key.split(separator: " ")
                if words.count > 5 || words.contains(where: { roleWords.contains(String($0)) }) { continue }
                if MetadataOrganization.isOrganizationName(words) { continue }
                seen.insert(key)
                out.append(name)
            }
        }
        return out
    }

    /// Words that open a parenthesis naming co-authors: "(avec Bo Chan et Cy Dee)", "(with Bo Chan)".
    private static let withWords: Set<String> = ["with", "avec", "mit", "con", "com", "met", "and", "et", "y", "und"]

    /// A byline's parentheses resolved: co-authors in "(with …)" join the list ("Ann Lee (avec Bo Chan et Cy Dee)"
    /// → "Ann Lee, Bo Chan et Cy Dee"); anything else in parentheses, a role or an outlet ("Ann Lee (Reuters)"),
    /// goes.
    static func resolvingParentheses(_ text: String) -> String {
        guard text.containsUTF8("(") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "(") {
            out += rest[..<open]
            let inside = rest[rest.index(after: open)...]
            let close = inside.firstIndex(of: ")") ?? inside.endIndex
            let content = String(inside[..<close]).trimmingScalars(" ")
            let words = content.split(separator: " ", maxSplits: 1)
            if let first = words.first, withWords.contains(first.lowercased()), words.count == 2 {
                out = out.trimmingScalars(" ") + ", " + words[1]
            }
            rest = close < inside.endIndex ? inside[inside.index(after: close)...] : ""
        }
        out += rest
        return out.trimmingScalars(" ")
    }

    /// A person's name without the affiliation written after it: "Finian Cunningham. Sputnik International"
    /// (a full stop after a whole word, not after an initial or a title), "JILL LAWLESS Associated Press" (an
    /// agency after at least two words of name).
    static func withoutAffiliation(_ part: String) -> String {
        var name = part
        if let stop = name.rangeUTF8(of: ". ") {
            let before = name[..<stop.lowerBound].split(separator: " ").last ?? ""
            if before.count >= 3, !titles.contains(before.lowercased()) { name = String(name[..<stop.lowerBound]) }
        }
        let key = name.lowercased()
        for agency in ["associated press", "reuters", "agence france-presse", "agence france presse"]
        where key.hasSuffix(agency) && key.dropLast(agency.count).split(separator: " ").count >= 2 {
            // Also when markup glued the two ("JILL LAWLESSAssociated Press").
            name = String(name.dropLast(agency.count)).trimmingScalars(" ")
        }
        return name
    }

    /// Abbreviations written with a full stop before a name ("Prof. Ann Lee", "Gov. Bo Chan").
    private static let titles: Set<String> = [
        "prof", "sgt", "capt", "gen", "gov", "sen", "rep", "mrs", "col", "rev", "maj", "cpl", "pvt", "hon", "atty",
        "supt", "insp", "det", "adm", "cmdr", "lieut", "brig",
    ]

    // MARK: - Dates

    /// `datelineTexts` is only evaluated when no structured source has a date.
    mutating func published(datelineTexts: () -> [String]) -> String? {
        if let value = jsonLD?.published, let date = DateNormalizer.normalize(value) {
            sources["published"] = "json-ld"
            return localForm(of: date) ?? date
        }
        let keys = [
            "article:published_time", "og:published_time", "article:published", "citation_publication_date",
            "citation_date", "citation_online_date", "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.created",
            "dcterms.date", "parsely-pub-date", "sailthru.date", "datepublished", "date", "pubdate", "publishdate",
            "publish-date", "publish_date", "published_time", "article.published", "dc.date.created", "og:pubdate",
            "article_date_original", "original-publish-date", "displaydate", "cxenseparse:recs:publishtime",
        ]
        for key in keys {
            if let value = meta[key]?.first, let date = DateNormalizer.normalize(value) {
                sources["published"] = "meta:" + key
                return localForm(of: date) ?? date
            }
        }
        if let date = timeElementDate(preferModified: false) {
            sources["published"] = "time"
            return localForm(of: date) ?? date
        }
        if let date = urlDate() {
            sources["published"] = "url"
            return date
        }
        for text in datelineTexts() {
            if let parts = DateNormalizer.findDate(in: text) {
                sources["published"] = "dateline"
                return parts.rfc3339
            }
        }
        if let date = publicationLineDate() {
            sources["published"] = "publication-line"
            return date
        }
        return nil
    }

    mutating func modified(datelineTexts: () -> [String]) -> String? {
        if let value = jsonLD?.modified, let date = DateNormalizer.normalize(value) {
            sources["modified"] = "json-ld"
            return date
        }
        let keys = [
            "article:modified_time", "og:updated_time", "article:modified", "dcterms.modified", "dc.date.modified",
            "datemodified", "last-modified", "lastmod", "parsely-updated", "modified_time", "sailthru.lastmodified",
        ]
        for key in keys {
            if let value = meta[key]?.first, let date = DateNormalizer.normalize(value) {
                sources["modified"] = "meta:" + key
                return date
            }
        }
        if let date = timeElementDate(preferModified: true) {
            sources["modified"] = "time"
            return date
        }
        for text in datelineTexts() {
            for keyword in ["updated", "modified", "update"] {
                if let parts = DateNormalizer.findDate(in: text, after: keyword) {
                    sources["modified"] = "dateline"
                    return parts.rfc3339
                }
            }
        }
        return nil
    }

    /// `<time datetime>` (or an element with `itemprop=datePublished`), preferring those inside `<article>`.
    private func timeElementDate(preferModified: Bool) -> String? {
        var inArticle: [(Int, String)] = []
        var elsewhere: [(Int, String)] = []
        let wanted = preferModified ? "datemodified" : "datepublished"
        for i in 1..<tree.count where tree.isElement[i] {
            let itemprop = tree.attribute(.itemprop, i)?.lowercasedFast()
            let value: String?
            if tree.tags[i] == .time {
                value = tree.attribute(.datetime, i) ?? tree.attribute(.content, i)
            } else if itemprop == wanted, tree.tags[i] != .meta {
                value = tree.attribute(.datetime, i) ?? tree.attribute(.content, i)
            } else {
                continue
            }
            guard let value else { continue }
            if preferModified {
                // Only an explicit modified marker counts for `modified`.
                let cls = (tree.attribute(.class, i) ?? "").lowercasedFast()
                guard itemprop == wanted || cls.containsUTF8("updated") || cls.containsUTF8("modified") else {
                    continue
                }
            } else {
                let cls = (tree.attribute(.class, i) ?? "").lowercasedFast()
                if itemprop == "datemodified" || cls.containsUTF8("updated") || cls.containsUTF8("modified") {
                    continue
                }
            }
            if isInsideArticle(i) { inArticle.append((i, value)) } else { elsewhere.append((i, value)) }
        }
        for (_, value) in inArticle + elsewhere {
            if let date = DateNormalizer.normalize(value) { return date }
        }
        return nil
    }

    private func isInsideArticle(_ i: Int) -> Bool {
        var p = Int(tree.parents[i])
        while p > 0 {
            if tree.tags[p] == .article || tree.tags[p] == .main { return true }
            p = Int(tree.parents[p])
        }
        return false
    }

    /// A date in the URL path: /2025/12/04/, /2025-12-04/, /20251204/.
    func urlDate() -> String? {
        // The page's own URL, then the canonical one (pages read from files have no URL of their own).
        for url in [pageURL, canonicalHref()].compactMap({ $0 }) {
            if let date = MetadataExtractor.urlDate(url) { return date }
        }
        return nil
    }

    /// The href of `<link rel=canonical>`, else og:url, unresolved.
    func canonicalHref() -> String? {
        for i in 1..<tree.count where tree.tags[i] == .link {
            guard let rel = tree.attribute(.rel, i)?.lowercasedFast(), rel.split(separator: " ").contains("canonical"),
                let href = tree.attribute(.href, i), !href.isEmpty
            else { continue }
            return href
        }
        return meta["og:url"]?.first
    }

    /// A date in a URL path: /2025/12/04/, /2025-12-04/, /20251204/, a slug ending "-20251204".
    static func urlDate(_ url: String) -> String? {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        let segments = path.split(separator: "/").map(String.init)
        for (k, segment) in segments.enumerated() {
            if segment.count == 4, let year = Int(segment), year >= 1990, year <= 2100, k + 2 < segments.count,
                let month = Int(segments[k + 1]), let day = Int(segments[k + 2].prefix(2)),
                segments[k + 1].count <= 2, segments[k + 2].prefix(2).allSatisfy(\.isNumber)
            {
                let parts = DateNormalizer.Parts(year: year, month: month, day: day)
                if DateNormalizer.isValid(parts) { return parts.rfc3339 }
            }
            let digits = segment.prefix(10)
            if digits.count == 10, digits.dropFirst(4).first == "-", let parts = DateNormalizer.parse(String(digits)),
                parts.hour == nil
            {
                return parts.rfc3339
            }
            if segment.count == 8, segment.allSatisfy(\.isNumber), let parts = DateNormalizer.parse(segment) {
                return parts.rfc3339
            }
            // "story-title-20191115": eight digits after the slug's last hyphen.
            let tail = segment.split(separator: "-").last.map(String.init) ?? ""
            if segment.count > 9, tail.count == 8, tail.allSatisfy(\.isNumber), let year = Int(tail.prefix(4)),
                year >= 1990, year <= 2100, let parts = DateNormalizer.parse(tail)
            {
                return parts.rfc3339
            }
        }
        return nil
    }

    /// Text of byline/date elements, which often carry "Published Dec 4, 2025, Updated ...".
    static func datelineCandidates(in tree: PageTree) -> [String] {
        var out: [String] = []
        for i in 1..<tree.count where tree.isElement[i] && out.count < 8 {
            guard let cls = tree.attribute(.class, i) ?? tree.attribute(.id, i),
                mentionsAny(cls, datelineStems)
            else { continue }
            let tokens = FurnitureClassifier.tokenize(cls)
            guard tokens.contains(where: { ["date", "dateline", "byline", "timestamp", "published", "time", "meta",
                "updated", "posted"].contains($0) })
            else { continue }
            let text = tree.collapsedText(i)
            if !text.isEmpty && text.count < 300 { out.append(text) }
        }
        return out
    }

    /// Substrings one of which a class/id must hold to yield a dateline token ("dateline" holds "date",
    /// "timestamp" holds "time").
    private static let datelineStems = BytePatterns([
        "date", "byline", "time", "published", "meta", "updated", "posted",
    ])
    private static let bylineStems = BytePatterns(["byline", "author"])

    /// Whether `text`, lowercased, contains one of `stems` (a cheap necessary test before tokenizing).
    /// Whether `text` contains one of the (lowercase ASCII) patterns, ignoring ASCII case: one pass, no copies.
    static func mentionsAny(_ text: String, _ patterns: BytePatterns) -> Bool {
        var text = text
        return text.withUTF8 { patterns.occursInShortText($0, ignoringASCIICase: true) }
    }

    // MARK: - Page facts

    mutating func language() -> String? {
        if let html = tree.indices(of: .html).first,
            let lang = tree.attribute(.lang, html) ?? tree.attribute(.xmlLang, html), !lang.trimmingScalars(" ").isEmpty
        {
            sources["language"] = "html:lang"
            return lang.trimmingScalars(" ")
        }
        if let locale = meta["og:locale"]?.first {
            sources["language"] = "meta:og:locale"
            return locale.replacingOccurrences(of: "_", with: "-")
        }
        if let found = first(["content-language", "language", "dc.language", "dcterms.language"]) {
            sources["language"] = "meta:" + found.key
            return found.value.split(separator: ",").first.map { String($0).trimmingScalars(" ") } ?? found.value
        }
        if let lang = jsonLD?.language {
            sources["language"] = "json-ld"
            return lang
        }
        return nil
    }

    mutating func canonicalURL() -> String? {
        for i in 1..<tree.count where tree.tags[i] == .link {
            guard let rel = tree.attribute(.rel, i)?.lowercasedFast(),
                rel.split(separator: " ").contains("canonical"), let href = tree.attribute(.href, i),
                !href.isEmpty, let resolved = resolve(href)
            else { continue }
            sources["canonical_url"] = "link:canonical"
            return resolved
        }
        if let url = meta["og:url"]?.first, let resolved = resolve(url) {
            sources["canonical_url"] = "meta:og:url"
            return resolved
        }
        if let url = jsonLD?.url, let resolved = resolve(url) {
            sources["canonical_url"] = "json-ld"
            return resolved
        }
        return nil
    }

    mutating func description() -> String? {
        if let found = first(["og:description", "description", "twitter:description", "dc.description"]) {
            sources["description"] = "meta:" + found.key
            return HTMLEntities.decode(found.value)
        }
        if let text = jsonLD?.description {
            sources["description"] = "json-ld"
            return text
        }
        return nil
    }

    mutating func image() -> String? {
        if let found = first(["og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"]),
            let resolved = resolve(found.value)
        {
            sources["image"] = "meta:" + found.key
            return resolved
        }
        if let url = jsonLD?.image, let resolved = resolve(url) {
            sources["image"] = "json-ld"
            return resolved
        }
        return nil
    }

    /// Resolves `href` against the page URL; absolute URLs pass through; nil for a relative reference without a
    /// page URL.
    func resolve(_ href: String) -> String? {
        let trimmed = href.trimmingScalars(" ")
        if trimmed.isEmpty { return nil }
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") { return trimmed }
        guard let base = pageURL.flatMap({ URL(string: $0) }) else {
            // Without the page's URL a relative reference cannot be made absolute.
            return trimmed.hasPrefix("//") ? "https:" + trimmed : nil
        }
        return URL(string: trimmed, relativeTo: base)?.absoluteString ?? trimmed
    }
}
