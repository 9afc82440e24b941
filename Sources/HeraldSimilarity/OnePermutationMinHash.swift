/// One-permutation MinHash with optimal densification: the fixed sketching scheme behind every ``TextSketch``.
///
/// Each shingle is hashed once (a well-mixed 64-bit hash). The top 7 bits pick one of 128 bins and the other
/// 57 bits are the value; each bin keeps its minimum. For two texts, a bin holds the same minimum with
/// probability equal to the Jaccard similarity J of their shingle sets, as with 128 independent hash functions,
/// but at the cost of one hash per shingle instead of 128. Bins that no shingle reached (short texts) are filled
/// from other bins by "optimal densification" (Shrivastava, 2017): empty bin `i` copies the first non-empty bin
/// of a pseudo-random sequence that depends only on `i`, so the agreement probability stays J.
///
/// Finally each bin keeps 8 well-mixed bits of its minimum (b-bit MinHash): two texts agree on a value with
/// probability J + (1 − J)/256, and ``TextSketcher`` corrects for that chance agreement.
///
/// Everything here is fixed: sketches are persisted, so changing a constant makes stored sketches incomparable
/// with new ones (the index format version must then change).
struct OnePermutationMinHash {
    static let binBits: UInt64 = 7
    static let valueMask: UInt64 = (1 << (64 - binBits)) - 1

    /// Chance that two different minima still give the same stored 8-bit value.
    static let chanceAgreement = 1.0 / 256.0

    var minima = [UInt64](repeating: .max, count: TextSketch.hashCount)

    /// Folds one shingle hash into its bin.
    @inline(__always)
    mutating func absorb(_ shingle: UInt64) {
        let bin = Int(truncatingIfNeeded: shingle >> (64 - Self.binBits))
        let value = shingle & Self.valueMask
        if value < minima[bin] { minima[bin] = value }
    }

    /// The 8-bit sketch values, after densification. At least one shingle must have been absorbed.
    func finalValues() -> [UInt8] {
        let count = minima.count
        var filled = minima
        for bin in 0..<count where minima[bin] == .max {
            var attempt: UInt64 = 0
            while true {
                let probe = HashMixing.mix(UInt64(bin) << 32 | attempt ^ 0x6465_6e73_6966_7900)
                let source = Int(truncatingIfNeeded: probe % UInt64(count))
                if minima[source] != .max {
                    filled[bin] = minima[source]
                    break
                }
                attempt += 1
                if attempt > 100_000 {  // unreachable in practice (≥ 1 of 128 bins is set); keeps the loop finite
                    filled[bin] = minima.first { $0 != .max } ?? 0
                    break
                }
            }
        }
        return filled.map { UInt8(truncatingIfNeeded: HashMixing.mix($0) >> 56) }
    }
}
