/// A fixed-size similarity sketch of a text: a b-bit MinHash signature over its word shingles.
///
/// Two sketches estimate the Jaccard similarity of the two texts' shingle sets (see
/// ``TextSketcher/similarity(_:_:)``). A sketch holds ``TextSketch/hashCount`` 8-bit values (128 bytes) and is
/// cheap to copy, compare, store and send between tasks.
///
/// In JSON (`Codable`) a sketch is one lowercase hexadecimal string of 256 digits (2 per value), or the empty
/// string for the sketch of a text without words.
public struct TextSketch: Sendable, Hashable, Codable {
    /// Number of MinHash values in every sketch.
    public static let hashCount = 128

    /// The MinHash values, ``hashCount`` of them; empty for a text without any word.
    public let values: [UInt8]

    /// Whether the sketched text had no words at all. An empty sketch is similar to nothing, not even itself.
    public var isEmpty: Bool { values.isEmpty }

    /// Creates a sketch from stored MinHash values.
    ///
    /// - Parameter values: exactly ``hashCount`` values as produced by ``TextSketcher``, or none for an empty text.
    /// - Throws: ``SimilarityError`` with code `.invalidSketch` for any other number of values.
    public init(values: [UInt8]) throws {
        guard values.isEmpty || values.count == Self.hashCount else {
            throw SimilarityError(
                code: .invalidSketch,
                message:
                    "a text sketch has \(Self.hashCount) values, not \(values.count); it was not made by TextSketcher"
            )
        }
        self.values = values
    }

    /// Creates a sketch without checking the count (callers guarantee it).
    init(uncheckedValues: [UInt8]) {
        values = uncheckedValues
    }

    /// Decodes the hexadecimal form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let hex = try container.decode(String.self)
        guard let values = Self.values(fromHex: hex) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a text sketch is \(Self.hashCount * 2) hexadecimal digits or empty"
            )
        }
        self.values = values
    }

    /// Encodes the hexadecimal form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexString)
    }

    /// The sketch as 256 lowercase hexadecimal digits (empty for an empty sketch).
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 2)
        for value in values {
            out.append(digits[Int(value >> 4)])
            out.append(digits[Int(value & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func values(fromHex hex: String) -> [UInt8]? {
        let bytes = Array(hex.utf8)
        if bytes.isEmpty { return [] }
        guard bytes.count == hashCount * 2 else { return nil }
        var values = [UInt8](repeating: 0, count: hashCount)
        for index in 0..<hashCount {
            var value: UInt8 = 0
            for offset in 0..<2 {
                let byte = bytes[index * 2 + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt8(digit)
            }
            values[index] = value
        }
        return values
    }
}
