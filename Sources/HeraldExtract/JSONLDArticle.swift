/// The article fields read from a page's JSON-LD (`<script type="application/ld+json">`) blocks.
struct JSONLDArticle: Equatable {
    var type: String?
    var headline: String?
    var authors: [String] = []
    var published: String?
    var modified: String?
    var publisher: String?
    var siteName: String?
    var language: String?
    var url: String?
    var description: String?
    var image: String?
    var articleBody: String?

    private static let articleTypes: Set<String> = [
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
        "socialmediaposting", "scholarlyarticle", "techarticle", "report", "posting", "discussionforumposting",
        "satiricalarticle", "advertisercontentarticle", "medicalscholarlyarticle", "creativework", "recipe",
    ]
    private static let pageTypes: Set<String> = [
        "webpage", "itempage", "medicalwebpage", "aboutpage", "collectionpage", "profilepage", "qapage",
        "videoobject",
    ]

    /// Reads every JSON-LD script body and merges the best article node with site-level nodes (WebSite,
    /// Organization). Nil when no block describes an article or a page.
    static func read(_ scripts: [String]) -> JSONLDArticle? {
        var nodes: [[String: JSONValue]] = []
        for script in scripts {
            for value in LenientJSONParser.parseAll(script) { collect(value, into: &nodes, depth: 0) }
        }
        var best: [String: JSONValue]?
        var bestRank = Int.max
        var siteName: String?
        for node in nodes {
            let types = typeNames(node)
            if types.contains(where: { articleTypes.contains($0) }) {
                // Prefer the node that carries the most article fields.
                let richness = ["headline", "articleBody", "datePublished", "author"].filter { node[$0] != nil }.count
                let rank = 10 - richness
                if rank < bestRank { best = node; bestRank = rank }
            } else if types.contains(where: { pageTypes.contains($0) }) {
                let rank = 100 - ["headline", "datePublished", "author", "name"].filter { node[$0] != nil }.count
                if rank < bestRank { best = node; bestRank = rank }
            } else if types.contains("website"), siteName == nil {
                siteName = text(node["name"])
            }
        }
        guard let node = best else { return nil }
        // Nodes referenced by "@id" alone (Yoast-style graphs: "author": {"@id": "…#/schema/person/1"}).
        var byID: [String: [String: JSONValue]] = [:]
        for candidate in nodes {
            if let id = candidate["@id"]?.stringValue, byID[id] == nil { byID[id] = candidate }
        }
        func resolved(_ value: JSONValue?) -> JSONValue? {
            guard let value else { return nil }
            let items = value.arrayValue.map { item -> JSONValue in
                if case .object(let members) = item, members["name"] == nil, let id = members["@id"]?.stringValue,
                    let target = byID[id]
                {
                    return .object(target)
                }
                return item
            }
            return .array(items)
        }
        var result = JSONLDArticle()
        result.type = typeNames(node).first
        result.headline = text(node["headline"]) ?? text(node["name"])
        result.authors = names(resolved(node["author"] ?? node["creator"]))
        result.published = text(node["datePublished"]) ?? text(node["dateCreated"]) ?? text(node["uploadDate"])
        result.modified = text(node["dateModified"])
        result.publisher = names(resolved(node["publisher"])).first ?? names(node["sourceOrganization"]).first
        result.siteName = siteName
        result.language = text(node["inLanguage"]) ?? node["inLanguage"].flatMap { text($0["name"]) }
        result.url = text(node["url"]) ?? url(node["mainEntityOfPage"])
        result.description = text(node["description"])
        result.image = url(node["image"]) ?? url(node["thumbnailUrl"])
        if let body = bodyText(node["articleBody"]) ?? bodyText(node["text"]), body.count > 40 {
            result.articleBody = body
        }
        return result
    }

    private static func collect(_ value: JSONValue, into nodes: inout [[String: JSONValue]], depth: Int) {
        guard depth < 6 else { return }
        switch value {
        case .array(let items):
            for item in items { collect(item, into: &nodes, depth: depth + 1) }
        case .object(let members):
            if members["@type"] != nil || members["@id"] != nil && members["name"] != nil { nodes.append(members) }
            if let graph = members["@graph"] { collect(graph, into: &nodes, depth: depth + 1) }
            // Articles nested as mainEntity of a WebPage.
            if let main = members["mainEntity"], case .object = main { collect(main, into: &nodes, depth: depth + 1) }
        default:
            break
        }
    }

    private static func typeNames(_ node: [String: JSONValue]) -> [String] {
        (node["@type"]?.arrayValue ?? []).compactMap { $0.stringValue?.lowercased() }.map {
            // "schema:NewsArticle", "http://schema.org/NewsArticle"
            if let slash = $0.lastIndex(where: { $0 == "/" || $0 == ":" }) {
                return String($0[$0.index(after: slash)...])
            }
            return $0
        }
    }

    /// A display string: decoded entities, whitespace collapsed, nil when empty.
    static func text(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        let raw: String?
        switch value {
        case .array(let items): raw = items.lazy.compactMap { text($0) }.first
        case .object(let members): raw = text(members["@value"]) ?? text(members["name"])
        default: raw = value.stringValue
        }
        guard let raw else { return nil }
        let cleaned = TextNormalizer.normalize(HTMLEntities.decode(raw))
        return cleaned.isEmpty ? nil : cleaned
    }

    /// The article body with its line breaks kept; markup that some sites leave in it becomes line breaks.
    static func bodyText(_ value: JSONValue?) -> String? {
        guard let raw = value?.stringValue ?? value?.arrayValue.first?.stringValue else { return nil }
        let plain = raw.contains("<") ? stripTags(raw) : raw
        let lines = HTMLEntities.decode(plain).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { TextNormalizer.normalize(String($0)) }.filter { !$0.isEmpty }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// Drops tags; block-level tags (p, br, div, li, headings) become line breaks.
    static func stripTags(_ html: String) -> String {
        var out = ""
        var i = html.startIndex
        while i < html.endIndex {
            let ch = html[i]
            guard ch == "<", let close = html[i...].firstIndex(of: ">") else {
                out.append(ch)
                i = html.index(after: i)
                continue
            }
            let inner = html[html.index(after: i)..<close].lowercased()
            let name = inner.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
            if ["p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "tr"]
                .contains(String(name))
            {
                out.append("\n")
            }
            i = html.index(after: close)
        }
        return out
    }

    private static func url(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        switch value {
        case .array(let items): return items.lazy.compactMap { url($0) }.first
        case .object(let members): return text(members["url"]) ?? text(members["@id"]) ?? text(members["contentUrl"])
        default: return text(value)
        }
    }

    /// Person/organisation names from a string, an object with `name`, or an array of either.
    private static func names(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        var out: [String] = []
        for item in value.arrayValue {
            switch item {
            case .object(let members):
                if let name = text(members["name"]) {
                    out.append(name)
                } else if let given = text(members["givenName"]) {
                    out.append([given, text(members["familyName"])].compactMap { $0 }.joined(separator: " "))
                }
            case .string:
                if let name = text(item) { out.append(name) }
            default:
                break
            }
        }
        return out
    }
}
