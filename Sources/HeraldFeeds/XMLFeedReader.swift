import Foundation
import HeraldHTML

/// Reads RSS 0.9x/2.0, RSS 1.0 (RDF), RSS 0.90 and Atom 1.0/0.3 documents into the feed model.
///
/// Elements are recognised by namespace URI (mapped to a short vocabulary name) and local name, with fallbacks
/// for the undeclared prefixes real feeds use. Relative links are resolved against `xml:base` on the element and
/// its ancestors, then the document URL.
struct XMLFeedReader {
    /// Short names for the vocabularies the reader understands.
    enum Vocabulary: Equatable {
        case core  // no namespace, RSS 1.0, RSS 0.90, Userland RSS 2 namespaces
        case atom
        case rdf
        case content
        case dc
        case dcterms
        case itunes
        case xhtml
        case media
        case syndication
        case other
    }

    static let namespaces: [String: Vocabulary] = [
        "http://www.w3.org/2005/Atom": .atom,
        "http://www.w3.org/2005/atom": .atom,
        "http://purl.org/atom/ns#": .atom,
        "http://purl.org/rss/1.0/": .core,
        "http://my.netscape.com/rdf/simple/0.9/": .core,
        "http://channel.netscape.com/rdf/simple/0.9/": .core,
        "http://backend.userland.com/rss2": .core,
        "http://blogs.law.harvard.edu/tech/rss": .core,
        "http://backend.userland.com/rss": .core,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": .rdf,
        "http://purl.org/rss/1.0/modules/content/": .content,
        "http://purl.org/dc/elements/1.1/": .dc,
        "http://purl.org/dc/elements/1.0/": .dc,
        "http://purl.org/dc/terms/": .dcterms,
        "http://www.itunes.com/dtds/podcast-1.0.dtd": .itunes,
        "https://www.itunes.com/dtds/podcast-1.0.dtd": .itunes,
        "http://www.w3.org/1999/xhtml": .xhtml,
        "http://search.yahoo.com/mrss/": .media,
        "http://search.yahoo.com/mrss": .media,
        "http://purl.org/rss/1.0/modules/syndication/": .syndication,
    ]

    static let prefixes: [String: Vocabulary] = [
        "atom": .atom, "rdf": .rdf, "content": .content, "dc": .dc, "dcterms": .dcterms, "itunes": .itunes,
        "xhtml": .xhtml, "media": .media, "sy": .syndication,
    ]

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    let doc: MarkupDocument
    let documentURL: String?
    /// Checked between entries: once spent, no more entries are read (`FeedParser` then throws).
    var budget: ParseBudget?
    /// An unknown namespace used by a `<feed>` root, read as Atom.
    var atomAlias: String?
    /// An unknown default namespace used by an `<rss>` or `<channel>` root, read as core RSS.
    var coreAlias: String?

    /// Core RSS names whose canonical spelling is not all lowercase (core names match ignoring ASCII case).
    static let mixedCaseCoreNames: [String: String] = [
        "pubdate": "pubDate", "lastbuilddate": "lastBuildDate", "managingeditor": "managingEditor",
        "webmaster": "webMaster", "ispermalink": "isPermaLink", "skiphours": "skipHours", "skipdays": "skipDays",
        "textinput": "textInput",
    ]

    /// A core RSS name in its canonical spelling: `<PubDate>`, `<pubdate>` and `<TITLE>` are `pubDate` and `title`.
    static func canonicalCoreName(_ local: String) -> String {
        var hasUpper = false
        for b in local.utf8 where b >= 0x41 && b <= 0x5A {
            hasUpper = true
            break
        }
        if !hasUpper {
            if local.utf8.count < 7 { return local }
            return mixedCaseCoreNames[local] ?? local
        }
        let lower = local.lowercased()
        return mixedCaseCoreNames[lower] ?? lower
    }

    // MARK: - Names

