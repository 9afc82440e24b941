import Foundation

/// Normalises text for comparison and hashing: Unicode NFC, whitespace runs collapsed to one space, trimmed.
public enum TextNormalizer {
    /// Returns `text` in NFC with every run of Unicode white space (including NBSP and line breaks) replaced by
    /// one ASCII space and leading/trailing white space removed. Letter case is kept.
    public static func normalize(_ text: String) -> String {
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII { return collapseASCII(text) }
        let composed = text.precomposedStringWithCanonicalMapping
        return collapse(composed)
    }

    /// True for the Unicode `White_Space` characters (plus zero-width no-break space used as a stray BOM).
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    private static func collapseASCII(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func collapse(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var hasContent = false
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = hasContent
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(scalar)
                hasContent = true
            }
        }
        return String(out)
    }
}
