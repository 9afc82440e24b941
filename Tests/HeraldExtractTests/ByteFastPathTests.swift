import Testing

@testable import HeraldExtract

/// The word-at-a-time fast paths must agree with the plain byte loops they replace, on every kind of input.
@Suite struct ByteFastPathTests {
    /// Strings mixing ASCII words, control bytes, multi-byte white space and other scripts, at many lengths so
    /// that runs cross eight-byte boundaries.
    static func samples() -> [String] {
        let pieces = [
            "word", " ", "  ", "\t", "\n", "\r\n", "\u{A0}", "\u{2009}", "\u{3000}", "\u{85}", "\u{1680}", "\u{202F}",
            "é", "Жизнь", "한국어", "日本語", "😀", "\u{1}", "\u{7F}", "x", "longerwordwithoutspaces", ".", "e\u{301}",
        ]
        var generator = ByteSplitMix(seed: 42)
        var out: [String] = ["", " ", "a", "abcdefgh", "abcdefghi", "        ", "a       b"]
        for _ in 0..<2000 {
            var s = ""
            for _ in 0..<Int(generator.next() % 12) { s += pieces[Int(generator.next() % UInt64(pieces.count))] }
            out.append(s)
        }
        return out
    }

    @Test func visibleLengthMatchesByteLoop() {
        for sample in Self.samples() {
            let bytes = Array(sample.utf8)
            let expected = bytes.filter { $0 > 0x20 && ($0 & 0xC0) != 0x80 }.count
            let got = bytes.withUnsafeBufferPointer { MainTextExtractor.visibleLength($0) }
            #expect(got == expected, "\(sample.debugDescription)")
        }
    }

    @Test func collapseMatchesReference() {
        for sample in Self.samples() {
            var copy = sample
            let got = copy.withUTF8 { TextNormalizer.collapse($0) }
            let words = sample.unicodeScalars.split(whereSeparator: TextNormalizer.isWhitespace).map {
                String(String.UnicodeScalarView($0))
            }
            #expect(got == words.joined(separator: " "), "\(sample.debugDescription)")
        }
    }

    @Test func utf8ValidationMatchesStandardLibrary() {
        var generator = ByteSplitMix(seed: 7)
        var inputs = Self.samples().map { Array($0.utf8) }
        for _ in 0..<2000 {
            var bytes = Array("plain ascii prefix of some length ".utf8).prefix(Int(generator.next() % 34)).map { $0 }
            for _ in 0..<Int(generator.next() % 6) { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
            bytes += Array("tail".utf8).prefix(Int(generator.next() % 5))
            inputs.append(bytes)
        }
        for bytes in inputs {
            #expect(CharsetSniffer.isValidUTF8(bytes) == Self.referenceIsValidUTF8(bytes), "\(bytes)")
        }
    }

    /// The byte-at-a-time check the fast path replaced (a sequence cut off by the end of the data counts as valid).
    static func referenceIsValidUTF8(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let need: Int
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
            if i + need >= bytes.count { return true }
            if bytes[i + 1] < lower || bytes[i + 1] > upper { return false }
            for k in 2...max(2, need) where k <= need && (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) { return false }
            i += need + 1
        }
        return true
    }
}

/// A small deterministic generator (tests must not depend on the system's random numbers).
struct ByteSplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