    /// The vocabulary and local name of an element.
    func qualified(_ node: MarkupDocument.Node) -> (Vocabulary, String) {
        var local = doc.name(of: node)
        if let ns = doc.namespace(of: node) {
            if let v = Self.namespaces[ns] ?? Self.namespaces[ns.lowercased()] {
                return (v, v == .core ? Self.canonicalCoreName(local) : local)
            }
            if ns == atomAlias { return (.atom, local) }
            if ns == coreAlias { return (.core, Self.canonicalCoreName(local)) }
            if let p = doc.prefix(of: node), let v = Self.prefixes[p.lowercased()] { return (v, local) }
            return (.other, local)
        }
        var prefix = doc.prefix(of: node)
        if prefix == nil, let colon = local.firstIndex(of: ":") {
            // Undeclared prefix kept in the name by the recovering parser.
            prefix = String(local[..<colon])
            local = String(local[local.index(after: colon)...])
        }
        if let p = prefix { return (Self.prefixes[p.lowercased()] ?? .other, local) }
        return (.core, Self.canonicalCoreName(local))
    }

    func isElement(_ node: MarkupDocument.Node, _ vocabulary: Vocabulary, _ name: String) -> Bool {
        let (v, local) = qualified(node)
        return v == vocabulary && local == name
    }

    /// Element children as (vocabulary, local name, node).
    func fields(_ node: MarkupDocument.Node) -> [(Vocabulary, String, MarkupDocument.Node)] {
        doc.elementChildren(of: node).map {
            let (v, l) = qualified($0)
            return (v, l, $0)
        }
    }

    // MARK: - Values

    func text(_ node: MarkupDocument.Node) -> String? {
        let s = FeedText.trimmed(doc.textContent(of: node))
        return s.isEmpty ? nil : s
    }

    /// The text of an element, or its inner markup when it holds child elements (HTML left unescaped in RSS).
    func markupOrText(_ node: MarkupDocument.Node) -> String? {
        if doc.elementChildren(of: node).isEmpty { return text(node) }
        let m = FeedText.trimmed(doc.innerMarkup(of: node))
        return m.isEmpty ? nil : m
    }

    func attribute(_ name: String, _ node: MarkupDocument.Node) -> String? {
        for a in doc.attributes(of: node) where a.name == name && (a.namespace == nil || a.prefix == nil) {
            let v = FeedText.trimmed(a.value)
            return v.isEmpty ? nil : v
        }
        return nil
    }

    func xmlAttribute(_ name: String, _ node: MarkupDocument.Node) -> String? {
        for a in doc.attributes(of: node)
        where a.name == name && (a.namespace == Self.xmlNamespace || a.prefix == "xml") {
            return a.value
        }
        return nil
    }

    /// The base URL in effect at `node`: `xml:base` attributes from the root down, over the document URL.
    func base(at node: MarkupDocument.Node) -> String? {
        var chain: [String] = []
        var current: MarkupDocument.Node? = node
        while let n = current {
            if doc.kind(of: n) == .element, let b = xmlAttribute("base", n) { chain.append(b) }
            current = doc.parent(of: n)
        }
        var base = documentURL
        for b in chain.reversed() { base = FeedURL.resolve(b, against: base) }
        return base
    }

    func resolved(_ ref: String, at node: MarkupDocument.Node) -> String {
        FeedURL.resolve(ref, against: base(at: node))
    }

    func date(_ node: MarkupDocument.Node) -> Date? {
        text(node).flatMap(FeedDate.parse)
    }

    /// Title text: decoded to plain text when it may hold markup (RSS titles often carry escaped HTML).
    func plainTitle(_ node: MarkupDocument.Node, atom: Bool) -> String? {
        if atom {
            guard let (value, kind) = textConstruct(node) else { return nil }
            return kind == .text ? FeedText.collapsed(value) : FeedText.plainText(fromHTML: value)
        }
        return text(node).flatMap(FeedText.plainText(fromHTML:))
    }

    enum ContentKind { case text, html, xhtml }

    func contentKind(_ node: MarkupDocument.Node) -> ContentKind {
        let type = (attribute("type", node) ?? "text").lowercased()
        let mode = attribute("mode", node)?.lowercased()
        if type == "xhtml" || type == "application/xhtml+xml" { return .xhtml }
        if type == "html" || type == "text/html" || mode == "escaped" { return .html }
        if mode == "xml" { return .xhtml }
        return .text
    }

