import HeraldHTML

/// Text helpers: turning the HTML that feeds put in titles into plain text.
enum FeedText {
    /// `s` without leading and trailing whitespace (Unicode White_Space), without bridging through UTF-16.
    static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isWhiteSpace(first) || isWhiteSpace(last)
        else { return s }
        guard let start = scalars.firstIndex(where: { !isWhiteSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isWhiteSpace($0) })!
        return String(scalars[start...end])
    }

    /// Unicode White_Space, with the ASCII cases (TAB...CR, space) answered without a property lookup.
    @inline(__always)
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Collapses runs of whitespace into single spaces and trims the ends; nil when nothing is left.
    static func collapsed(_ s: String) -> String? {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for ch in s.unicodeScalars {
            if isWhiteSpace(ch) {
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

    static let noAttributes = HTMLAttributeFilter(keeping: [:])

    /// Decodes an HTML fragment to its visible text (entities decoded, tags and scripts dropped, whitespace
    /// collapsed).
    static func plainText(fromHTML html: String) -> String? {
        guard mayContainMarkup(html) else { return collapsed(html) }
        // No attribute is read: all are cut before libxml2 sees them (so a flood of them costs nothing).
        let doc = MarkupParser.parseHTML(Array(html.utf8), encoding: "utf-8", attributes: noAttributes)
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

extension FeedText {
    /// windows-1252 characters for the bytes 0x80...0x9F, back to their bytes.
    private static let windows1252Bytes: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (k, scalar) in XMLRepair.windows1252.enumerated() { map[scalar] = UInt8(0x80 + k) }
        return map
    }()

    /// Repairs UTF-8 that was decoded as Latin-1 or windows-1252 once too often ("Ã©" for "é", "â€™" for "’"):
    /// when every character maps back to one windows-1252 byte and those bytes are valid UTF-8 with at least one
    /// multibyte sequence, the decoded text replaces `s`. Anything else is returned unchanged.
    static func repairingDoubleEncodedUTF8(_ s: String) -> String {
        var sawCandidate = false
        for b in s.utf8 where b == 0xC3 || b == 0xC2 || b == 0xE2 || b == 0xC5 || b == 0xCB {
            // UTF-8 of the Latin-1 lead bytes (U+00C2...U+00F4 encode as C3 xx; cp1252 specials as E2/C5/CB ...).
            sawCandidate = true
            break
        }
        guard sawCandidate else { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var multibyteLead = false
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                bytes.append(UInt8(v))
            } else if v <= 0xFF {
                if v >= 0xC2 && v <= 0xF4 { multibyteLead = true }
                bytes.append(UInt8(v))
            } else if let b = windows1252Bytes[v] {
                bytes.append(b)
            } else {
                return s
            }
        }
        guard multibyteLead, let decoded = String(validating: bytes, as: UTF8.self), decoded != s else { return s }
        return decoded
    }
}
