/// Decides which character encoding to decode an HTML page with, the way browsers do (simplified).
public enum CharsetSniffer {
    /// Returns the charset name to decode `bytes` with.
    ///
    /// Order: the `charset` parameter of `httpContentType`, a byte order mark, "utf-8" when the bytes are valid
    /// UTF-8 and hold multi-byte sequences (a stale `<meta>` declaration does not turn them into mojibake), a
    /// `<meta charset>` or `<meta http-equiv="Content-Type" content="...charset=...">` in the first 4 KB, then
    /// "utf-8" when the bytes are valid UTF-8, else "windows-1252". Labels are mapped to canonical names as browsers do
    /// (latin1/iso-8859-1/us-ascii → windows-1252); only names the HTML parser supports are returned.
    public static func detect(_ bytes: [UInt8], httpContentType: String?) -> String {
        detect(bytes, httpContentType: httpContentType, isSupported: EncodingSupport.isSupported)
    }

    static func detect(_ bytes: [UInt8], httpContentType: String?, isSupported: (String) -> Bool) -> String {
        if let header = httpContentType, let label = charsetParameter(in: Array(header.utf8)),
            let name = canonicalName(label), isSupported(name)
        {
            return name
        }
        if let bom = byteOrderMark(bytes) { return bom }
        if let label = metaCharset(bytes), var name = canonicalName(label) {
            // Legacy multi-byte text is almost never valid UTF-8 by accident; 7-bit encodings (ISO-2022-JP) have
            // no bytes above 0x7F, so they never reach this.
            if name != "utf-8" && hasNonASCII(bytes) && isValidUTF8(bytes) { return "utf-8" }
            // A page cannot really declare UTF-16 in an ASCII-compatible meta tag; browsers treat it as UTF-8.
            if name.hasPrefix("utf-16") { name = "utf-8" }
            if isSupported(name) { return name }
        }
        return isValidUTF8(bytes) ? "utf-8" : "windows-1252"
    }

    /// Maps a charset label to the canonical name Herald decodes with, or nil when the label is unknown/empty.
    static func canonicalName(_ label: String) -> String? {
        var trimmed = label.lowercased()
        trimmed = String(trimmed.unicodeScalars.filter { !TextNormalizer.isWhitespace($0) && $0 != "\"" && $0 != "'" })
        if trimmed.isEmpty { return nil }
        switch trimmed {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        case "latin1", "latin-1", "l1", "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "iso-ir-100",
            "us-ascii", "ascii", "ansi_x3.4-1968", "cp1252", "windows-1252", "x-cp1252", "cp819", "ibm819",
            "x-user-defined", "iso_8859-1:1987", "csisolatin1":
            return "windows-1252"
        case "iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254", "cp1254": return "windows-1254"
        case "tis-620", "iso-8859-11", "windows-874", "dos-874": return "windows-874"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "ms932", "cp932":
            return "shift_jis"
        case "euc-jp", "x-euc-jp", "cseucpkdfmtjapanese": return "euc-jp"
        case "iso-2022-jp", "csiso2022jp": return "iso-2022-jp"
        case "euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", "cp949",
            "korean", "csksc56011987", "iso-ir-149":
            return "euc-kr"
        case "gb2312", "gbk", "x-gbk", "gb18030", "cp936", "ms936", "windows-936", "chinese", "csgb2312",
            "euc-cn", "iso-ir-58":
            return "gb18030"
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5": return "big5"
        case "koi8-r", "koi8", "cskoi8r", "koi": return "koi8-r"
        case "koi8-u", "koi8-ru": return "koi8-u"
        case "utf-16", "utf-16le", "utf16le", "unicodefffe": return "utf-16le"
        case "utf-16be", "utf16be", "unicodefeff": return "utf-16be"
        default:
            if trimmed.hasPrefix("windows-125"), trimmed.count == 12 { return trimmed }
            if trimmed.hasPrefix("cp125"), trimmed.count == 6 { return "windows-" + trimmed.dropFirst(2) }
            if trimmed.hasPrefix("iso-8859-") || trimmed.hasPrefix("iso8859-") {
                let number = trimmed.split(separator: "-").last.map(String.init) ?? ""
                return "iso-8859-" + number
            }
            return trimmed
        }
    }