    /// Atom 0.3 `mode="base64"`, or an Atom 1.0 `type` that is a MIME type neither textual nor XML (RFC 4287 4.1.3.3).
    func isBase64(_ node: MarkupDocument.Node) -> Bool {
        if attribute("mode", node)?.lowercased() == "base64" { return true }
        guard let type = attribute("type", node)?.lowercased(), type.contains("/") else { return false }
        return !(type.hasPrefix("text/") || type.hasSuffix("+xml") || type.hasSuffix("/xml"))
    }

    /// Atom text construct as given: HTML for html/xhtml, the text for text.
    func textConstruct(_ node: MarkupDocument.Node) -> (value: String, kind: ContentKind)? {
        let kind = contentKind(node)
        switch kind {
        case .xhtml:
            let children = doc.elementChildren(of: node)
            let markup: String
            if children.count == 1, doc.name(of: children[0]).lowercased() == "div" {
                markup = doc.innerMarkup(of: children[0])
            } else {
                markup = doc.innerMarkup(of: node)
            }
            let trimmed = FeedText.trimmed(markup)
            return trimmed.isEmpty ? nil : (trimmed, .xhtml)
        case .html, .text:
            if isBase64(node), let raw = text(node),
                let data = Data(base64Encoded: raw, options: .ignoreUnknownCharacters)
            {
                return (String(decoding: data, as: UTF8.self), kind)
            }
            let s = FeedText.trimmed(doc.textContent(of: node))
            return s.isEmpty ? nil : (s, kind)
        }
    }

    // MARK: - Entry point

    static func read(_ doc: MarkupDocument, url: String?, budget: ParseBudget? = nil) throws(FeedParseError) -> Feed {
        guard var root = doc.documentElement else {
            throw FeedParseError(.malformed, "no root element could be read")
        }
        var reader = XMLFeedReader(doc: doc, documentURL: url)
        reader.budget = budget
        if doc.name(of: root).lowercased() == "html", let nested = reader.nestedFeedRoot(in: root) {
            // A feed wrapped in an (X)HTML page.
            root = nested
        }
        let (vocabulary, local) = reader.qualified(root)
        if vocabulary == .other, local == "feed" { reader.atomAlias = doc.namespace(of: root) }
        if vocabulary == .other, local == "rss" || local.lowercased() == "channel" {
            reader.coreAlias = doc.namespace(of: root)
        }
        if vocabulary == .rdf || local == "RDF",
            let channel = doc.elementChildren(of: root).first(where: { doc.name(of: $0) == "channel" }),
            reader.qualified(channel).0 == .other
        {
            reader.coreAlias = doc.namespace(of: channel)
        }
        let lowerLocal = local.lowercased()
        var feed: Feed
        switch lowerLocal {
        case "rss":
            feed = reader.readRSS(root: root, format: .rss2)
        case "rdf" where vocabulary == .rdf || vocabulary == .core || vocabulary == .other:
            var format = FeedFormat.rss1
            for child in doc.elementChildren(of: root) {
                if doc.namespace(of: child)?.lowercased().hasPrefix("http://my.netscape.com/rdf/simple/0.9") == true {
                    format = .rss090
                    break
                }
            }
            feed = reader.readRSS(root: root, format: format)
        case "channel" where doc.name(of: root) == "CHANNEL":
            feed = reader.readCDF(root: root)
        case "channel":
            feed = reader.readRSS(root: root, format: .unknown)
        case "feed":
            let ns = doc.namespace(of: root)?.lowercased()
            let is03 = ns == "http://purl.org/atom/ns#" || (ns == nil && reader.attribute("version", root) == "0.3")
            feed = reader.readAtom(root: root, format: is03 ? .atom03 : .atom10)
        case "entry" where vocabulary == .atom || vocabulary == .core:
            let ns = doc.namespace(of: root)?.lowercased()
            feed = Feed(format: ns == "http://purl.org/atom/ns#" ? .atom03 : .atom10)
            feed.entries = [reader.readAtomEntry(root, feedAuthors: [])]
        case "html":
            throw FeedParseError(.notAFeed, "not a feed: the document is HTML (<html> root)")
        default:
            throw FeedParseError(
                .notAFeed,
                "not a feed: the root element is <\(local)>; expected <rss>, <rdf:RDF>, <feed> or a JSON Feed")
        }
        if let lang = reader.xmlAttribute("lang", root), feed.language == nil {
            let t = lang.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { feed.language = t }
        }
        return feed
    }

