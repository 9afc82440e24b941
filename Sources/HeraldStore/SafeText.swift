/// Making text from feeds, pages and files safe to print on a terminal or write to a log.
///
/// A feed controls titles, ids, versions, error bodies and URLs. Printed raw, an ESC sequence could rewrite the
/// operator's terminal and a newline could forge a whole log line. ``escapingControlCharacters`` keeps the text
/// readable and makes every such character visible instead.
extension String {
    /// This text with control characters written out visibly: `\n`, `\r` and `\t` as those two characters, every
    /// other C0 control, DEL and C1 control (U+0080–U+009F) as `\u{1b}`-style escapes, and likewise the Unicode
    /// line and paragraph separators and the bidirectional overrides and isolates (which can make a line read
    /// differently from what it holds). Everything else, including backslashes, is left as it is.
    ///
    /// Text without any such character is returned unchanged without copying it.
    public var escapingControlCharacters: String {
        guard utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 >= 0xC2 }) else { return self }
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var result = ""
        result.reserveCapacity(utf8.count + 16)
        for scalar in unicodeScalars {
            guard Self.needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true  // line and paragraph separators
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidirectional embeddings, overrides, isolates
        default: return false
        }
    }
}
