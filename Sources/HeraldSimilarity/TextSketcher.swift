/// Makes ``TextSketch``es of article texts and compares them.
///
/// The sketch is a 128-value MinHash (one-permutation, densified; see ``OnePermutationMinHash``) over the set
/// of 5-word shingles of the text (see ``shingleSize``), so ``similarity(_:_:)`` estimates the Jaccard similarity
/// of two texts' shingle sets with a standard error of about √(J(1−J)/128) (±0.044 at J = 0.5) for texts of
/// 130 words or more; shorter texts have fewer shingles than bins, and their estimates are noisier. Word splitting is Unicode-aware and case-insensitive; punctuation
/// is dropped; text in Chinese, Japanese, Thai and similar scripts is shingled as character 5-grams.
/// Pure and thread-safe; no Foundation.
public enum TextSketcher {
    /// Number of consecutive tokens (words, or characters in unspaced scripts) in one shingle.
    public static let shingleSize = 5

    /// Sketches `text`. A text without any word gives an empty sketch, which matches nothing.
    public static func sketch(_ text: String) -> TextSketch {
        sketch(text, shingleSize: shingleSize)
    }

    static func sketch(_ text: String, shingleSize: Int) -> TextSketch {
        var minHash = OnePermutationMinHash()
        let tokens = ShingleScanner(shingleSize: shingleSize).forEachShingle(in: text) { minHash.absorb($0) }
        if tokens == 0 { return TextSketch(uncheckedValues: []) }
        return TextSketch(uncheckedValues: minHash.finalValues())
    }

    /// Estimated Jaccard similarity of the texts behind two sketches, in 0...1 (0 if either is empty).
    public static func similarity(_ a: TextSketch, _ b: TextSketch) -> Double {
        guard a.values.count == TextSketch.hashCount, b.values.count == TextSketch.hashCount else { return 0 }
        let agreeing = a.values.withUnsafeBufferPointer { left in
            b.values.withUnsafeBufferPointer { right in
                agreementCount(left.baseAddress!, right.baseAddress!)
            }
        }
        return estimate(agreeing: agreeing)
    }

    /// Number of positions where two 128-value signatures agree (16 bytes at a time).
    @inline(__always)
    static func agreementCount(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>) -> Int {
        let a = UnsafeRawPointer(left)
        let b = UnsafeRawPointer(right)
        var lanes = SIMD16<UInt8>()
        let one = SIMD16<UInt8>(repeating: 1)
        for block in 0..<(TextSketch.hashCount / 16) {
            let x = a.loadUnaligned(fromByteOffset: block * 16, as: SIMD16<UInt8>.self)
            let y = b.loadUnaligned(fromByteOffset: block * 16, as: SIMD16<UInt8>.self)
            lanes &+= one.replacing(with: 0, where: x .!= y)
        }
        return Int(lanes.wrappedSum())
    }

    /// Jaccard estimate from an agreement count, corrected for chance agreement of 8-bit values.
    @inline(__always)
    static func estimate(agreeing: Int) -> Double {
        let fraction = Double(agreeing) / Double(TextSketch.hashCount)
        let chance = OnePermutationMinHash.chanceAgreement
        return max(0, (fraction - chance) / (1 - chance))
    }
}