    /// The first element under an `<html>` root that is a feed root (`rss`, `feed`, `rdf:RDF`), in document order.
    func nestedFeedRoot(in root: MarkupDocument.Node) -> MarkupDocument.Node? {
        for node in doc.descendants(of: root) where doc.kind(of: node) == .element {
            let name = doc.name(of: node)
            switch name {
            case "rss", "feed", "RDF", "rdf:RDF": return node
            default: continue
            }
        }
        return nil
    }

    /// A person from an RSS `author`/`dc:creator` element: its `name`/`email` children when it has child elements,
    /// else its text in one of the free-form styles.
    func rssPerson(_ node: MarkupDocument.Node) -> FeedAuthor? {
        if doc.firstChild(of: node) != nil, !doc.elementChildren(of: node).isEmpty { return atomPerson(node) }
        return text(node).flatMap(FeedAuthor.parse)
    }

    /// The element's own text (its text children, not its descendants'), trimmed; nil when empty.
    func ownText(_ node: MarkupDocument.Node) -> String? {
        var value = ""
        var sawElement = false
        for child in doc.children(of: node) {
            switch doc.kind(of: child) {
            case .text: value += doc.text(of: child)
            case .element: sawElement = true
            default: break
            }
        }
        if !sawElement { return text(node) }
        let t = FeedText.trimmed(value)
        return t.isEmpty ? nil : t
    }

    /// Terms from a comma-separated keywords element (`itunes:keywords`, `media:keywords`).
    func keywords(_ node: MarkupDocument.Node) -> [String] {
        guard let t = text(node) else { return [] }
        return t.split(separator: ",").compactMap {
            let term = FeedText.trimmed(String($0))
            return term.isEmpty ? nil : term
        }
    }

    /// Terms of the `category` children of a wrapper element (`<categories><category>…</category></categories>`).
    func wrappedCategories(_ node: MarkupDocument.Node) -> [String] {
        var terms: [String] = []
        for (_, name, child) in fields(node) where name.lowercased() == "category" {
            if let t = attribute("term", child) ?? attribute("label", child) ?? text(child) { terms.append(t) }
        }
        return terms
    }

    /// Reads entry nodes in order, checking the budget every 32 entries; stops early once it is spent.
    func entries(_ nodes: [MarkupDocument.Node], _ read: (MarkupDocument.Node) -> FeedEntry) -> [FeedEntry] {
        var result: [FeedEntry] = []
        result.reserveCapacity(nodes.count)
        for (k, node) in nodes.enumerated() {
            if k % 32 == 31, let budget, budget.exhaustion() != nil { break }
            result.append(read(node))
        }
        return result
    }

    // MARK: - RSS

