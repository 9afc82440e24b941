/// Serialises an `ExtractedArticle` as one compact JSON object (the `herald extract` output line).
public enum ArticleJSON {
    /// Encodes `article` with keys sorted, no `\/` escaping and `null` for missing fields; adds `"id"` when given.
    ///
    /// Keys: authors, canonical_url, content_hash, description, encoding, id, image, language, modified, published,
    /// site_name, sources, text, title.
    /// `extra` adds members encoded elsewhere (the enrichment's `amounts`, `entities`, `quotes`).
    public static func encode(
        _ article: ExtractedArticle, id: String? = nil, extra: [(String, [UInt8])] = []
    ) -> [UInt8] {
        var fields: [(String, [UInt8])] = [
            ("authors", array(article.authors)),
            ("canonical_url", optional(article.canonicalURL)),
            ("content_hash", string(article.contentHash)),
            ("description", optional(article.description)),
            ("encoding", string(article.encoding)),
            ("image", optional(article.image)),
            ("language", optional(article.language)),
            ("modified", optional(article.modified)),
            ("published", optional(article.published)),
            ("site_name", optional(article.siteName)),
            ("sources", object(article.sources)),
            ("text", string(article.text)),
            ("title", optional(article.title)),
        ]
        if let id { fields.append(("id", string(id))) }
        fields += extra
        fields.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += string(field.0)
            out.append(UInt8(ascii: ":"))
            out += field.1
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func optional(_ value: String?) -> [UInt8] {
        guard let value else { return Array("null".utf8) }
        return string(value)
    }

    private static func array(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += string(value)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    private static func object(_ members: [String: String]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += string(key)
            out.append(UInt8(ascii: ":"))
            out += string(members[key] ?? "")
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string literal: escapes `"`, `\` and control characters (and U+2028/U+2029 for JavaScript safety).
    static func string(_ value: String) -> [UInt8] {
        var out: [UInt8] = []
        appendString(value, to: &out)
        return out
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the JSON string literal for `value` to `out`; runs of plain bytes are copied at once.
    static func appendString(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { buffer in
            out.reserveCapacity(out.count + buffer.count + 2)
            out.append(UInt8(ascii: "\""))
            var runStart = 0
            var i = 0
            let count = buffer.count
            while i < count {
                let b = buffer[i]
                let isPlain =
                    b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\")
                    && !(b == 0xE2 && i + 2 < count && buffer[i + 1] == 0x80
                        && (buffer[i + 2] == 0xA8 || buffer[i + 2] == 0xA9))
                if isPlain {
                    i += 1
                    continue
                }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<i])) }
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0xE2:
                    out.append(contentsOf: buffer[i + 2] == 0xA8 ? Array("u2028".utf8) : Array("u2029".utf8))
                    i += 2
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0x0f)])
                }
                i += 1
                runStart = i
            }
            if runStart < count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<count])) }
            out.append(UInt8(ascii: "\""))
        }
    }
}
