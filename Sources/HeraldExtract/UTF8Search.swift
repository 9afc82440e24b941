#if canImport(Glibc)
import Glibc
#endif

/// Byte-level string tests for the extractor's hot paths, free of Foundation.
///
/// Searches compare UTF-8 code units literally (no Unicode equivalence), which is what a literal search of
/// normalised text means; they never allocate for native strings.
extension String {
    /// Whether `needle` occurs in `self` as a run of UTF-8 bytes (false for an empty needle, as in Foundation).
    @inline(__always)
    func containsUTF8(_ needle: String) -> Bool {
        var copy = self
        var needleCopy = needle
        return copy.withUTF8 { haystack in
            needleCopy.withUTF8 { needle in UTF8Search.contains(haystack, needle) }
        }
    }

    /// Whether `self` starts with the UTF-8 bytes of `prefix`.
    @inline(__always)
    func hasPrefixUTF8(_ prefix: String) -> Bool {
        var copy = self
        var prefixCopy = prefix
        return copy.withUTF8 { text in
            prefixCopy.withUTF8 { prefix in
                prefix.count <= text.count
                    && (prefix.isEmpty || memcmp(text.baseAddress!, prefix.baseAddress!, prefix.count) == 0)
            }
        }
    }

    /// The first (or last) range where `needle`'s UTF-8 bytes occur; nil when absent or `needle` is empty.
    func rangeUTF8(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        var copy = self
        var needleCopy = needle
        let offset: Int? = copy.withUTF8 { haystack in
            needleCopy.withUTF8 { needle in
                guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
                let last = haystack.count - needle.count
                let positions = backwards ? Array(stride(from: last, through: 0, by: -1)) : Array(0...last)
                for i in positions where haystack[i] == needle[0] {
                    if memcmp(haystack.baseAddress! + i, needle.baseAddress!, needle.count) == 0 { return i }
                }
                return nil
            }
        }
        guard let offset else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: offset)
        let upper = utf8.index(lower, offsetBy: needle.utf8.count)
        return lower..<upper
    }

    /// The pieces between non-overlapping occurrences of `separator` (UTF-8 bytes), like Foundation's
    /// `components(separatedBy:)`: empty pieces are kept, and a string without the separator is one piece.
    func componentsUTF8(separatedBy separator: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(self)
        while let range = String(rest).rangeUTF8(of: separator) {
            let text = String(rest)
            pieces.append(String(text[..<range.lowerBound]))
            rest = Substring(text[range.upperBound...])
        }
        pieces.append(String(rest))
        return pieces
    }

    /// `lowercased()`, with a fast path that folds ASCII bytes when no other scalar changes when lowercased
    /// (ASCII text, and most text in scripts without case: CJK, Hangul, Arabic, Devanagari…).
    func lowercasedFast() -> String {
        var copy = self
        let result: String? = copy.withUTF8 { bytes in
            var hasUpper = false
            var hasNonASCII = false
            for byte in bytes {
                if byte >= 0x80 { hasNonASCII = true } else if byte >= 0x41 && byte <= 0x5A { hasUpper = true }
            }
            if hasNonASCII {
                for scalar in unicodeScalars where scalar.value >= 0x80 && scalar.properties.changesWhenLowercased {
                    return nil
                }
            }
            if !hasUpper { return self }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for i in 0..<bytes.count {
                    let byte = bytes[i]
                    out[i] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                }
                return bytes.count
            }
        }
        return result ?? lowercased()
    }
}

enum UTF8Search {
    /// Skips ASCII eight bytes at a time from `from`: the returned index is at or before the first byte of 0x80 or
    /// above (or past the last whole word of ASCII), never after it.
    @inline(__always)
    static func skippingASCIIWords(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = bytes.baseAddress else { return from }
        let raw = UnsafeRawPointer(base)
        var i = from
        while i + 8 <= bytes.count,
            raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
        {
            i += 8
        }
        return i
    }

    /// Whether `needle` occurs in `haystack`; like Foundation's search, an empty needle never does.
    @inline(__always)
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if needle.isEmpty { return false }
        if needle.count > haystack.count { return false }
        let first = needle[0]
        let rest = needle.count - 1
        let base = haystack.baseAddress!
        let needleRest = needle.baseAddress! + 1
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            // memchr finds the next candidate first byte quickly.
            guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return false }
            let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if rest == 0 || memcmp(base + position + 1, needleRest, rest) == 0 { return true }
            i = position + 1
        }
        return false
    }
}

/// A string compared and hashed by its UTF-8 bytes (for text already in one normal form).
struct UTF8Key: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: UTF8Key, b: UTF8Key) -> Bool {
        var x = a.text
        var y = b.text
        return x.withUTF8 { p in
            y.withUTF8 { q in
                p.count == q.count && (p.isEmpty || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
