/// Credits that name no person but are what the page gives as its byline: a staff or desk credit ("Staff
/// Reports", "By JERUSALEM POST STAFF", "Detroit News wire services"), or the wire agency of a dateline
/// ("SANTA FE, N.M. (AP) — …"). Reported only when the page names no person.
enum MetadataCredit {
    /// Words that make a credit a staff or desk credit.
    private static let staffWords: Set<String> = ["staff", "newsroom", "desk", "agencies", "editorial"]
    /// Two-word phrases that do the same.
    private static let staffPhrases = ["wire services", "wire service", "news services", "wire reports"]
    /// Words after which a byline line talks about something else ("… Published 11:11 PM").
    private static let stopWords: Set<String> = ["published", "updated", "posted", "on", "|", "-", "–", "—", "•"]

    /// The staff credit among `credits`, cleaned ("By JERUSALEM POST STAFF" → "Jerusalem Post Staff"); nil when
    /// none is one. CMS accounts ("admin") are no credit.
    static func staff(in credits: [String]) -> String? {
        for credit in credits {
            var words: [Substring] = []
            for word in TextNormalizer.normalize(credit).split(separator: " ") {
                let lower = word.lowercased()
                if stopWords.contains(lower) || word.first?.isNumber == true { break }
                words.append(word)
            }
            while let first = words.first, ["by", "by:", "from"].contains(first.lowercased()) {
                words.removeFirst()
            }
            let name = words.joined(separator: " ").trimmingScalars(" .,:;|-–—")
            guard !words.isEmpty, words.count <= 6, !name.containsUTF8("@"), !name.containsUTF8("/") else {
                continue
            }
            let lower = name.lowercased()
            if lower.containsUTF8("admin") { continue }
            let isStaff =
                lower.split(separator: " ").contains { staffWords.contains(String($0)) }
                || staffPhrases.contains { lower.containsUTF8($0) }
            guard isStaff else { continue }
            return MainTextExtractor.isMostlyUppercase(name) ? MetadataExtractor.titleCased(name) : name
        }
        return nil
    }

    /// The wire agency credited by a dateline opening `text`: "PLACE (AP) — …", "LONDON (Reuters) - …".
    static func datelineAgency(in text: String) -> String? {
        let head = text.prefix(80)
        guard let open = head.firstIndex(of: "("), let close = head[open...].firstIndex(of: ")") else { return nil }
        let place = String(head[..<open]).trimmingScalars(" ")
        // The place is written in capitals ("WASHINGTON", "HANOI, Vietnam") and is short.
        guard place.count >= 2, place.count <= 40, let firstWord = place.split(separator: " ").first,
            firstWord.count >= 2, firstWord.allSatisfy({ !$0.isLetter || $0.isUppercase })
        else { return nil }
        let after = head[head.index(after: close)...].drop { $0 == " " }
        guard let dash = after.first, dash == "-" || dash == "—" || dash == "–" else { return nil }
        return MetadataWireAgency.find(in: [String(head[head.index(after: open)..<close])])
    }
}
