/// Splits a text into tokens and hands out a hash for every shingle of `shingleSize` consecutive tokens.
///
/// Tokens are words: maximal runs of letters, digits and combining marks, lowercased, with apostrophes, soft
/// hyphens and zero-width (non-)joiners inside a word ignored ("Putin’s" and "putins" are one token). Everything
/// else (punctuation, symbols, spaces) separates words and is dropped. Scripts written without spaces (Han, kana,
/// Thai, Lao, Khmer, Myanmar) give one token per character, so their shingles are character n-grams; a word of
/// any other script longer than ``longRunLimit`` characters is also split into characters, which covers text in
/// spaced scripts that lost its spaces.
struct ShingleScanner {
    /// Words longer than this many Unicode scalars are treated as unspaced text.
    static let longRunLimit = 24

    let shingleSize: Int

    init(shingleSize: Int) {
        precondition(shingleSize >= 1 && shingleSize <= 16, "shingle size must be in 1...16")
        self.shingleSize = shingleSize
    }

    /// Calls `body` with the hash of every shingle of `text`, in text order (repeats included).
    ///
    /// A text with at least one token but fewer than `shingleSize` gives a single shingle of all its tokens.
    /// Returns the number of tokens.
    @discardableResult
    func forEachShingle(in text: String, _ body: (UInt64) -> Void) -> Int {
        var state = ScanState(shingleSize: shingleSize)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x61...0x7a, 0x30...0x39:  // a-z, 0-9
                    state.word.append(value)
                case 0x41...0x5a:  // A-Z
                    state.word.append(value | 0x20)
                case 0x27:  // apostrophes never split a word
                    break
                default:
                    if !state.word.isEmpty { state.flushWord(body) }
                }
                continue
            }
            switch value {
            case 0x2019, 0x00ad, 0x200c, 0x200d:  // right single quote, soft hyphen, ZWNJ, ZWJ
                continue
            default:
                break
            }
            if Self.isUnspacedScript(value) {
                if !state.word.isEmpty { state.flushWord(body) }
                state.emitToken(Self.characterTokenHash(value), body)
                continue
            }
            let properties = scalar.properties
            if properties.isAlphabetic || Self.isWordCategory(properties.generalCategory) {
                if properties.changesWhenLowercased {
                    for lower in properties.lowercaseMapping.unicodeScalars { state.word.append(lower.value) }
                } else {
                    state.word.append(value)
                }
            } else if !state.word.isEmpty {
                state.flushWord(body)
            }
        }
        if !state.word.isEmpty { state.flushWord(body) }
        if state.tokenCount > 0 && state.tokenCount < shingleSize {
            body(state.shingleHash(endingAt: state.tokenCount - 1, length: state.tokenCount))
        }
        return state.tokenCount
    }

    /// The scanner's working state: the current word and a ring of the last 16 token hashes.
    /// (A struct with mutating methods, so that the compiler checks exclusive access statically.)
    struct ScanState {
        let shingleSize: Int
        var recent = [UInt64](repeating: 0, count: 16)
        var tokenCount = 0
        var word: [UInt32] = []

        init(shingleSize: Int) {
            self.shingleSize = shingleSize
            word.reserveCapacity(64)
        }

        @inline(__always)
        func shingleHash(endingAt last: Int, length: Int) -> UInt64 {
            var h: UInt64 = 0x6a09_e667_f3bc_c908 ^ UInt64(length)
            var position = last - length + 1
            while position <= last {
                h = (h ^ recent[position & 15]) &* 0x9e37_79b9_7f4a_7c15
                h = (h << 27) | (h >> 37)
                position += 1
            }
            return HashMixing.mix(h)
        }

        @inline(__always)
        mutating func emitToken(_ tokenHash: UInt64, _ body: (UInt64) -> Void) {
            recent[tokenCount & 15] = tokenHash
            if tokenCount >= shingleSize - 1 {
                body(shingleHash(endingAt: tokenCount, length: shingleSize))
            }
            tokenCount += 1
        }

        mutating func flushWord(_ body: (UInt64) -> Void) {
            if word.count > ShingleScanner.longRunLimit {
                for index in word.indices { emitToken(ShingleScanner.characterTokenHash(word[index]), body) }
            } else {
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for scalar in word { h = (h ^ UInt64(scalar)) &* 0x0000_0100_0000_01b3 }
                emitToken(HashMixing.mix(h ^ UInt64(word.count)), body)
            }
            word.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    static func characterTokenHash(_ scalar: UInt32) -> UInt64 {
        HashMixing.mix(UInt64(scalar) ^ 0x5851_f42d_4c95_7f2d)
    }

    static func isWordCategory(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// Scripts normally written without spaces between words.
    @inline(__always)
    static func isUnspacedScript(_ value: UInt32) -> Bool {
        switch value {
        case 0x0e00...0x0eff,  // Thai, Lao
            0x1000...0x109f,  // Myanmar
            0x1780...0x17ff,  // Khmer
            0x3040...0x30ff,  // Hiragana, Katakana
            0x31f0...0x31ff,  // Katakana phonetic extensions
            0x3400...0x4dbf,  // CJK extension A
            0x4e00...0x9fff,  // CJK unified ideographs
            0xf900...0xfaff,  // CJK compatibility ideographs
            0xff66...0xff9f,  // half-width katakana
            0x20000...0x3134f:  // CJK extensions B-G
            return true
        default:
            return false
        }
    }
}
