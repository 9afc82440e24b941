import HeraldHTML

/// Byte-level repairs applied before XML parsing, for faults that real feeds commonly have and that a strict
/// XML parser would otherwise turn into lost text:
/// - HTML named entities (`&nbsp;`, `&eacute;`, ...) that XML does not define are rewritten as numeric character
///   references, outside CDATA sections and comments. Names HTML does not know (including any a DTD defines)
///   are left alone, so nothing is ever expanded recursively.
/// - bytes that are not valid UTF-8 in a document that is (or claims to be) UTF-8 are read as windows-1252,
///   keeping the valid UTF-8 sequences around them.
enum XMLRepair {
    /// The encoding named in the XML declaration, lowercased, if any.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        guard bytes.count >= i + 5, bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "?"),
            bytes[i + 2] == UInt8(ascii: "x"), bytes[i + 3] == UInt8(ascii: "m"), bytes[i + 4] == UInt8(ascii: "l")
        else { return nil }
        guard let end = bytes[i...].prefix(200).firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let decl = String(decoding: bytes[i..<end], as: UTF8.self)
        guard let range = decl.range(of: "encoding") else { return nil }
        var rest = decl[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        return rest[..<close].lowercased()
    }

    /// Whether the bytes are in an ASCII-compatible encoding (so `&`, `<`, letters are single ASCII bytes).
    static func isASCIICompatible(_ bytes: [UInt8]) -> Bool {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            return false
        }
        if bytes.count >= 4, bytes[0] == 0 || bytes[1] == 0 || bytes[2] == 0 { return false }
        if bytes.count >= 4, bytes[0] == 0x4C, bytes[1] == 0x6F { return false }  // EBCDIC "<?"
        if let enc = declaredEncoding(bytes) {
            if enc.hasPrefix("utf-16") || enc.hasPrefix("utf-32") || enc.hasPrefix("ucs") || enc.contains("ebcdic")
                || enc.hasPrefix("cp0") || enc.hasPrefix("ibm0") || enc == "cp500" || enc == "ibm500"
                || enc.hasPrefix("iso-10646") || enc == "csunicode"
            {
                return false
            }
        }
        return true
    }

    static let xmlPredefined: Set<String> = ["amp", "lt", "gt", "quot", "apos"]

    /// Rewrites HTML named entities as numeric references. Returns nil when nothing needed rewriting.
    static func rewriteHTMLEntities(_ bytes: [UInt8]) -> [UInt8]? {
        guard isASCIICompatible(bytes), bytes.contains(UInt8(ascii: "&")) else { return nil }
        var out: [UInt8] = []
        var copiedUpTo = 0
        var cache: [String: [UInt8]?] = [:]
        var i = 0
        let n = bytes.count
        func startsWith(_ s: StaticString, at k: Int) -> Bool {
            let len = s.utf8CodeUnitCount
            guard k + len <= n else { return false }
            for j in 0..<len where bytes[k + j] != s.utf8Start[j] { return false }
            return true
        }
        func skip(to terminator: StaticString, from k: Int) -> Int {
            var j = k
            while j < n {
                if bytes[j] == terminator.utf8Start[0], startsWith(terminator, at: j) {
                    return j + terminator.utf8CodeUnitCount
                }
                j += 1
            }
            return n
        }
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if startsWith("<![CDATA[", at: i) {
                    i = skip(to: "]]>", from: i + 9)
                    continue
                }
                if startsWith("<!--", at: i) {
                    i = skip(to: "-->", from: i + 4)
                    continue
                }
                i += 1
                continue
            }
            guard b == UInt8(ascii: "&") else {
                i += 1
                continue
            }
            var j = i + 1
            while j < n, j - i <= 32 {
                let c = bytes[j]
                let isNameByte = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || (c >= 0x30 && c <= 0x39 && j > i + 1)
                if !isNameByte { break }
                j += 1
            }
            guard j > i + 1, j < n, bytes[j] == UInt8(ascii: ";") else {
                i += 1
                continue
            }
            let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
            if xmlPredefined.contains(name) {
                i = j + 1
                continue
            }
            let replacement: [UInt8]?
            if let cached = cache[name] {
                replacement = cached
            } else {
                replacement = numericReference(forHTMLEntity: name)
                cache[name] = replacement
            }
            if let replacement {
                out.append(contentsOf: bytes[copiedUpTo..<i])
                out.append(contentsOf: replacement)
                copiedUpTo = j + 1
            }
            i = j + 1
        }
        guard copiedUpTo > 0 else { return nil }
        out.append(contentsOf: bytes[copiedUpTo...])
        return out
    }

    /// "&#NNN;" for an HTML entity name, using the HTML parser's entity table; nil for unknown names.
    static func numericReference(forHTMLEntity name: String) -> [UInt8]? {
        let doc = MarkupParser.parseHTML(Array("<p>&\(name);</p>".utf8), encoding: "utf-8")
        let text = doc.textContent(of: doc.root)
        guard !text.isEmpty, text != "&\(name);", !text.contains("&") else { return nil }
        var out: [UInt8] = []
        for scalar in text.unicodeScalars {
            out.append(contentsOf: "&#\(scalar.value);".utf8)
        }
        return out
    }

    /// Whether the document should be UTF-8: no BOM of another encoding and a UTF-8 (or absent) declaration.
    static func isUTF8Document(_ bytes: [UInt8]) -> Bool {
        guard isASCIICompatible(bytes) else { return false }
        guard let enc = declaredEncoding(bytes) else { return true }
        return enc == "utf-8" || enc == "utf8"
    }

    static let windows1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Length of the valid UTF-8 sequence at `i`, or 0 when the byte there does not start one.
    static func validSequenceLength(_ bytes: [UInt8], _ i: Int) -> Int {
        let b0 = bytes[i]
        let n = bytes.count
        func cont(_ k: Int) -> Bool { k < n && bytes[k] & 0xC0 == 0x80 }
        switch b0 {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
        case 0xE0:
            return i + 1 < n && bytes[i + 1] >= 0xA0 && bytes[i + 1] <= 0xBF && cont(i + 2) ? 3 : 0
        case 0xED:
            return i + 1 < n && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F && cont(i + 2) ? 3 : 0
        case 0xE1...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xF0:
            return i + 1 < n && bytes[i + 1] >= 0x90 && bytes[i + 1] <= 0xBF && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4:
            return i + 1 < n && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x8F && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default: return 0
        }
    }

    /// Replaces each byte that is not part of a valid UTF-8 sequence by the UTF-8 encoding of its windows-1252
    /// character. Returns nil when the bytes were valid UTF-8; otherwise the repaired bytes and the count fixed.
    static func repairInvalidUTF8(_ bytes: [UInt8]) -> (bytes: [UInt8], fixed: Int)? {
        var i = 0
        let n = bytes.count
        var out: [UInt8] = []
        var fixed = 0
        var copiedUpTo = 0
        while i < n {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let len = validSequenceLength(bytes, i)
            if len > 0 {
                i += len
                continue
            }
            if fixed == 0 { out.reserveCapacity(n + 64) }
            out.append(contentsOf: bytes[copiedUpTo..<i])
            let b = bytes[i]
            let scalar = b < 0xA0 ? windows1252[Int(b - 0x80)] : UInt32(b)
            out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            fixed += 1
            i += 1
            copiedUpTo = i
        }
        guard fixed > 0 else { return nil }
        out.append(contentsOf: bytes[copiedUpTo...])
        return (out, fixed)
    }

    /// Removes the encoding pseudo-attribute from the XML declaration (so the parser falls back to UTF-8).
    static func removingDeclaredEncoding(_ bytes: [UInt8]) -> [UInt8]? {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        guard bytes.count > i + 5, bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "?"),
            let end = bytes[i...].prefix(200).firstIndex(of: UInt8(ascii: ">"))
        else { return nil }
        let decl = String(decoding: bytes[i...end], as: UTF8.self)
        guard let range = decl.range(of: "encoding") else { return nil }
        var j = range.upperBound
        while j < decl.endIndex, decl[j] == " " || decl[j] == "=" { j = decl.index(after: j) }
        guard j < decl.endIndex, decl[j] == "\"" || decl[j] == "'" else { return nil }
        let quote = decl[j]
        guard let close = decl[decl.index(after: j)...].firstIndex(of: quote) else { return nil }
        let newDecl = String(decl[..<range.lowerBound]) + String(decl[decl.index(after: close)...])
        return Array(bytes[..<i]) + Array(newDecl.utf8) + Array(bytes[(end + 1)...])
    }
}
