import HeraldHTML

/// Byte-level repairs applied before XML parsing, for faults that real feeds commonly have and that a strict
/// XML parser would otherwise turn into lost text:
/// - HTML named entities (`&nbsp;`, `&eacute;`, ...) that XML does not define are rewritten as numeric character
///   references, outside CDATA sections and comments. Names HTML does not know (including any a DTD defines)
///   are left alone, so nothing is ever expanded recursively.
/// - markup repairs in one pass (`XMLMarkupRepair`): DOCTYPE removal, forbidden controls, bare `&` and `<`,
///   the attribute cap, and HTML-tree-builder-like recovery of unbalanced tags. The parser never expands
///   entities whatever survives (see `MarkupParser.parseXML`); removing the DOCTYPE keeps libxml2 from giving
///   up on documents whose internal subset it dislikes.
/// - bytes that are not valid UTF-8 in a document that is (or claims to be) UTF-8 are read as windows-1252,
///   keeping the valid UTF-8 sequences around them; C1 control characters (raw or as `&#150;`) become the
///   windows-1252 characters they were meant to be.
/// - a Latin-1 or ASCII declaration is read as windows-1252 (as browsers do), and an encoding name the converter
///   does not know is tried in its common alternative spellings.
enum XMLRepair {
    /// Applies every repair in order: UTF-16/32 to UTF-8, leading whitespace and extra BOMs, the HTTP charset for undeclared non-UTF-8 bytes,
    /// encoding-name fixes, stray-byte repair, DOCTYPE removal, HTML entity rewriting.
    /// - Returns: the bytes to parse and warnings for what was changed.
    static func prepare(_ bytes: [UInt8], httpCharset: String?) -> (bytes: [UInt8], warnings: [String]) {
        var input = transcodingWideToUTF8(bytes) ?? bytes
        var warnings: [String] = []
        if let trimmed = removingLeadingJunk(input) { input = trimmed }
        if let charset = httpCharset, let declared = declaringEncoding(charset, in: input) {
            input = declared
        }
        if let declared = declaredEncoding(input) {
            if let substitute = substituteEncoding(for: declared),
                let replaced = replacingDeclaredEncoding(input, with: substitute)
            {
                input = replaced
            } else if isASCIICompatible(input),
                !MarkupParser.supportsEncoding(declared) || !(declared.first?.isLetter ?? false),
                let removed = removingDeclaredEncoding(input)
            {
                // An encoding nobody here knows: read the document as UTF-8, stray bytes as windows-1252.
                input = removed
                warnings.append("the declared encoding \"\(declared)\" is not supported; read the document as UTF-8")
            }
        }
        if let declared = declaredEncoding(input), declared == "windows-1252" || declared == "cp1252",
            isASCIICompatible(input)
        {
            // Declared Latin-1 or windows-1252, but every byte above ASCII is part of valid multibyte UTF-8.
            let profile = utf8Profile(input)
            if profile.invalid == 0, profile.multibyte > 0, let replaced = replacingDeclaredEncoding(input, with: "utf-8")
            {
                input = replaced
                warnings.append("the document declares \(declared) but its bytes are UTF-8; read it as UTF-8")
            }
        }
        if isUTF8Document(input) {
            let profile = utf8Profile(input)
            var bare = input
            if bare.count >= 3, bare[0] == 0xEF, bare[1] == 0xBB, bare[2] == 0xBF { bare.removeFirst(3) }
            if profile.invalid > profile.multibyte,
                let declared = declaredEncoding(bare) != nil
                    ? replacingDeclaredEncoding(bare, with: "windows-1252") : declaringEncoding("windows-1252", in: bare)
            {
                // Mostly not UTF-8: windows-1252 throughout, not run by run (a stray run of Latin-1 bytes can
                // look like a valid UTF-8 sequence).
                input = declared
                warnings.append(
                    "the document is mostly not UTF-8 (\(profile.invalid) invalid bytes); read it as windows-1252")
            } else if let (repaired, fixed) = repairInvalidUTF8(input) {
                input = repaired
                warnings.append(
                    "the document is not clean UTF-8: read \(fixed) stray bytes or C1 controls as windows-1252")
            }
        }
        if isASCIICompatible(input) {
            let markup = XMLMarkupRepair.repair(input)
            if let repaired = markup.bytes { input = repaired }
            if markup.droppedAttributes > 0 {
                warnings.append(
                    "dropped \(markup.droppedAttributes) attributes past \(MarkupDocument.maximumAttributesPerElement) on one element")
            }
            if markup.droppedControls > 0 {
                warnings.append("dropped \(markup.droppedControls) control characters XML does not allow")
            }
            if markup.structureFixes > 0 {
                warnings.append("repaired \(markup.structureFixes) unclosed or unmatched tags")
            }
        }
        if let rewritten = rewriteHTMLEntities(input) {
            input = rewritten
            warnings.append("the document uses HTML entities that XML does not define; they were decoded")
        }
        return (input, warnings)
    }

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
            if i + 5 < n, bytes[i + 1] == UInt8(ascii: "#"), let c1 = c1Reference(bytes, i) {
                out.append(contentsOf: bytes[copiedUpTo..<i])
                out.append(contentsOf: "&#\(windows1252[c1.value - 0x80]);".utf8)
                copiedUpTo = c1.end
                i = c1.end
                continue
            }
            if i + 3 < n, bytes[i + 1] == UInt8(ascii: "#"), bytes[i + 2] == UInt8(ascii: "X") {
                // "&#X41;": XML only allows a lowercase x.
                out.append(contentsOf: bytes[copiedUpTo..<i])
                out.append(contentsOf: "&#x".utf8)
                copiedUpTo = i + 3
                i += 3
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

    /// A decimal or hex character reference at `i` to a C1 control (U+0080...U+009F): its value and end index.
    static func c1Reference(_ bytes: [UInt8], _ i: Int) -> (value: Int, end: Int)? {
        var j = i + 2
        var hex = false
        if j < bytes.count, bytes[j] | 0x20 == UInt8(ascii: "x") {
            hex = true
            j += 1
        }
        var value = 0
        let start = j
        while j < bytes.count, j - start < 6 {
            let b = bytes[j]
            if b >= 0x30 && b <= 0x39 {
                value = value * (hex ? 16 : 10) + Int(b - 0x30)
            } else if hex, (b | 0x20) >= 0x61, (b | 0x20) <= 0x66 {
                value = value * 16 + Int((b | 0x20) - 0x61 + 10)
            } else {
                break
            }
            j += 1
        }
        guard j > start, j < bytes.count, bytes[j] == UInt8(ascii: ";"), (0x80...0x9F).contains(value) else {
            return nil
        }
        return (value, j + 1)
    }

    /// The encoding to use instead of a declared one: Latin-1 and ASCII labels mean windows-1252 (as in HTML),
    /// and names the converter does not know are tried in common spellings ("437" -> "cp437", "macgreek" ->
    /// "mac-greek"). Nil when the declared name should stay.
    static func substituteEncoding(for declared: String) -> String? {
        let name = declared.lowercased()
        if [
            "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "iso-ir-100",
            "cp819", "ibm819", "csisolatin1", "iso_8859-1:1987",
        ].contains(name) {
            return "windows-1252"
        }
        // XML encoding names must start with a letter; libxml2 ignores others ("437") even when iconv knows them.
        let validName = name.first.map { $0.isASCII && $0.isLetter } ?? false
        if validName, MarkupParser.supportsEncoding(name) { return nil }
        var candidates: [String] = []
        if name.allSatisfy(\.isNumber) { candidates += ["cp" + name, "ibm" + name] }
        if name.hasPrefix("mac") { candidates += ["mac-" + name.dropFirst(3), "x-mac-" + name.dropFirst(3)] }
        if name.hasPrefix("cs") { candidates.append(String(name.dropFirst(2))) }
        candidates.append(name.replacingOccurrences(of: "_", with: "-"))
        candidates.append(name.replacingOccurrences(of: "-", with: ""))
        return candidates.first { $0 != name && MarkupParser.supportsEncoding($0) }
    }

    /// The bytes with the declaration's encoding name replaced; nil when there is no declared encoding.
    static func replacingDeclaredEncoding(_ bytes: [UInt8], with encoding: String) -> [UInt8]? {
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
        let valueStart = decl.index(after: j)
        guard let close = decl[valueStart...].firstIndex(of: quote) else { return nil }
        let newDecl = String(decl[..<valueStart]) + encoding + String(decl[close...])
        return Array(bytes[..<i]) + Array(newDecl.utf8) + Array(bytes[(end + 1)...])
    }

    /// "&#NNN;" for an HTML entity name, from the HTML parser's entity table; nil for unknown names.
    static func numericReference(forHTMLEntity name: String) -> [UInt8]? {
        guard let value = MarkupParser.htmlEntityCodePoint(named: name), value != 0x26 else { return nil }
        return Array("&#\(value);".utf8)
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

    /// Bytes that are not part of a valid UTF-8 sequence, and valid sequences of two bytes or more.
    static func utf8Profile(_ bytes: [UInt8]) -> (invalid: Int, multibyte: Int) {
        var invalid = 0
        var multibyte = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let len = validSequenceLength(bytes, i)
            if len == 0 {
                invalid += 1
                i += 1
            } else {
                multibyte += 1
                i += len
            }
        }
        return (invalid, multibyte)
    }

    /// Replaces each byte that is not part of a valid UTF-8 sequence, and each C1 control character, by the UTF-8
    /// encoding of its windows-1252 character. Returns nil when there was nothing to repair; otherwise the repaired
    /// bytes and the count fixed.
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
            if len == 2, bytes[i] == 0xC2, bytes[i + 1] < 0xA0 {
                // U+0080...U+009F: C1 controls are never meant; they are windows-1252 characters mis-decoded.
                out.append(contentsOf: bytes[copiedUpTo..<i])
                let scalar = windows1252[Int(bytes[i + 1] - 0x80)]
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                fixed += 1
                i += 2
                copiedUpTo = i
                continue
            }
            if len > 0 {
                i += len
                continue
            }
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

    /// Re-encodes a UTF-16 or UTF-32 document (found by its byte-order mark or by the NUL pattern of "<?") as
    /// UTF-8 without a BOM and without an encoding declaration; nil for other documents. libxml2 does not
    /// handle UTF-32 and mislabelled UTF-16 ("csunicode", "u16") reliably.
    static func transcodingWideToUTF8(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 4 else { return nil }
        let b0 = bytes[0]
        let b1 = bytes[1]
        let b2 = bytes[2]
        let b3 = bytes[3]
        enum Wide { case utf16(bigEndian: Bool), utf32(bigEndian: Bool) }
        var kind: Wide
        var skip = 0
        switch (b0, b1, b2, b3) {
        case (0x00, 0x00, 0xFE, 0xFF): (kind, skip) = (.utf32(bigEndian: true), 4)
        case (0xFF, 0xFE, 0x00, 0x00): (kind, skip) = (.utf32(bigEndian: false), 4)
        case (0xFE, 0xFF, _, _): (kind, skip) = (.utf16(bigEndian: true), 2)
        case (0xFF, 0xFE, _, _): (kind, skip) = (.utf16(bigEndian: false), 2)
        case (0x00, 0x00, 0x00, 0x3C): kind = .utf32(bigEndian: true)
        case (0x3C, 0x00, 0x00, 0x00): kind = .utf32(bigEndian: false)
        case (0x00, 0x3C, 0x00, _): kind = .utf16(bigEndian: true)
        case (0x3C, 0x00, _, 0x00): kind = .utf16(bigEndian: false)
        default: return nil
        }
        var text = ""
        switch kind {
        case .utf16(let big):
            var units: [UInt16] = []
            units.reserveCapacity((bytes.count - skip) / 2)
            var i = skip
            while i + 1 < bytes.count {
                units.append(
                    big ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
                i += 2
            }
            text = String(decoding: units, as: UTF16.self)
        case .utf32(let big):
            var scalars = String.UnicodeScalarView()
            var i = skip
            while i + 3 < bytes.count {
                let v: UInt32 =
                    big
                    ? UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
                        | UInt32(bytes[i + 3])
                    : UInt32(bytes[i + 3]) << 24 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 1]) << 8
                        | UInt32(bytes[i])
                scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                i += 4
            }
            text = String(scalars)
        }
        let utf8 = Array(text.utf8)
        return removingDeclaredEncoding(utf8) ?? utf8
    }

