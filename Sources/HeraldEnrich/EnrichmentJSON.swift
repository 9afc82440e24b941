/// Serialises an ``Enrichment`` as JSON members (`entities`, `quotes`, `amounts`) for `herald extract` and the
/// article record: compact, keys sorted, no `\/` escaping.
public enum EnrichmentJSON {
    /// The three members as (key, encoded value) pairs, in key order: amounts, entities, quotes.
    public static func members(_ enrichment: Enrichment) -> [(String, [UInt8])] {
        [
            ("amounts", array(enrichment.amounts.map(amount))),
            ("entities", array(enrichment.entities.map(entity))),
            ("quotes", array(enrichment.quotes.map(quote))),
        ]
    }

    /// One JSON object holding the three members.
    public static func encode(_ enrichment: Enrichment) -> [UInt8] { object(members(enrichment)) }

    static func entity(_ entity: Entity) -> [UInt8] {
        object([
            ("aliases", array(entity.aliases.map(string))),
            ("id", string(entity.id)),
            ("mentions", array(entity.mentions.map { mention in
                object([("end", number(mention.end)), ("start", number(mention.start)), ("text", string(mention.text))])
            })),
            ("name", string(entity.name)),
            ("type", string(entity.type.rawValue)),
        ])
    }

    static func quote(_ quote: Quote) -> [UInt8] {
        let speaker: [UInt8] = quote.speaker.map { speaker in
            object([("id", speaker.id.map(string) ?? Array("null".utf8)), ("name", string(speaker.name))])
        } ?? Array("null".utf8)
        return object([
            ("end", number(quote.end)), ("speaker", speaker), ("start", number(quote.start)),
            ("text", string(quote.text)), ("verb", quote.verb.map(string) ?? Array("null".utf8)),
        ])
    }

    static func amount(_ amount: Amount) -> [UInt8] {
        object([
            ("end", number(amount.end)), ("kind", string(amount.kind.rawValue)),
            ("qualifier", amount.qualifier.map(string) ?? Array("null".utf8)), ("start", number(amount.start)),
            ("text", string(amount.text)), ("unit", string(amount.unit)), ("value", double(amount.value)),
        ])
    }

    static func object(_ members: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += string(member.0)
            out.append(UInt8(ascii: ":"))
            out += member.1
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func array(_ values: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += value
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func number(_ value: Int) -> [UInt8] { Array(String(value).utf8) }

    static func double(_ value: Double) -> [UInt8] {
        guard value.isFinite else { return Array("null".utf8) }
        if value == value.rounded(), abs(value) < 1e15 { return Array(String(Int64(value)).utf8) }
        return Array(String(value).utf8)
    }

    static func string(_ value: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