    func readRSS(root: MarkupDocument.Node, format: FeedFormat) -> Feed {
        var feed = Feed(format: format)
        let channel: MarkupDocument.Node
        if doc.name(of: root).lowercased() == "channel" {
            channel = root
        } else {
            channel = doc.elementChildren(of: root).first { isElement($0, .core, "channel") } ?? root
        }
        var itemNodes: [MarkupDocument.Node] = []
        var atomLinks: [MarkupDocument.Node] = []
        for (v, name, node) in fields(channel) {
            switch (v, name) {
            case (.core, "title"), (.dc, "title"):
                if feed.title == nil { feed.title = plainTitle(node, atom: false) }
            case (.core, "link"):
                if doc.attribute("href", of: node) != nil {
                    atomLinks.append(node)  // Atom-style <link href> without a namespace
                } else if feed.link == nil, let t = text(node) {
                    feed.link = resolved(t, at: node)
                }
            case (.atom, "link"):
                atomLinks.append(node)
            case (.core, "id"):
                if feed.id == nil { feed.id = text(node) }
            case (.core, "updated"):
                if feed.updated == nil, let d = date(node) { feed.updated = d }
            case (.core, "description"), (.dc, "description"), (.itunes, "subtitle"):
                if feed.subtitle == nil { feed.subtitle = text(node) }
            case (.core, "language"), (.dc, "language"):
                if feed.language == nil { feed.language = text(node) }
            case (.core, "lastBuildDate"), (.dc, "date"), (.dcterms, "modified"), (.atom, "updated"):
                if let d = date(node) { feed.updated = d }
            case (.core, "pubDate"), (.dcterms, "issued"):
                if let d = date(node) { feed.published = d }
            case (.atom, "id"):
                if feed.id == nil { feed.id = text(node) }
            case (.core, "ttl"):
                if let t = text(node), let minutes = Int(t.trimmingCharacters(in: .whitespaces)), minutes > 0 {
                    feed.ttlMinutes = minutes
                }
            case (.syndication, "updatePeriod"):
                feed.updatePeriod = text(node)?.trimmingCharacters(in: .whitespaces).lowercased()
            case (.syndication, "updateFrequency"):
                if let t = text(node), let n = Int(t.trimmingCharacters(in: .whitespaces)), n > 0 { feed.updateFrequency = n }
            case (.core, "item"):
                itemNodes.append(node)
            default:
                break
            }
        }
        if feed.link == nil, let href = selectAtomLink(atomLinks, rel: "alternate") {
            feed.link = href
        }
        if channel != root {
            for child in doc.elementChildren(of: root) where isElement(child, .core, "item") {
                itemNodes.append(child)
            }
        }
        feed.entries = entries(itemNodes, readRSSItem)
        return feed
    }

