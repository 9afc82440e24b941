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
        case other
    }

    static let namespaces: [String: Vocabulary] = [
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
    ]

    static let prefixes: [String: Vocabulary] = [
        "atom": .atom, "rdf": .rdf, "content": .content, "dc": .dc, "dcterms": .dcterms, "itunes": .itunes,
        "xhtml": .xhtml, "media": .media,
    ]

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    let doc: MarkupDocument
    let documentURL: String?
    /// An unknown namespace used by a `<feed>` root, read as Atom.
    var atomAlias: String?

    // MARK: - Names

    /// The vocabulary and local name of an element.
    func qualified(_ node: MarkupDocument.Node) -> (Vocabulary, String) {
        var local = doc.name(of: node)
        if let ns = doc.namespace(of: node) {
            if let v = Self.namespaces[ns.lowercased()] { return (v, local) }
            if ns == atomAlias { return (.atom, local) }
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
        return (.core, local)
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
        let s = doc.textContent(of: node).trimmingCharacters(in: .whitespacesAndNewlines)
        return s.isEmpty ? nil : s
    }

    func attribute(_ name: String, _ node: MarkupDocument.Node) -> String? {
        for a in doc.attributes(of: node) where a.name == name && (a.namespace == nil || a.prefix == nil) {
            let v = a.value.trimmingCharacters(in: .whitespacesAndNewlines)
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
            let trimmed = markup.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : (trimmed, .xhtml)
        case .html, .text:
            if attribute("mode", node)?.lowercased() == "base64", let raw = text(node),
                let data = Data(base64Encoded: raw, options: .ignoreUnknownCharacters)
            {
                return (String(decoding: data, as: UTF8.self), kind)
            }
            let s = doc.textContent(of: node).trimmingCharacters(in: .whitespacesAndNewlines)
            return s.isEmpty ? nil : (s, kind)
        }
    }

    // MARK: - Entry point

    static func read(_ doc: MarkupDocument, url: String?) throws(FeedParseError) -> Feed {
        guard let root = doc.documentElement else {
            throw FeedParseError(.malformed, "no root element could be read")
        }
        var reader = XMLFeedReader(doc: doc, documentURL: url)
        let (vocabulary, local) = reader.qualified(root)
        if vocabulary == .other, local == "feed" { reader.atomAlias = doc.namespace(of: root) }
        let lowerLocal = local.lowercased()
        var feed: Feed
        switch lowerLocal {
        case "rss":
            feed = reader.readRSS(root: root, format: .rss2)
        case "rdf" where vocabulary == .rdf || vocabulary == .core || vocabulary == .other:
            var format = FeedFormat.rss1
            for child in doc.elementChildren(of: root) {
                if doc.namespace(of: child)?.lowercased().hasPrefix("http://my.netscape.com/rdf/simple/0.9") == true
                {
                    format = .rss090
                    break
                }
            }
            feed = reader.readRSS(root: root, format: format)
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
                if feed.link == nil, let t = text(node) { feed.link = resolved(t, at: node) }
            case (.atom, "link"):
                atomLinks.append(node)
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
        feed.entries = itemNodes.map(readRSSItem)
        return feed
    }

    func readRSSItem(_ item: MarkupDocument.Node) -> FeedEntry {
        var entry = FeedEntry()
        var guidNode: MarkupDocument.Node?
        var atomLinks: [MarkupDocument.Node] = []
        var authors: [FeedAuthor] = []
        var itunesAuthors: [FeedAuthor] = []
        for (v, name, node) in fields(item) {
            switch (v, name) {
            case (.core, "title"), (.dc, "title"):
                if entry.title == nil { entry.title = plainTitle(node, atom: false) }
            case (.core, "link"):
                if entry.link == nil, let t = text(node) { entry.link = resolved(t, at: node) }
            case (.atom, "link"):
                atomLinks.append(node)
            case (.core, "guid"):
                if entry.guid == nil, let t = text(node) {
                    entry.guid = t
                    guidNode = node
                }
            case (.atom, "id"):
                if entry.guid == nil { entry.guid = text(node) }
            case (.core, "description"), (.dc, "description"):
                if entry.summary == nil { entry.summary = text(node) }
            case (.itunes, "summary"):
                break
            case (.content, "encoded"), (.core, "fullitem"):
                if entry.contentHTML == nil { entry.contentHTML = text(node) }
            case (.xhtml, "body"), (.xhtml, "div"), (.core, "body"):
                if entry.contentHTML == nil {
                    let m = doc.innerMarkup(of: node).trimmingCharacters(in: .whitespacesAndNewlines)
                    if !m.isEmpty { entry.contentHTML = m }
                }
            case (.core, "author"), (.dc, "creator"), (.dc, "author"):
                if let t = text(node), let a = FeedAuthor.parse(t), !authors.contains(a) { authors.append(a) }
            case (.itunes, "author"):
                if let t = text(node), let a = FeedAuthor.parse(t) { itunesAuthors.append(a) }
            case (.atom, "author"):
                if let a = atomPerson(node), !authors.contains(a) { authors.append(a) }
            case (.core, "pubDate"), (.dcterms, "issued"), (.atom, "published"):
                if let d = date(node) { entry.published = d }
            case (.dc, "date"), (.dcterms, "modified"), (.atom, "updated"):
                if let d = date(node) { entry.updated = d }
            case (.core, "category"), (.dc, "subject"):
                if let t = text(node) { entry.categories.append(t) }
            case (.itunes, "category"):
                if let t = attribute("text", node) { entry.categories.append(t) }
                for sub in doc.elementChildren(of: node) where isElement(sub, .itunes, "category") {
                    if let t = attribute("text", sub) { entry.categories.append(t) }
                }
            case (.core, "enclosure"):
                if let u = attribute("url", node) {
                    entry.enclosures.append(
                        FeedEnclosure(
                            url: resolved(u, at: node), type: attribute("type", node),
                            length: attribute("length", node).flatMap { Int64($0) }))
                }
            default:
                break
            }
        }
        entry.authors = authors.isEmpty ? itunesAuthors : authors
        if entry.link == nil, let href = selectAtomLink(atomLinks, rel: "alternate") { entry.link = href }
        for link in atomLinks where (attribute("rel", link) ?? "").lowercased() == "enclosure" {
            if let e = enclosure(fromAtomLink: link), !entry.enclosures.contains(e) { entry.enclosures.append(e) }
        }
        if entry.guid == nil, let about = doc.attribute("about", namespace: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                                                        of: item)
        {
            let t = about.trimmingCharacters(in: .whitespacesAndNewlines)
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
        feed.entries = entryNodes.map { readAtomEntry($0, feedAuthors: authors) }
        return feed
    }

    func readAtomEntry(_ node: MarkupDocument.Node, feedAuthors: [FeedAuthor]) -> FeedEntry {
        var entry = FeedEntry()
        var links: [MarkupDocument.Node] = []
        var authors: [FeedAuthor] = []
        var sourceAuthors: [FeedAuthor] = []
        var created: Date?
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
                if let t = text(child), let a = FeedAuthor.parse(t) { authors.append(a) }
            case (.atom, "published"), (.atom, "issued"), (.core, "published"), (.core, "issued"),
                (.dcterms, "issued"):
                if let d = date(child) { entry.published = d }
            case (.atom, "updated"), (.atom, "modified"), (.core, "updated"), (.core, "modified"), (.dc, "date"),
                (.dcterms, "modified"):
                if let d = date(child) { entry.updated = d }
            case (.atom, "created"):
                if created == nil { created = date(child) }
            case (.atom, "category"), (.core, "category"):
                if let t = attribute("term", child) ?? attribute("label", child) ?? text(child) {
                    entry.categories.append(t)
                }
            case (.dc, "subject"):
                if let t = text(child) { entry.categories.append(t) }
            case (.atom, "source"), (.core, "source"):
                for (_, sname, snode) in fields(child) where sname == "author" {
                    if let a = atomPerson(snode) { sourceAuthors.append(a) }
                }
            case (.xhtml, "body"), (.xhtml, "div"):
                if entry.contentHTML == nil {
                    let m = doc.innerMarkup(of: child).trimmingCharacters(in: .whitespacesAndNewlines)
                    if !m.isEmpty { entry.contentHTML = m }
                }
            case (.content, "encoded"):
                if entry.contentHTML == nil { entry.contentHTML = text(child) }
            default:
                break
            }
        }
        _ = created
        entry.authors = !authors.isEmpty ? authors : (!sourceAuthors.isEmpty ? sourceAuthors : feedAuthors)
        entry.link = selectAtomLink(links, rel: "alternate")
        if entry.link == nil, let id = entry.guid, FeedURL.looksLikeWebURL(id) { entry.link = id }
        for link in links where (attribute("rel", link) ?? "").lowercased() == "enclosure" {
            if let e = enclosure(fromAtomLink: link), !entry.enclosures.contains(e) { entry.enclosures.append(e) }
        }
        return entry
    }
}