    /// Whether the document holds nothing but whitespace, comments, processing instructions and a doctype.
    static func hasOnlyProlog(_ bytes: [UInt8]) -> Bool {
        guard isASCIICompatible(bytes) else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            if rest.isEmpty { return true }
            if rest.hasPrefix("<!--") {
                guard let end = rest.range(of: "-->") else { return true }
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("<?") || rest.hasPrefix("<!") {
                guard let end = rest.firstIndex(of: ">") else { return true }
                rest = rest[rest.index(after: end)...]
            } else {
                return false
            }
        }
    }

    /// Adds an XML declaration naming `charset` to a document that has no BOM, no encoding declaration and is not
    /// valid UTF-8 (the only case where an HTTP charset can help); nil when it does not apply.
    static func declaringEncoding(_ charset: String, in bytes: [UInt8]) -> [UInt8]? {
        let name = charset.lowercased()
        guard name != "utf-8", name != "utf8", isASCIICompatible(bytes), declaredEncoding(bytes) == nil,
            !(bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF),
            repairInvalidUTF8(bytes) != nil, MarkupParser.supportsEncoding(name)
        else { return nil }
        let declaration = Array("<?xml version=\"1.0\" encoding=\"\(name)\"?>\n".utf8)
        var start = 0
        while start < bytes.count,
            bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D
                || bytes[start] == 0x09
        {
            start += 1
        }
        if start + 5 <= bytes.count, bytes[start] == UInt8(ascii: "<"), bytes[start + 1] == UInt8(ascii: "?"),
            bytes[start + 2] == UInt8(ascii: "x"), bytes[start + 3] == UInt8(ascii: "m"),
            bytes[start + 4] == UInt8(ascii: "l"), let end = bytes[start...].firstIndex(of: UInt8(ascii: ">"))
        {
            // A declaration without an encoding: replace it.
            return declaration + Array(bytes[(end + 1)...])
        }
        return declaration + Array(bytes[start...])
    }

