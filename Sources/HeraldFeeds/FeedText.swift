import HeraldHTML

/// Text helpers: turning the HTML that feeds put in titles into plain text.
enum FeedText {
    /// Collapses runs of whitespace into single spaces and trims the ends; nil when nothing is left.
    static func collapsed(_ s: String) -> String? {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for ch in s.unicodeScalars {
            if ch.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.unicodeScalars.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(ch)
            }
        }
        return out.isEmpty ? nil : out
    }

    /// Whether `s` contains something an HTML parser would change: a tag-like `<x`, `</`, `<!` or an entity `&x`.
    static func mayContainMarkup(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for b in s.utf8 {
            if previous == UInt8(ascii: "<") {
                let lower = b | 0x20
                if (lower >= 0x61 && lower <= 0x7A) || b == UInt8(ascii: "/") || b == UInt8(ascii: "!") {
                    return true
                }
            } else if previous == UInt8(ascii: "&") {
                let lower = b | 0x20
                if (lower >= 0x61 && lower <= 0x7A) || b == UInt8(ascii: "#") { return true }
            }
            previous = b
        }
        return false
    }

    /// Decodes an HTML fragment to its visible text (entities decoded, tags and scripts dropped, whitespace
    /// collapsed).
    static func plainText(fromHTML html: String) -> String? {
        guard mayContainMarkup(html) else { return collapsed(html) }
        let doc = MarkupParser.parseHTML(Array(html.utf8), encoding: "utf-8")
        var parts = ""
        for node in doc.descendants(of: doc.root) where doc.kind(of: node) == .text {
            if let parent = doc.parent(of: node) {
                let name = doc.name(of: parent)
                if name == "script" || name == "style" { continue }
            }
            parts += doc.text(of: node)
        }
        return collapsed(parts)
    }
}