    func readRSSItem(_ item: MarkupDocument.Node) -> FeedEntry {
        var entry = FeedEntry()
        var guidNode: MarkupDocument.Node?
        var atomLinks: [MarkupDocument.Node] = []
        var authors: [FeedAuthor] = []
        var itunesAuthors: [FeedAuthor] = []
        var mediaTitle: String?
        var mediaDescription: String?
        var itunesSummary: String?
        var seenAuthors = Set<FeedAuthor>()
        var seenEnclosures = Set<FeedEnclosure>()
        var summaryName = ""
        for (v, name, node) in fields(item) {
            switch (v, name) {
            case (.core, "title"), (.dc, "title"):
                if entry.title == nil { entry.title = plainTitle(node, atom: false) }
            case (.core, "link"):
                if doc.attribute("href", of: node) != nil {
                    atomLinks.append(node)  // Atom-style <link href> without a namespace
                } else if entry.link == nil, let t = text(node) {
                    entry.link = resolved(t, at: node)
                }
            case (.atom, "link"):
                atomLinks.append(node)
            case (.core, "id"):
                if entry.guid == nil { entry.guid = text(node) }
            case (.core, "updated"):
                if entry.updated == nil, let d = date(node) { entry.updated = d }
            case (.core, "tags"):
                entry.categories += keywords(node)
            case (.core, "guid"):
                if entry.guid == nil, let t = text(node) {
                    entry.guid = t
                    guidNode = node
                }
            case (.atom, "id"):
                if entry.guid == nil { entry.guid = text(node) }
            case (.core, "description"), (.dc, "description"), (.core, "summary"):
                // The first of description and summary is the summary; the other one, when different, the content.
                if entry.summary == nil {
                    entry.summary = markupOrText(node)
                    summaryName = name
                } else if name != summaryName, entry.contentHTML == nil {
                    entry.contentHTML = markupOrText(node)
                }
            case (.itunes, "summary"):
                if itunesSummary == nil { itunesSummary = text(node) }
            case (.content, "encoded"), (.core, "fullitem"):
                if entry.contentHTML == nil { entry.contentHTML = markupOrText(node) }
            case (.xhtml, "body"), (.xhtml, "div"), (.core, "body"):
                if entry.contentHTML == nil {
                    let m = FeedText.trimmed(doc.innerMarkup(of: node))
                    if !m.isEmpty { entry.contentHTML = m }
                }
            case (.core, "author"), (.dc, "creator"), (.dc, "author"):
                if let a = rssPerson(node), seenAuthors.insert(a).inserted { authors.append(a) }
            case (.itunes, "author"):
                if let t = text(node), let a = FeedAuthor.parse(t) { itunesAuthors.append(a) }
            case (.atom, "author"):
                if let a = atomPerson(node), seenAuthors.insert(a).inserted { authors.append(a) }
            case (.core, "pubDate"), (.dcterms, "issued"), (.atom, "published"):
                if let d = date(node) { entry.published = d }
            case (.dc, "date"), (.dcterms, "modified"), (.atom, "updated"):
                if let d = date(node) { entry.updated = d }
            case (.core, "category"), (.dc, "subject"), (.media, "category"):
                if let t = ownText(node) { entry.categories.append(t) }
            case (.media, "title"):
                if mediaTitle == nil { mediaTitle = plainTitle(node, atom: false) }
            case (.media, "description"):
                if mediaDescription == nil { mediaDescription = text(node) }
            case (.media, "group"):
                for (gv, gname, gnode) in fields(node) where gv == .media {
                    if gname == "title", mediaTitle == nil { mediaTitle = plainTitle(gnode, atom: false) }
                    if gname == "description", mediaDescription == nil { mediaDescription = text(gnode) }
                    if gname == "category", let t = text(gnode) { entry.categories.append(t) }
                    if gname == "keywords" { entry.categories += keywords(gnode) }
                }
            case (.itunes, "keywords"), (.media, "keywords"):
                entry.categories += keywords(node)
            case (_, "categories"):
                entry.categories += wrappedCategories(node)
            case (.itunes, "category"):
                if let t = attribute("text", node) { entry.categories.append(t) }
                for sub in doc.elementChildren(of: node) where isElement(sub, .itunes, "category") {
                    if let t = attribute("text", sub) { entry.categories.append(t) }
                }
            case (.core, "enclosure"):
                if let u = attribute("url", node) {
                    let e = FeedEnclosure(
                        url: resolved(u, at: node), type: attribute("type", node),
                        length: attribute("length", node).flatMap { Int64($0) })
                    if seenEnclosures.insert(e).inserted { entry.enclosures.append(e) }
                }
            default:
                break
            }
        }
        entry.authors = authors.isEmpty ? itunesAuthors : authors
        if entry.title == nil { entry.title = mediaTitle }
        if entry.summary == nil { entry.summary = itunesSummary ?? mediaDescription }
        if entry.link == nil, let href = selectAtomLink(atomLinks, rel: "alternate") { entry.link = href }
        for link in atomLinks where (attribute("rel", link) ?? "").lowercased() == "enclosure" {
            if let e = enclosure(fromAtomLink: link), seenEnclosures.insert(e).inserted { entry.enclosures.append(e) }
        }
        if entry.guid == nil,
            let about = doc.attribute(
                "about", namespace: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                of: item)
        {
            let t = FeedText.trimmed(about)
            if !t.isEmpty { entry.guid = t }
        }
        if entry.link == nil, let g = entry.guid, let node = guidNode,
            attribute("isPermaLink", node)?.lowercased() != "false"
        {
            let r = resolved(g, at: node)
            if FeedURL.looksLikeWebURL(r) { entry.link = r }
        }
        return entry
    }

    // MARK: - CDF

