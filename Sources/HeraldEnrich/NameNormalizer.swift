/// Folds the spellings of one name to one key, so that outlets that transliterate differently agree.
///
/// Per word: lowercased, diacritics and apostrophes dropped, `&` read as "and", then Russian/Slavic
/// romanisation variants folded: `leks` → `lex` (Aleksandr, Alexander), final `-ey`/`-ei` → `ei` (Andrey, Andrei),
/// final `-iy`/`-yi`/`-ii` → `i` and a final `y` after a consonant → `i` (Dmitriy, Dmitry, Yury, Yuri),
/// `-ndr` at the end → `-nder` (Aleksandr → alexander), `kh` → `h`, `yu`/`iu`/`ju` at the start → `yu`, and `ie`
/// → `ye` after a vowel-less start is left alone. The key is what ids are made of; display names keep the text.
public enum NameNormalizer {
    /// The normalised key of one word.
    public static func key(word: String) -> String { key(word: word, transliterate: true) }

    /// A word lowercased, without diacritics and apostrophes; with `transliterate`, variants folded too.
    static func key(word: String, transliterate: Bool) -> String {
        if let fast = asciiKey(word: word, transliterate: transliterate) { return fast }
        return unicodeKey(word: word, transliterate: transliterate)
    }

    /// The same folds on bytes, for ASCII words (nearly all of them); nil for any other word.
    static func asciiKey(word: String, transliterate: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.utf8.count)
        for byte in word.utf8 {
            guard byte < 0x80 else { return nil }
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: ".") { continue }
            bytes.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
        }
        if bytes == [UInt8(ascii: "&")] { return "and" }
        guard transliterate, bytes.count > 2 else { return String(decoding: bytes, as: UTF8.self) }
        func at(_ i: Int) -> UInt8 { bytes[i] }
        // leks → lex, kh → h.
        var folded: [UInt8] = []
        folded.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 3 < bytes.count, at(i) == 0x6C, at(i + 1) == 0x65, at(i + 2) == 0x6B, at(i + 3) == 0x73 {
                folded += [0x6C, 0x65, 0x78]
                i += 4
                continue
            }
            if i + 1 < bytes.count, at(i) == 0x6B, at(i + 1) == 0x68 {
                folded.append(0x68)
                i += 2
                continue
            }
            folded.append(at(i))
            i += 1
        }
        bytes = folded
        if bytes.count >= 2, (bytes[0] == 0x69 || bytes[0] == 0x6A), bytes[1] == 0x75 { bytes[0] = 0x79 }
        let n = bytes.count
        if n >= 3, bytes[n - 3] == 0x6E, bytes[n - 2] == 0x64, bytes[n - 1] == 0x72 {
            bytes = Array(bytes.dropLast(3)) + Array("nder".utf8)
        }
        let m = bytes.count
        if m > 4, m >= 2 {
            let pair = (bytes[m - 2], bytes[m - 1])
            if pair == (0x69, 0x79) || pair == (0x79, 0x69) || pair == (0x69, 0x69) || pair == (0x69, 0x6A) {
                return String(decoding: bytes.dropLast(2) + [0x69], as: UTF8.self)
            }
        }
        if m >= 2, bytes[m - 2] == 0x65, bytes[m - 1] == 0x79 {
            return String(decoding: bytes.dropLast(2) + [0x65, 0x69], as: UTF8.self)
        }
        if m >= 2, bytes[m - 1] == 0x79, !"aeiouy".utf8.contains(bytes[m - 2]) {
            return String(decoding: bytes.dropLast() + [0x69], as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func unicodeKey(word: String, transliterate: Bool) -> String {
        var scalars: [Unicode.Scalar] = []
        for scalar in word.lowercased().decomposedScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar == "'" || scalar == "\u{2019}" || scalar == "." { continue }
            scalars.append(scalar)
        }
        var text = String(String.UnicodeScalarView(scalars))
        if text == "&" { return "and" }
        guard transliterate, text.unicodeScalars.allSatisfy({ $0.isASCII }), text.count > 2 else { return text }
        text = text.replacing("leks", with: "lex")
        text = text.replacing("kh", with: "h")
        if text.hasPrefix("iu") || text.hasPrefix("ju") { text = "yu" + text.dropFirst(2) }
        if text.hasSuffix("ndr") { text = String(text.dropLast(3)) + "nder" }
        for suffix in ["iy", "yi", "ii", "ij"] where text.hasSuffix(suffix) && text.count > 4 {
            text = String(text.dropLast(2)) + "i"
            return text
        }
        if text.hasSuffix("ey") { return String(text.dropLast(2)) + "ei" }
        if text.hasSuffix("y"), let before = text.dropLast().last, !"aeiouy".contains(before) {
            return String(text.dropLast()) + "i"
        }
        return text
    }

    /// The key of a name: word keys joined by single spaces (hyphens and dashes count as spaces).
    public static func key(name: String) -> String {
        words(of: name).map { key(word: $0) }.joined(separator: " ")
    }

    /// A name's id slug: lowercased words joined by `-`, anything but letters and digits dropped; with
    /// `transliterate` (person names) the words are keys, so "Andrey" and "Andrei" give one slug.
    public static func slug(name: String, transliterate: Bool = true) -> String {
        var out = ""
        var pendingDash = false
        let folded = words(of: name).map { key(word: $0, transliterate: transliterate) }.joined(separator: " ")
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// The words of a name, split at white space, hyphens and dashes; `&` is a word.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in name.unicodeScalars {
            if scalar.properties.isWhitespace || "-\u{2010}\u{2011}\u{2013}\u{2014}/".unicodeScalars.contains(scalar) {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if scalar == "&" {
                if !current.isEmpty { words.append(current) }
                words.append("&")
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

extension String {
    var decomposedScalars: [Unicode.Scalar] {
        // Canonical decomposition for Latin letters with diacritics (é → e + ◌́), without Foundation.
        var out: [Unicode.Scalar] = []
        for scalar in unicodeScalars {
            if let mapping = scalar.properties.canonicalCombiningClass == .notReordered
                ? Self.latinFold[scalar] : nil
            {
                out.append(mapping)
            } else {
                out.append(scalar)
            }
        }
        return out
    }

    /// Letters with diacritics that names commonly carry, folded to their base letter.
    static let latinFold: [Unicode.Scalar: Unicode.Scalar] = {
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        let groups: [(String, Unicode.Scalar)] = [
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
            ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
            ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"),
            ("źżž", "z"),
        ]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = base }
        }
        return table
    }()
}
