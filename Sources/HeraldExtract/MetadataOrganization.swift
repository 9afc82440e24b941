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
            if let cls = tree.attribute("class", p) ?? tree.attribute("id", p),
                MetadataExtractor.mentionsAny(cls, ["related", "recommend", "trending", "popular", "more-"])
            {
                return true
            }
            p = Int(tree.parents[p])
            depth += 1
        }
        return false
    }
}