    /// Microsoft's Channel Definition Format: upper-case elements, links and dates in attributes.
    func readCDF(root: MarkupDocument.Node) -> Feed {
        func attr(_ name: String, _ node: MarkupDocument.Node) -> String? {
            for a in doc.attributes(of: node) where a.name.lowercased() == name {
                let v = FeedText.trimmed(a.value)
                return v.isEmpty ? nil : v
            }
            return nil
        }
        func cdfBase(_ node: MarkupDocument.Node) -> String? {
            var chain: [String] = []
            var current: MarkupDocument.Node? = node
            while let n = current {
                if doc.kind(of: n) == .element, let b = attr("base", n) { chain.append(b) }
                current = doc.parent(of: n)
            }
            var base = self.base(at: node)
            for b in chain.reversed() { base = FeedURL.resolve(b, against: base) }
            return base
        }
        var feed = Feed(format: .unknown)
        feed.link = attr("href", root).map { FeedURL.resolve($0, against: cdfBase(root)) }
        feed.updated = attr("lastmod", root).flatMap(FeedDate.parse)
        for child in doc.elementChildren(of: root) {
            switch doc.name(of: child).lowercased() {
            case "title": if feed.title == nil { feed.title = plainTitle(child, atom: false) }
            case "abstract": if feed.subtitle == nil { feed.subtitle = text(child) }
            case "item":
                var entry = FeedEntry()
                entry.link = attr("href", child).map { FeedURL.resolve($0, against: cdfBase(child)) }
                entry.updated = attr("lastmod", child).flatMap(FeedDate.parse)
                for field in doc.elementChildren(of: child) {
                    switch doc.name(of: field).lowercased() {
                    case "title": if entry.title == nil { entry.title = plainTitle(field, atom: false) }
                    case "abstract": if entry.summary == nil { entry.summary = text(field) }
                    default: break
                    }
                }
                feed.entries.append(entry)
            default:
                break
            }
        }
        return feed
    }

    // MARK: - Atom

    func atomPerson(_ node: MarkupDocument.Node) -> FeedAuthor? {
        var person = FeedAuthor()
        var sawChild = false
        for (_, name, child) in fields(node) {
            sawChild = true
            switch name {
            case "name": person.name = text(child)
            case "email": person.email = text(child)
            case "uri", "url": person.uri = text(child).map { resolved($0, at: child) }
            default: break
            }
        }
        if !sawChild, let t = text(node) { return FeedAuthor.parse(t) }
        return person.isEmpty ? nil : person
    }

    /// Picks the alternate link: rel missing or equal to `rel`, preferring an HTML type.
    func selectAtomLink(_ links: [MarkupDocument.Node], rel: String) -> String? {
        var fallback: String?
        for link in links {
            let r = (attribute("rel", link) ?? "alternate").lowercased()
            guard r == rel || r == "http://www.iana.org/assignments/relation/\(rel)" else { continue }
            guard let href = attribute("href", link) ?? text(link) else { continue }
            let type = attribute("type", link)?.lowercased()
            let value = resolved(href, at: link)
            if type == nil || type == "text/html" || type == "application/xhtml+xml" { return value }
            if fallback == nil { fallback = value }
        }
        return fallback
    }

    func enclosure(fromAtomLink link: MarkupDocument.Node) -> FeedEnclosure? {
        guard let href = attribute("href", link) else { return nil }
        return FeedEnclosure(
            url: resolved(href, at: link), type: attribute("type", link),
            length: attribute("length", link).flatMap { Int64($0) })
    }

    func readAtom(root: MarkupDocument.Node, format: FeedFormat) -> Feed {
        var feed = Feed(format: format)
        var links: [MarkupDocument.Node] = []
        var authors: [FeedAuthor] = []
        var entryNodes: [MarkupDocument.Node] = []
        for (v, name, node) in fields(root) {
            guard v == .atom || v == .core || v == .dc || v == .dcterms else { continue }
            switch name {
            case "title": if feed.title == nil { feed.title = plainTitle(node, atom: true) }
            case "link": links.append(node)
            case "id": if feed.id == nil { feed.id = text(node) }
            case "subtitle", "tagline": if feed.subtitle == nil { feed.subtitle = textConstruct(node)?.value }
            case "updated", "modified": if v != .dc, let d = date(node) { feed.updated = d }
            case "date": if v == .dc, let d = date(node) { feed.updated = d }
            case "published", "issued": if let d = date(node) { feed.published = d }
            case "author": if let a = atomPerson(node) { authors.append(a) }
            case "language": if feed.language == nil { feed.language = text(node) }
            case "entry", "item": entryNodes.append(node)
            default: break
            }
        }
        feed.link = selectAtomLink(links, rel: "alternate")
        if feed.link == nil, let id = feed.id, FeedURL.looksLikeWebURL(id) { feed.link = id }
        feed.entries = entries(entryNodes) { readAtomEntry($0, feedAuthors: authors) }
        return feed
    }

