import Foundation
import HeraldSimilarity
import HeraldStore

/// The near-duplicate index as stored in `<state>/neardup.idx`: a magic, the change-log seq it reflects, then the
/// index's own serialization. Written at clean shutdown; after a crash the events since that seq are replayed.
enum NearDuplicateFile {
    static let magic: [UInt8] = Array("HRLDNDX1".utf8)

    static func path(_ store: StateStore) -> String { store.directory + "/neardup.idx" }

    static func load(_ store: StateStore, threshold: Double) -> (index: NearDuplicateIndex, appliedSeq: UInt64)? {
        guard let bytes = try? AtomicFile.read(path(store)), bytes.count >= 16, Array(bytes[0..<8]) == magic else {
            return nil
        }
        var seq: UInt64 = 0
        for i in 0..<8 { seq |= UInt64(bytes[8 + i]) << (8 * UInt64(i)) }
        guard let index = try? NearDuplicateIndex(serialized: Array(bytes[16...]), threshold: threshold) else { return nil }
        return (index, seq)
    }

    static func save(_ index: NearDuplicateIndex, appliedSeq: UInt64, to store: StateStore) throws {
        var bytes = magic
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: appliedSeq >> (8 * UInt64(i)))) }
        bytes.append(contentsOf: index.serialized())
        try AtomicFile.write(bytes, to: path(store))
    }
}

/// Near-duplicate detection as the ledger uses it.
struct NearDuplicateDetector: Sendable {
    let threshold: Double
    let minimumWords: Int

    /// A sketch of `text`, or nil when it is too short to compare reliably.
    func sketch(_ text: String) -> TextSketch? {
        var words = 0
        var inWord = false
        for byte in text.utf8 {
            let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !space && !inWord { words += 1 }
            inWord = !space
            if words >= minimumWords { break }
        }
        // Scripts written without spaces count by characters.
        if words < minimumWords && text.unicodeScalars.count / 3 < minimumWords { return nil }
        let sketch = TextSketcher.sketch(text)
        return sketch.isEmpty ? nil : sketch
    }
}
