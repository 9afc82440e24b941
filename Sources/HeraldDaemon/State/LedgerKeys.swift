/// A content hash held as the first 16 of its 32 bytes: the ledger keeps one per stored text in memory. 128 bits
/// of SHA-256 keep collisions out of reach (about 10^-29 for a million texts).
struct HashKey: Hashable, Sendable {
    private let a: UInt64, b: UInt64

    /// Parses 64 hex digits (a SHA-256); nil for anything else.
    init?(hex: String) {
        guard hex.utf8.count == 64, let a = HexWord.parse(hex.prefix(16)), let b = HexWord.parse(hex.dropFirst(16).prefix(16)),
            hex.utf8.dropFirst(32).allSatisfy({ Self.nibble($0) != nil })
        else { return nil }
        (self.a, self.b) = (a, b)
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }
}

/// Sixteen hex digits of a 64-bit word.
enum HexWord {
    static func format(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Parses exactly 16 hex digits.
    static func parse<S: StringProtocol>(_ text: S) -> UInt64? {
        guard text.utf8.count == 16 else { return nil }
        var value: UInt64 = 0
        for byte in text.utf8 {
            guard let nibble = HashKey.nibble(byte) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }
}

/// Interned strings: each distinct string once, referred to by a 32-bit number.
struct Interner: Sendable {
    private var numbers: [String: UInt32] = [:]
    private var strings: [String] = []

    mutating func number(_ s: String) -> UInt32 {
        if let n = numbers[s] { return n }
        let n = UInt32(strings.count)
        strings.append(s)
        numbers[s] = n
        return n
    }

    func string(_ n: UInt32) -> String { strings[Int(n)] }
}

/// An article id (`a` + 16 hex digits) without a heap allocation; any other spelling keeps its string.
enum ArticleRef: Hashable, Sendable {
    case standard(UInt64)
    case other(String)

    init(_ id: String) {
        if id.utf8.count == 17, id.utf8.first == 0x61, let value = HexWord.parse(id.dropFirst()) {
            self = .standard(value)
        } else {
            self = .other(id)
        }
    }

    var id: String {
        switch self {
        case .standard(let value): return "a" + HexWord.format(value)
        case .other(let id): return id
        }
    }
}