    func readAtomEntry(_ node: MarkupDocument.Node, feedAuthors: [FeedAuthor]) -> FeedEntry {
        var entry = FeedEntry()
        var links: [MarkupDocument.Node] = []
        var authors: [FeedAuthor] = []
        var sourceAuthors: [FeedAuthor] = []
        var mediaDescription: String?
        for (v, name, child) in fields(node) {
            switch (v, name) {
            case (.atom, "title"), (.core, "title"):
                if entry.title == nil { entry.title = plainTitle(child, atom: true) }
            case (.atom, "link"), (.core, "link"):
                links.append(child)
            case (.atom, "id"), (.core, "id"):
                if entry.guid == nil { entry.guid = text(child) }
            case (.atom, "summary"), (.core, "summary"):
                if entry.summary == nil { entry.summary = textConstruct(child)?.value }
            case (.atom, "content"), (.core, "content"):
                if entry.contentHTML == nil, entry.contentText == nil, let (value, kind) = textConstruct(child) {
                    if kind == .text { entry.contentText = value } else { entry.contentHTML = value }
                }
            case (.atom, "author"), (.core, "author"):
                if let a = atomPerson(child) { authors.append(a) }
            case (.dc, "creator"):
                if let a = rssPerson(child) { authors.append(a) }
            case (.atom, "published"), (.atom, "issued"), (.core, "published"), (.core, "issued"),
                (.dcterms, "issued"):
                if let d = date(child) { entry.published = d }
            case (.atom, "updated"), (.atom, "modified"), (.core, "updated"), (.core, "modified"), (.dc, "date"),
                (.dcterms, "modified"):
                if let d = date(child) { entry.updated = d }
            case (.atom, "category"), (.core, "category"):
                if let t = attribute("term", child) ?? attribute("label", child) ?? text(child) {
                    entry.categories.append(t)
                }
            case (.dc, "subject"):
                if let t = text(child) { entry.categories.append(t) }
            case (.itunes, "keywords"), (.media, "keywords"):
                entry.categories += keywords(child)
            case (_, "categories"):
                entry.categories += wrappedCategories(child)
            case (.media, "description"):
                if mediaDescription == nil { mediaDescription = text(child) }
            case (.media, "group"):
                for (gv, gname, gnode) in fields(child) where gv == .media {
                    if gname == "description", mediaDescription == nil { mediaDescription = text(gnode) }
                    if gname == "keywords" { entry.categories += keywords(gnode) }
                    if gname == "category", let t = text(gnode) { entry.categories.append(t) }
                }
            case (.atom, "source"), (.core, "source"):
                for (_, sname, snode) in fields(child) where sname == "author" {
                    if let a = atomPerson(snode) { sourceAuthors.append(a) }
                }
            case (.xhtml, "body"), (.xhtml, "div"):
                if entry.contentHTML == nil {
                    let m = FeedText.trimmed(doc.innerMarkup(of: child))
                    if !m.isEmpty { entry.contentHTML = m }
                }
            case (.content, "encoded"):
                if entry.contentHTML == nil { entry.contentHTML = text(child) }
            default:
                break
            }
        }
        if entry.summary == nil { entry.summary = mediaDescription }
        entry.authors = !authors.isEmpty ? authors : (!sourceAuthors.isEmpty ? sourceAuthors : feedAuthors)
        entry.link = selectAtomLink(links, rel: "alternate")
        if entry.link == nil, let id = entry.guid, FeedURL.looksLikeWebURL(id) { entry.link = id }
        var seenEnclosures = Set<FeedEnclosure>()
        for link in links where (attribute("rel", link) ?? "").lowercased() == "enclosure" {
            if let e = enclosure(fromAtomLink: link), seenEnclosures.insert(e).inserted { entry.enclosures.append(e) }
        }
        return entry
    }
}
