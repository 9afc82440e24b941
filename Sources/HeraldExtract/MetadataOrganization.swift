import HeraldHTML

/// Credits that name an organisation rather than a person ("European Space Agency", "Acme Inc").
enum MetadataOrganization {
    private static let words: Set<String> = [
        "agency", "university", "institute", "institution", "association", "society", "council", "ministry",
        "department", "inc", "ltd", "llc", "plc", "gmbh", "corp", "corporation", "company", "foundation", "group",
        "office", "services", "service", "organization", "organisation", "committee", "commission", "network",
        "magazine", "newspaper", "times", "post", "daily", "wire", "wires", "online", "tv", "radio", "channel",
    ]

    /// Whether the lowercased words of a credit hold a word that only organisations carry.
    static func isOrganizationName(_ lowercasedWords: [Substring]) -> Bool {
        lowercasedWords.contains { words.contains(String($0)) }
    }
}

extension MetadataExtractor {
    /// Whether element `i` sits in a block of links to other stories, whose bylines are not this page's.
    func isInsideRelatedLinks(_ i: Int) -> Bool {
        var p = Int(tree.parents[i])
        var depth = 0
        while p > 0 && depth < 8 {
            if let cls = tree.attribute(.class, p) ?? tree.attribute(.id, p),
                MetadataExtractor.mentionsAny(cls, MetadataExtractor.relatedStems)
            {
                return true
            }
            p = Int(tree.parents[p])
            depth += 1
        }
        return false
    }

    private static let relatedStems = BytePatterns(["related", "recommend", "trending", "popular", "more-"])
}

extension MetadataExtractor {
    /// One-word credits that are the site's own account: its host name's first label and that label's hyphenated
    /// parts ("gto" on gto-normativy.ru). The outlet's name is no person's.
    func siteAccountNames() -> Set<String> {
        guard let url = pageURL ?? canonicalHref() else { return [] }
        var rest = Substring(url)
        if let scheme = url.rangeUTF8(of: "://") { rest = url[scheme.upperBound...] }
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }.lowercased()
        let labels = host.split(separator: ".")
        guard labels.count >= 2 else { return [] }
        let first = labels[0] == "www" && labels.count >= 3 ? labels[1] : labels[0]
        var names: Set<String> = [String(first)]
        for part in first.split(separator: "-") where part.count >= 2 { names.insert(String(part)) }
        return names
    }
}
