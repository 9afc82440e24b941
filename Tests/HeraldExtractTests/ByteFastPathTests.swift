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
        var state: UInt64 = 42
        var out: [String] = ["", " ", "a", "abcdefgh", "abcdefghi", "        ", "a       b"]
        for _ in 0..<2000 {
            var s = ""
            for _ in 0..<Int(nextRandom(&state) % 12) { s += pieces[Int(nextRandom(&state) % UInt64(pieces.count))] }
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
        var state: UInt64 = 7
        var inputs = Self.samples().map { Array($0.utf8) }
        for _ in 0..<2000 {
            var bytes = Array("plain ascii prefix of some length ".utf8).prefix(Int(nextRandom(&state) % 34)).map { $0 }
            for _ in 0..<Int(nextRandom(&state) % 6) { bytes.append(UInt8(truncatingIfNeeded: nextRandom(&state))) }
            bytes += Array("tail".utf8).prefix(Int(nextRandom(&state) % 5))
            inputs.append(bytes)
        }
        for bytes in inputs {
            #expect(CharsetSniffer.isValidUTF8(bytes) == Self.referenceIsValidUTF8(bytes), "\(bytes)")
        }
    }

    /// The standard library's strict UTF-8 validation, plus the sniffer's one allowance: a sequence cut off by
    /// the end of the data (a truncated download) does not make the page non-UTF-8.
    static func referenceIsValidUTF8(_ bytes: [UInt8]) -> Bool {
        if String(validating: bytes, as: UTF8.self) != nil { return true }
        let n = bytes.count
        for p in max(0, n - 3)..<n where String(validating: bytes[..<p], as: UTF8.self) != nil {
            let b = bytes[p]
            let need = (0xC2...0xDF).contains(b) ? 1 : (0xE0...0xEF).contains(b) ? 2 : (0xF0...0xF4).contains(b) ? 3 : 0
            if need > 0 && p + need >= n { return true }
        }
        return false
    }
}

/// A linear congruential step: deterministic numbers, so a failing input can be reproduced.
func nextRandom(_ state: inout UInt64) -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 33
}
