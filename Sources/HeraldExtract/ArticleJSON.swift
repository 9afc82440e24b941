/// Serialises an `ExtractedArticle` as one compact JSON object (the `herald extract` output line).
public enum ArticleJSON {
    /// Encodes `article` with keys sorted, no `\/` escaping and `null` for missing fields; adds `"id"` when given.
    ///
    /// Keys: authors, canonical_url, content_hash, description, encoding, id, image, language, modified, published,
    /// site_name, sources, text, title.
    public static func encode(_ article: ExtractedArticle, id: String? = nil) -> [UInt8] {
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
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(value.utf8.count + 2)
        let utf8 = Array(value.utf8)
        utf8.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                let b = buffer[i]
                switch b {
                case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x00..<0x20:
                    out += Array("\\u00".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0x0f)])
                case 0xE2
                where i + 2 < buffer.count && buffer[i + 1] == 0x80 && (buffer[i + 2] == 0xA8 || buffer[i + 2] == 0xA9):
                    out += Array((buffer[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    i += 2
                default: out.append(b)
                }
                i += 1
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
