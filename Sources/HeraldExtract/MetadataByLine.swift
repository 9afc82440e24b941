import HeraldHTML

extension MetadataExtractor {
    /// Particles that may stand lowercased inside a person's name ("Ana de la Cruz", "Jan van Dijk").
    private static let nameParticles: Set<String> = [
        "de", "da", "di", "do", "dos", "das", "del", "della", "der", "den", "van", "von", "la", "le", "du", "al",
        "el", "bin", "ibn", "ter", "te", "y", "e",
    ]

    /// Whether a credit reads as a person's full name: two to five words, each capitalised (particles aside), no
    /// digits. For bylines found only by their "By" label, which are weaker evidence than marked-up ones.
    static func looksLikePersonName(_ name: String) -> Bool {
        let words = name.split(separator: " ")
        guard words.count >= 2, words.count <= 5, name.count <= 60 else { return false }
        var capitalised = 0
        for word in words {
            guard let first = word.unicodeScalars.first else { return false }
            if word.unicodeScalars.contains(where: { $0.properties.numericType != nil }) { return false }
            if first.properties.isUppercase {
                capitalised += 1
            } else if !nameParticles.contains(String(word)) {
                return false
            }
        }
        return capitalised >= 2
    }

    /// Whether a text starts with the byline label "By" as a word ("By Ann Lee", "BY: Ann Lee", "by").
    static func startsWithByLabel(_ text: String) -> Bool {
        var bytes = text.utf8.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D || $0 == 0x7C }
        guard let b = bytes.first, b == 0x42 || b == 0x62 else { return false }
        bytes = bytes.dropFirst()
        guard let y = bytes.first, y == 0x59 || y == 0x79 else { return false }
        bytes = bytes.dropFirst()
        guard let next = bytes.first else { return true }
        return next == 0x20 || next == 0x3A || next == 0x0A || next == 0x09 || next == 0xC2  // space, ':', NBSP
    }

    /// People named by a line that opens with "By" but carries no byline markup ("<p class=meta>By <a>Ann Lee</a>,
    /// <a>Bo Chan</a> on Monday…</p>"): the person-like texts of its links, else the person-like names written
    /// after the label. Lines in navigation, comments, forms, footers and related-story blocks do not count.
    func byLineNames(exclude: [String]) -> [String] {
        var lines = 0
        for i in 1..<tree.count where tree.isText[i] {
            let raw = tree.text(i)
            guard raw.utf8.count <= 200, MetadataExtractor.startsWithByLabel(raw) else { continue }
            var line = Int(tree.parents[i])
            // A label alone in its own element ("<em>By</em> <a>Ann Lee</a>"): the line is the parent's.
            if raw.utf8.count <= 6, Int(tree.ends[line]) - line <= 2, tree.parents[line] > 0 {
                line = Int(tree.parents[line])
            }
            guard line > 0, Int(tree.ends[line]) - line <= 40, !isInsideNavigation(line),
                !isInsideCommentsOrForm(line), !isInsideRelatedLinks(line)
            else { continue }
            let text = tree.collapsedText(line)
            guard text.count <= 200, MetadataExtractor.startsWithByLabel(text) else { continue }
            lines += 1
            if lines > 12 { break }
            var linkTexts: [String] = []
            for j in line..<Int(tree.ends[line]) where tree.tags[j] == .a {
                linkTexts.append(tree.collapsedText(j))
            }
            let candidates = linkTexts.isEmpty ? [MetadataExtractor.namesPart(of: text)] : linkTexts
            let names = MetadataExtractor.splitAuthors(candidates, exclude: exclude).filter(
                MetadataExtractor.looksLikePersonName)
            if !names.isEmpty { return names }
        }
        return []
    }

    /// The part of a "By …" line that holds the names: up to a date, a time or " on ", " | ", " - ".
    static func namesPart(of line: String) -> String {
        var text = line
        for stop in [" on ", " | ", " - ", " – ", " — ", " • ", " · "] {
            if let range = text.rangeUTF8(of: stop) { text = String(text[..<range.lowerBound]) }
        }
        if let digit = text.firstIndex(where: { $0.isNumber }) { text = String(text[..<digit]) }
        return text
    }

    /// Whether element `i` sits in a `<nav>` (menus say "By subject", "By date").
    private func isInsideNavigation(_ i: Int) -> Bool {
        var p = i
        while p > 0 {
            if tree.tags[p] == .nav { return true }
            p = Int(tree.parents[p])
        }
        return false
    }
}
