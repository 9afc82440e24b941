/// A parsed JSON value. Used for JSON-LD blocks, which pages often get slightly wrong.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return nil
        }
    }

    var arrayValue: [JSONValue] {
        switch self {
        case .array(let items): return items
        case .null: return []
        default: return [self]
        }
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}

/// A forgiving JSON parser: accepts trailing commas, HTML comment and CDATA wrappers, raw control characters in
/// strings, single-quoted strings and several concatenated top-level values. Returns the values it could read.
///
/// It reads every byte a bounded number of times, whatever the input: an object or array broken part-way keeps
/// the members read so far and the scan resumes where it broke (never from the byte after its start), and a value
/// nested deeper than `maximumDepth` is skipped in one bracket-matching pass and read as null.
struct LenientJSONParser {
    /// Values nested deeper than this are skipped (JSON-LD readers look a few levels down at most).
    static let maximumDepth = 200

    private let bytes: [UInt8]
    private var i = 0
    private var depth = 0
    /// Steps taken (values started, bytes skipped or scanned): a measure of work for tests.
    private(set) var steps = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Parses every top-level value in the text.
    static func parseAll(_ text: String) -> [JSONValue] {
        var parser = LenientJSONParser(text)
        return parser.parseTopLevel()
    }

    /// `parseAll` and the steps it took.
    static func parseAllCountingSteps(_ text: String) -> (values: [JSONValue], steps: Int) {
        var parser = LenientJSONParser(text)
        let values = parser.parseTopLevel()
        return (values, parser.steps)
    }

    private mutating func parseTopLevel() -> [JSONValue] {
        var values: [JSONValue] = []
        while true {
            // Skip to the next object or array start: this steps over comments, CDATA markers and junk.
            while i < bytes.count, bytes[i] != UInt8(ascii: "{"), bytes[i] != UInt8(ascii: "[") {
                i += 1
                steps += 1
            }
            if i >= bytes.count { break }
            let start = i
            if let value = parseValue() { values.append(value) }
            // Resume where the value ended or broke; never rescan what was read.
            if i <= start { i = start + 1 }
        }
        return values
    }

    /// Skips the object or array at `i` by matching brackets (strings respected), without building it.
    private mutating func skipNested() {
        var open = 0
        while i < bytes.count {
            let b = bytes[i]
            steps += 1
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                i += 1
                while i < bytes.count, bytes[i] != b {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                    steps += 1
                }
                i += 1
                continue
            }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                open += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                open -= 1
                if open == 0 {
                    i += 1
                    return
                }
            }
            i += 1
        }
    }

    private mutating func skipWhitespace() {
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C {
                i += 1
            } else if b == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "/") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            } else if b == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) {
                    i += 1
                }
                i += 2
            } else {
                break
            }
        }
    }

    private mutating func parseValue() -> JSONValue? {
        skipWhitespace()
        steps += 1
        guard i < bytes.count else { return nil }
        if depth >= Self.maximumDepth, bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") {
            skipNested()
            return .null
        }
        switch bytes[i] {
        case UInt8(ascii: "{"): return parseObject()
        case UInt8(ascii: "["): return parseArray()
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return parseString().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return parseNumber()
        }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) -> JSONValue? {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return nil }
        i += w.count
        return value
    }

    private mutating func parseNumber() -> JSONValue? {
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            {
                i += 1
            } else {
                break
            }
        }
        guard i > start, let d = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { return nil }
        return .number(d)
    }

    private mutating func parseObject() -> JSONValue? {
        i += 1
        depth += 1
        defer { depth -= 1 }
        var members: [String: JSONValue] = [:]
        while true {
            skipWhitespace()
            guard i < bytes.count else { return .object(members) }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            // Broken part-way: keep what was read; the caller resumes at `i`.
            guard bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'"), let key = parseString() else {
                return .object(members)
            }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return .object(members) }
            i += 1
            guard let value = parseValue() else { return .object(members) }
            if members[key] == nil { members[key] = value }
        }
    }

    private mutating func parseArray() -> JSONValue? {
        i += 1
        depth += 1
        defer { depth -= 1 }
        var items: [JSONValue] = []
        while true {
            skipWhitespace()
            guard i < bytes.count else { return .array(items) }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard let value = parseValue() else { return .array(items) }
            items.append(value)
        }
    }

    private mutating func parseString() -> String? {
        let quote = bytes[i]
        i += 1
        var out = [UInt8]()
        var pendingHighSurrogate: UInt32? = nil
        while i < bytes.count {
            let b = bytes[i]
            if b == quote {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"), UInt8(ascii: "f"): out.append(0x20)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self),
                        radix: 16)
                    else { continue }
                    i += 4
                    if code >= 0xD800 && code < 0xDC00 {
                        pendingHighSurrogate = code
                        continue
                    }
                    var scalarValue = code
                    if code >= 0xDC00 && code < 0xE000 {
                        guard let high = pendingHighSurrogate else { continue }
                        scalarValue = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
                    }
                    pendingHighSurrogate = nil
                    if let scalar = Unicode.Scalar(scalarValue) { out.append(contentsOf: Array(String(scalar).utf8)) }
                default: out.append(e)
                }
                continue
            }
            out.append(b)
            i += 1
        }
        return nil
    }
}