    static func byteOrderMark(_ bytes: [UInt8]) -> String? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return "utf-8" }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return "utf-16be" }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return "utf-16le" }
        return nil
    }

    /// Finds `charset=` in a Content-Type style value (`text/html; charset="Shift_JIS"`).
    static func charsetParameter(in value: [UInt8]) -> String? {
        let lower = value.map { asciiLower($0) }
        let needle = Array("charset".utf8)
        var i = 0
        while i + needle.count <= lower.count {
            if Array(lower[i..<(i + needle.count)]) == needle {
                var j = i + needle.count
                while j < lower.count, isSpace(lower[j]) { j += 1 }
                if j < lower.count, lower[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < lower.count, isSpace(lower[j]) { j += 1 }
                    var quote: UInt8? = nil
                    if j < lower.count, lower[j] == UInt8(ascii: "\"") || lower[j] == UInt8(ascii: "'") {
                        quote = lower[j]
                        j += 1
                    }
                    let start = j
                    while j < lower.count {
                        let c = lower[j]
                        if let q = quote, c == q { break }
                        if quote == nil, isSpace(c) || c == UInt8(ascii: ";") || c == UInt8(ascii: "\"")
                            || c == UInt8(ascii: "'")
                        {
                            break
                        }
                        j += 1
                    }
                    if j > start { return String(decoding: lower[start..<j], as: UTF8.self) }
                }
            }
            i += 1
        }
        return nil
    }

    /// Pre-scans the first 4 KB for a `<meta>` that declares the charset.
    static func metaCharset(_ bytes: [UInt8]) -> String? {
        let limit = min(bytes.count, 4096)
        var i = 0
        while i < limit {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            // Skip comments wholesale.
            if i + 3 < limit, bytes[i + 1] == UInt8(ascii: "!"), bytes[i + 2] == UInt8(ascii: "-"),
                bytes[i + 3] == UInt8(ascii: "-")
            {
                var j = i + 4
                while j + 2 < limit, !(bytes[j] == UInt8(ascii: "-") && bytes[j + 1] == UInt8(ascii: "-")
                    && bytes[j + 2] == UInt8(ascii: ">"))
                {
                    j += 1
                }
                i = j + 3
                continue
            }
            if i + 5 < limit, asciiLower(bytes[i + 1]) == UInt8(ascii: "m"),
                asciiLower(bytes[i + 2]) == UInt8(ascii: "e"),
                asciiLower(bytes[i + 3]) == UInt8(ascii: "t"), asciiLower(bytes[i + 4]) == UInt8(ascii: "a"),
                isSpace(bytes[i + 5]) || bytes[i + 5] == UInt8(ascii: "/")
            {
                var j = i + 5
                while j < bytes.count, bytes[j] != UInt8(ascii: ">") { j += 1 }
                let attributes = parseAttributes(Array(bytes[(i + 5)..<j]))
                if let charset = attributes["charset"], !charset.isEmpty { return charset }
                if let equiv = attributes["http-equiv"], equiv.lowercased() == "content-type",
                    let content = attributes["content"], let label = charsetParameter(in: Array(content.utf8))
                {
                    return label
                }
                i = j
                continue
            }
            i += 1
        }
        return nil
    }

    private static func parseAttributes(_ bytes: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        var i = 0
        while i < bytes.count {
            while i < bytes.count, isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") { i += 1 }
            let nameStart = i
            while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: "/") {
                i += 1
            }
            let name = String(decoding: bytes[nameStart..<i].map { asciiLower($0) }, as: UTF8.self)
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            var value = ""
            if i < bytes.count, bytes[i] == UInt8(ascii: "=") {
                i += 1
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let quote = bytes[i]
                    i += 1
                    let start = i
                    while i < bytes.count, bytes[i] != quote { i += 1 }
                    value = String(decoding: bytes[start..<i], as: UTF8.self)
                    i += 1
                } else {
                    let start = i
                    while i < bytes.count, !isSpace(bytes[i]) { i += 1 }
                    value = String(decoding: bytes[start..<i], as: UTF8.self)
                }
            }
            if name.isEmpty { if i < bytes.count { i += 1 }; continue }
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
    static func hasNonASCII(_ bytes: [UInt8]) -> Bool {
        bytes.contains { $0 >= 0x80 }
    }

    static func isValidUTF8(_ array: [UInt8]) -> Bool {
        array.withUnsafeBufferPointer { isValidUTF8($0) }
    }

    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            i = UTF8Search.skippingASCIIWords(bytes, from: i)
            if i >= n { break }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            var need = 0
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; upper = 0x9F
            case 0xF0: need = 3; lower = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; upper = 0x8F
            default: return false
            }
            // A sequence cut off by the end of a truncated download does not make the page non-UTF-8.
            if i + need >= n { return true }
            let second = bytes[i + 1]
            if second < lower || second > upper { return false }
            var k = 2
            while k <= need {
                let c = bytes[i + k]
                if c < 0x80 || c > 0xBF { return false }
                k += 1
            }
            i += need + 1
        }
        return true
    }

    @inline(__always) static func asciiLower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }
}
