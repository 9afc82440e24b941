/// How the index cuts a 128-value signature into LSH bands, and the similarity a match must reach.
///
/// Two sketches become candidates when all `rows` values of at least one of `bands` bands agree, which happens
/// with probability 1 − (1 − p^rows)^bands when each value agrees with probability p (≈ the Jaccard similarity).
struct BandLayout: Sendable, Equatable {
    var threshold: Double
    var bands: Int
    var rows: Int

    /// Fewest agreeing values whose estimate reaches the threshold.
    var minimumAgreeing: Int {
        var agreeing = 0
        while agreeing < TextSketch.hashCount && TextSketcher.estimate(agreeing: agreeing) < threshold {
            agreeing += 1
        }
        return agreeing
    }

    /// Chance that a pair with per-value agreement `p` shares at least one band.
    static func candidateProbability(_ p: Double, bands: Int, rows: Int) -> Double {
        var pRows = 1.0
        for _ in 0..<rows { pRows *= p }
        var miss = 1.0
        for _ in 0..<bands { miss *= 1 - pRows }
        return 1 - miss
    }

    /// The layout for a threshold: the widest bands (fewest tables, fewest chance candidates) that still make a
    /// pair exactly at the threshold a candidate with probability at least 0.85. For 0.5 that is 32 bands of 4
    /// rows (0.87 at 0.5, 0.987 at 0.6, 0.9995 at 0.7).
    static func forThreshold(_ threshold: Double) -> BandLayout {
        var best = BandLayout(threshold: threshold, bands: TextSketch.hashCount, rows: 1)
        for rows in 1...TextSketch.hashCount {
            let bands = TextSketch.hashCount / rows
            if candidateProbability(threshold, bands: bands, rows: rows) >= 0.85 {
                best = BandLayout(threshold: threshold, bands: bands, rows: rows)
            } else {
                break
            }
        }
        return best
    }

    func validate() throws {
        guard threshold > 0 && threshold <= 1 else {
            throw SimilarityError(
                code: .invalidArgument,
                message: "near-duplicate threshold \(threshold) is out of range; use a value in (0, 1], such as 0.5")
        }
        guard bands >= 1, rows >= 1, bands * rows <= TextSketch.hashCount else {
            throw SimilarityError(
                code: .invalidArgument,
                message: "\(bands) bands of \(rows) rows do not fit in \(TextSketch.hashCount) sketch values")
        }
    }
}
