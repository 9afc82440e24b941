/// The fixed family of hash functions behind every ``TextSketch``.
///
/// Function `i` maps a (well-mixed) 64-bit shingle hash `x` to `(x ^ seeds[i]) &* multipliers[i]`, a bijection
/// whose high bits depend on every bit of `x`. The sketch keeps, for each function, the minimum over all shingles
/// and stores 8 well-mixed bits of that minimum (b-bit MinHash): two texts agree on value `i` with probability
/// J + (1 − J)/256, where J is their Jaccard similarity; ``TextSketcher`` corrects for that chance agreement.
enum MinHashFamily {
    static let multipliers: [UInt64] = {
        var state: UInt64 = 0x4865_7261_6c64_4d48  // "HeraldMH"
        return (0..<TextSketch.hashCount).map { _ in HashMixing.splitMix(&state) | 1 }
    }()

    static let seeds: [UInt64] = {
        var state: UInt64 = 0x5365_6564_7321_2121
        return (0..<TextSketch.hashCount).map { _ in HashMixing.splitMix(&state) }
    }()

    /// Chance that two different minima still give the same stored 8-bit value.
    static let chanceAgreement = 1.0 / 256.0

    /// Folds one shingle hash into the running minima (`minima.count == hashCount`).
    @inline(__always)
    static func absorb(
        _ shingle: UInt64, into minima: UnsafeMutablePointer<UInt64>,
        multipliers: UnsafePointer<UInt64>, seeds: UnsafePointer<UInt64>
    ) {
        for index in 0..<TextSketch.hashCount {
            let value = (shingle ^ seeds[index]) &* multipliers[index]
            if value < minima[index] { minima[index] = value }
        }
    }

    /// The stored 8-bit form of a minimum.
    @inline(__always)
    static func finalValue(_ minimum: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: HashMixing.mix(minimum) >> 56)
    }
}
