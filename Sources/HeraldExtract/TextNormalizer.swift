import Foundation

/// Normalises text for comparison and hashing: Unicode NFC, whitespace runs collapsed to one space, trimmed.
public enum TextNormalizer {
    /// Returns `text` in NFC with every run of Unicode white space (including NBSP and line breaks) replaced by
    /// one ASCII space and leading/trailing white space removed. Letter case is kept.
    public static func normalize(_ text: String) -> String {
        var text = text
        // Most text (ASCII, Latin, Cyrillic, CJK, Hangul) is NFC already; only the rest goes through Foundation.
        if !text.withUTF8(isStableUnderNFC) {
            text = text.precomposedStringWithCanonicalMapping
        }
        return text.withUTF8(collapse)
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

    /// Whether NFC leaves these UTF-8 bytes unchanged because every scalar is a starter (combining class 0) with
    /// NFC_Quick_Check=Yes, in blocks listed here. False means "not known", not "not NFC".
    ///
    /// U+2000 and U+2001 (which NFC maps to U+2002/U+2003) are let through: they are white space, which
    /// `collapse` turns into one space either way.
    static func isStableUnderNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let count = bytes.count
        while i < count {
            i = UTF8Search.skippingASCIIWords(bytes, from: i)
            if i >= count { break }
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let value: UInt32
            if lead < 0xE0 {
                value = UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                i += 2
            } else if lead < 0xF0 {
                value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                i += 3
            } else {
                value =
                    UInt32(lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                    | UInt32(bytes[i + 3] & 0x3F)
                i += 4
            }
            switch value {
            case 0..<0x300,  // Latin, Latin-1, Latin Extended A/B, IPA, spacing modifiers
                0x400..<0x483, 0x48A..<0x530,  // Cyrillic (without its combining marks)
                0x1E00..<0x1F00,  // Latin Extended Additional (Vietnamese)
                0x2000..<0x20D0,  // General Punctuation, super/subscripts, currency
                0x2190..<0x2300, 0x2500..<0x2800,  // arrows, operators, box drawing, shapes, symbols, dingbats
                0x3000..<0x302A, 0x3030..<0x3099, 0x309B..<0x3100,  // CJK punctuation, kana
                0x3130..<0x3190,  // Hangul compatibility jamo
                0x3400..<0x4DC0, 0x4E00..<0xA000,  // CJK ideographs
                0xAC00..<0xD7A4,  // Hangul syllables
                0xE000..<0xF900,  // private use
                0xFF00..<0xFFF0,  // halfwidth and fullwidth forms
                0x1F000..<0x1FB00:  // emoji and pictographs
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Collapses white-space runs to one space and trims, on UTF-8 bytes (the input is valid UTF-8).
    static func collapse(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = bytes.count
        if count == 0 { return "" }
        return String(unsafeUninitializedCapacity: count) { out in
            var n = 0
            var i = 0
            var pendingSpace = false
            let raw = UnsafeRawPointer(bytes.baseAddress!)
            while i < count {
                // Plain ASCII (above 0x20, below 0x80) eight bytes at a time, up to the first byte that is not.
                while i + 8 <= count {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let high = w & 0x8080_8080_8080_8080
                    let atMost20 = ~((w & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x5F5F_5F5F_5F5F_5F5F) & 0x8080_8080_8080_8080
                    let special = high | atMost20
                    let plain = special == 0 ? 8 : special.trailingZeroBitCount / 8
                    if plain == 0 { break }
                    if pendingSpace {
                        out[n] = 0x20
                        n += 1
                        pendingSpace = false
                    }
                    UnsafeMutableRawPointer(out.baseAddress! + n).copyMemory(from: raw + i, byteCount: plain)
                    n += plain
                    i += plain
                    if plain < 8 { break }
                }
                if i >= count { break }
                let b = bytes[i]
                var spaceLength = 0
                if b < 0x80 {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) { spaceLength = 1 }
                } else if b == 0xC2 {
                    let b1 = bytes[i + 1]
                    if b1 == 0x85 || b1 == 0xA0 { spaceLength = 2 }
                } else if b == 0xE1 {
                    if bytes[i + 1] == 0x9A && bytes[i + 2] == 0x80 { spaceLength = 3 }
                } else if b == 0xE2 {
                    let b1 = bytes[i + 1]
                    let b2 = bytes[i + 2]
                    if b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)
                        || b1 == 0x81 && b2 == 0x9F
                    {
                        spaceLength = 3
                    }
                } else if b == 0xE3 {
                    if bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80 { spaceLength = 3 }
                }
                if spaceLength > 0 {
                    pendingSpace = n > 0
                    i += spaceLength
                    continue
                }
                if pendingSpace {
                    out[n] = 0x20
                    n += 1
                    pendingSpace = false
                }
                out[n] = b
                n += 1
                i += 1
            }
            return n
        }
    }
}