    /// Whether the document ends (before trailing whitespace, comments and processing instructions) with the end
    /// tag `</qualifiedName>`, or with `/>` when the root is empty. False means the document was cut short.
    /// Documents that are not ASCII-compatible are assumed complete.
    static func endsWithEndTag(_ bytes: [UInt8], qualifiedName: String, rootHasChildren: Bool) -> Bool {
        guard isASCIICompatible(bytes) else { return true }
        var end = bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        func endsWith(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return end >= u.count && Array(bytes[(end - u.count)..<end]) == u
        }
        while true {
            while end > 0, isSpace(bytes[end - 1]) { end -= 1 }
            guard end > 0, bytes[end - 1] == UInt8(ascii: ">") else { return false }
            if endsWith("-->") || endsWith("?>") {
                // Skip back over a trailing comment or processing instruction.
                var k = end - 2
                while k > 0, bytes[k] != UInt8(ascii: "<") { k -= 1 }
                guard k > 0 else { return false }
                end = k
                continue
            }
            break
        }
        if !rootHasChildren, endsWith("/>") { return true }
        // "</name" then optional whitespace then ">"
        var k = end - 1
        while k > 0, isSpace(bytes[k - 1]) { k -= 1 }
        let name = Array(("</" + qualifiedName).utf8)
        return k >= name.count && Array(bytes[(k - name.count)..<k]) == name
    }

    /// The bytes without whitespace and (repeated) UTF-8 byte-order marks before the first `<`, which would
    /// otherwise make the parser ignore the XML declaration (and its encoding); nil when there are none.
    static func removingLeadingJunk(_ bytes: [UInt8]) -> [UInt8]? {
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                i += 1
            } else if i + 2 < bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF {
                i += 3
            } else {
                break
            }
        }
        guard i > 0, i < bytes.count, bytes[i] == UInt8(ascii: "<") else { return nil }
        if i == 3, bytes[0] == 0xEF { return nil }  // a single BOM is fine
        return Array(bytes[i...])
    }
}
