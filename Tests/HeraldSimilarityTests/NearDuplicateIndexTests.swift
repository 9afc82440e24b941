import Testing

@testable import HeraldSimilarity

@Suite struct NearDuplicateIndexTests {
    static let tramCopies = [
        NearCopy.newHeadlineDroppingParagraph(
            ArticleSamples.tramReportA, index: 3, headline: "Riverside says yes to the eastern tram"),
        NearCopy.newHeadlineAddingParagraph(
            ArticleSamples.tramReportA, index: 5, headline: "Tram line approved",
            paragraph: ArticleSamples.newParagraph),
        NearCopy.withFurniture(ArticleSamples.tramReportA, lines: ArticleSamples.furnitureLines),
    ]

    @Test func defaultLayout() {
        let index = NearDuplicateIndex()
        #expect(index.threshold == 0.5)
        #expect(index.bands == 32 && index.rows == 4)
        let strict = NearDuplicateIndex(threshold: 0.8)
        #expect(strict.bands * strict.rows <= TextSketch.hashCount)
        #expect(strict.rows > index.rows)
    }

    @Test func invalidLayoutsAreRejected() {
        #expect(throws: SimilarityError.self) { try NearDuplicateIndex(threshold: 0, bands: 32, rows: 4) }
        #expect(throws: SimilarityError.self) { try NearDuplicateIndex(threshold: 1.5, bands: 32, rows: 4) }
        #expect(throws: SimilarityError.self) { try NearDuplicateIndex(threshold: 0.5, bands: 40, rows: 4) }
        #expect(throws: Never.self) { try NearDuplicateIndex(threshold: 0.6, bands: 25, rows: 5) }
    }

    @Test func nearCopiesMatchAndSameTopicArticlesDoNot() {
        let index = NearDuplicateIndex()
        index.insert(id: "a-tram", sketch: TextSketcher.sketch(ArticleSamples.tramReportA))
        index.insert(id: "a-chinese", sketch: TextSketcher.sketch(ArticleSamples.chineseReportA))
        for copy in Self.tramCopies {
            let match = index.bestMatch(for: TextSketcher.sketch(copy))
            #expect(match?.id == "a-tram")
            #expect((match?.similarity ?? 0) >= index.threshold)
        }
        #expect(index.bestMatch(for: TextSketcher.sketch(ArticleSamples.tramReportB)) == nil)
        #expect(index.bestMatch(for: TextSketcher.sketch(ArticleSamples.chineseReportB)) == nil)
        let chineseCopy = NearCopy.newHeadlineDroppingParagraph(
            ArticleSamples.chineseReportA, index: 2, headline: "新标题")
        #expect(index.bestMatch(for: TextSketcher.sketch(chineseCopy))?.id == "a-chinese")
    }

    @Test func exactCopyHasSimilarityOneAndCanBeExcluded() {
        let index = NearDuplicateIndex()
        let sketch = TextSketcher.sketch(ArticleSamples.tramReportA)
        index.insert(id: "first", sketch: sketch)
        #expect(index.bestMatch(for: sketch) == NearDuplicateMatch(id: "first", similarity: 1))
        #expect(index.bestMatch(for: sketch, excluding: "first") == nil)
        index.insert(id: "second", sketch: TextSketcher.sketch(Self.tramCopies[0]))
        #expect(index.bestMatch(for: sketch, excluding: "first")?.id == "second")
        #expect(index.bestMatch(for: sketch, excluding: "unknown")?.id == "first")
    }

    @Test func bestOfSeveralCandidatesWins() {
        let index = NearDuplicateIndex()
        index.insert(id: "furniture", sketch: TextSketcher.sketch(Self.tramCopies[2]))
        index.insert(id: "trimmed", sketch: TextSketcher.sketch(Self.tramCopies[0]))
        index.insert(id: "original", sketch: TextSketcher.sketch(ArticleSamples.tramReportA))
        #expect(index.bestMatch(for: TextSketcher.sketch(ArticleSamples.tramReportA))?.id == "original")
    }

    @Test func insertReplacesAndRemoveForgets() {
        let index = NearDuplicateIndex()
        index.insert(id: "x", sketch: TextSketcher.sketch(ArticleSamples.tramReportA))
        index.insert(id: "y", sketch: TextSketcher.sketch(ArticleSamples.chineseReportB))
        index.insert(id: "x", sketch: TextSketcher.sketch(ArticleSamples.tramReportB))
        #expect(index.count == 2)
        #expect(index.bestMatch(for: TextSketcher.sketch(ArticleSamples.tramReportA)) == nil)
        #expect(index.bestMatch(for: TextSketcher.sketch(ArticleSamples.tramReportB))?.id == "x")
        index.remove(id: "x")
        index.remove(id: "never-stored")
        #expect(index.count == 1)
        #expect(!index.contains(id: "x") && index.contains(id: "y"))
        #expect(index.bestMatch(for: TextSketcher.sketch(ArticleSamples.tramReportB)) == nil)
        #expect(index.bestMatch(for: TextSketcher.sketch(ArticleSamples.chineseReportB))?.id == "y")
    }

    @Test func reservedCapacityKeepsAnswers() throws {
        let index = NearDuplicateIndex()
        var generator = SplitMix(seed: 3)
        let sketches = (0..<200).map { _ in randomSketch(&generator) }
        for (number, sketch) in sketches.prefix(100).enumerated() { index.insert(id: "n\(number)", sketch: sketch) }
        index.reserveCapacity(5000)
        let reservedSize = index.memoryBytes
        #expect(reservedSize > index.bands * 4 * 5000)  // band tables alone: 4 bytes × bands × (5000 / 0.7) slots
        for (number, sketch) in sketches.enumerated().dropFirst(100) { index.insert(id: "n\(number)", sketch: sketch) }
        #expect(index.count == 200)
        for (number, sketch) in sketches.enumerated() { #expect(index.bestMatch(for: sketch)?.id == "n\(number)") }
        // No growth happened: the tables were already big enough (only the entry arrays grew).
        #expect(index.memoryBytes < reservedSize + 100 * 1024)
        let loaded = try NearDuplicateIndex(serialized: index.serialized())
        #expect(loaded.bestMatch(for: sketches[150])?.id == "n150")
    }

    @Test func emptySketchesAreNotStored() {
        let index = NearDuplicateIndex()
        index.insert(id: "blank", sketch: TextSketcher.sketch("   "))
        #expect(index.count == 0)
        #expect(index.bestMatch(for: TextSketcher.sketch("")) == nil)
    }

    @Test func serializationRoundTrip() throws {
        let index = NearDuplicateIndex(threshold: 0.6)
        var generator = SplitMix(seed: 7)
        let sketches = (0..<500).map { _ in randomSketch(&generator) }
        for (number, sketch) in sketches.enumerated() { index.insert(id: "article-\(number)-é", sketch: sketch) }
        for number in stride(from: 0, to: 500, by: 3) { index.remove(id: "article-\(number)-é") }
        index.insert(id: "tram", sketch: TextSketcher.sketch(ArticleSamples.tramReportA))

        let bytes = index.serialized()
        let loaded = try NearDuplicateIndex(serialized: bytes)
        #expect(loaded.count == index.count)
        #expect(loaded.threshold == 0.6 && loaded.bands == index.bands && loaded.rows == index.rows)
        #expect(loaded.serialized() == bytes)
        for (number, sketch) in sketches.enumerated() {
            let expected = number % 3 == 0 ? nil : NearDuplicateMatch(id: "article-\(number)-é", similarity: 1)
            #expect(loaded.bestMatch(for: sketch) == expected)
        }
        #expect(loaded.bestMatch(for: TextSketcher.sketch(Self.tramCopies[1]))?.id == "tram")
        loaded.remove(id: "tram")
        loaded.insert(id: "again", sketch: sketches[0])
        #expect(loaded.bestMatch(for: sketches[0])?.id == "again")
        #expect(try NearDuplicateIndex(serialized: NearDuplicateIndex().serialized()).count == 0)
    }

    @Test func loadingWithAnotherThresholdRelaysTheBands() throws {
        let index = NearDuplicateIndex()
        index.insert(id: "tram", sketch: TextSketcher.sketch(ArticleSamples.tramReportA))
        index.insert(id: "chinese", sketch: TextSketcher.sketch(ArticleSamples.chineseReportA))
        let furnished = TextSketcher.sketch(Self.tramCopies[2])
        let similarity = try #require(index.bestMatch(for: furnished)).similarity
        let bytes = index.serialized()

        let stricter = try NearDuplicateIndex(serialized: bytes, threshold: (similarity + 1) / 2)
        #expect(stricter.bands != index.bands)
        #expect(stricter.count == 2)
        #expect(stricter.bestMatch(for: furnished) == nil)
        #expect(stricter.bestMatch(for: TextSketcher.sketch(ArticleSamples.tramReportA))?.id == "tram")
        #expect(stricter.bestMatch(for: TextSketcher.sketch(ArticleSamples.chineseReportA))?.id == "chinese")

        let same = try NearDuplicateIndex(serialized: bytes, threshold: 0.55)
        #expect(same.bands == index.bands && same.threshold == 0.55)
        #expect(same.bestMatch(for: furnished)?.id == "tram")
        #expect(throws: SimilarityError.self) { try NearDuplicateIndex(serialized: bytes, threshold: 0) }
        #expect(throws: SimilarityError.self) { try NearDuplicateIndex.validate(threshold: .nan) }
        #expect(throws: Never.self) { try NearDuplicateIndex.validate(threshold: 0.7) }
    }

    @Test func damagedBytesAreRejected() throws {
        let index = NearDuplicateIndex()
        index.insert(id: "tram", sketch: TextSketcher.sketch(ArticleSamples.tramReportA))
        let bytes = index.serialized()
        func rejects(_ damaged: [UInt8]) -> Bool {
            do {
                _ = try NearDuplicateIndex(serialized: damaged)
                return false
            } catch let error as SimilarityError {
                return error.code == .corruptIndex
            } catch {
                return false
            }
        }
        #expect(rejects([]))
        #expect(rejects(Array(bytes.dropLast(4))))
        var badMagic = bytes
        badMagic[0] = 0
        #expect(rejects(badMagic))
        var badVersion = bytes
        badVersion[4] = 9
        #expect(rejects(badVersion))
        var badSlot = bytes
        let lastSlot = badSlot.count - 4
        badSlot[lastSlot] = badSlot[lastSlot] == 0xff ? 0x05 : 0xff
        badSlot[lastSlot + 1] = 0xff
        badSlot[lastSlot + 2] = 0xff
        badSlot[lastSlot + 3] = badSlot[lastSlot + 3] == 0xff ? 0x00 : 0xff
        #expect(rejects(badSlot))
    }

    /// Random inserts and removals, checked against a brute-force scan that applies the same rule (shares a band,
    /// agreement at or above the threshold), including the growth of the tables.
    @Test func agreesWithBruteForceUnderChurn() {
        let index = NearDuplicateIndex()
        let layout = BandLayout.forThreshold(0.5)
        var generator = SplitMix(seed: 42)
        var stored: [(id: String, values: [UInt8])] = []
        var bases: [TextSketch] = []
        var matched = 0
        var unmatched = 0
        for step in 0..<2000 {
            if generator.next() % 10 < 2 && !stored.isEmpty {
                let victim = stored.remove(at: Int(generator.next() % UInt64(stored.count)))
                index.remove(id: victim.id)
                continue
            }
            // Families of related sketches so that matches and near misses both happen.
            let sketch: TextSketch
            if !bases.isEmpty && generator.next() % 2 == 0 {
                let base = bases[Int(generator.next() % UInt64(bases.count))]
                sketch = perturbed(base, changing: Int(generator.next() % 90), &generator)
            } else {
                sketch = randomSketch(&generator)
                bases.append(sketch)
            }
            let expected = bruteForce(sketch.values, in: stored, layout: layout)
            #expect(index.bestMatch(for: sketch) == expected, "step \(step)")
            if expected == nil { unmatched += 1 } else { matched += 1 }
            let id = "id\(step)"
            index.insert(id: id, sketch: sketch)
            stored.append((id, sketch.values))
        }
        #expect(matched > 300 && unmatched > 300)
        #expect(index.count == stored.count)
        for entry in stored {
            #expect(index.bestMatch(for: TextSketch(uncheckedValues: entry.values))?.similarity == 1)
            #expect(index.contains(id: entry.id))
        }
    }

    func bruteForce(
        _ query: [UInt8], in stored: [(id: String, values: [UInt8])], layout: BandLayout
    )
        -> NearDuplicateMatch?
    {
        var best: (id: String, agreeing: Int)?
        let minimumAgreeing = layout.minimumAgreeing
        for (id, values) in stored {
            var agreeing = 0
            for position in 0..<TextSketch.hashCount where values[position] == query[position] { agreeing += 1 }
            guard agreeing >= minimumAgreeing else { continue }
            let sharesBand = (0..<layout.bands).contains { band in
                ((band * layout.rows)..<((band + 1) * layout.rows)).allSatisfy { values[$0] == query[$0] }
            }
            guard sharesBand else { continue }
            if let current = best, current.agreeing > agreeing || (current.agreeing == agreeing && current.id < id) {
                continue
            }
            best = (id, agreeing)
        }
        return best.map { NearDuplicateMatch(id: $0.id, similarity: TextSketcher.estimate(agreeing: $0.agreeing)) }
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 { HashMixing.splitMix(&state) }
}

func randomSketch(_ generator: inout SplitMix) -> TextSketch {
    TextSketch(uncheckedValues: (0..<TextSketch.hashCount).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
}

func perturbed(_ sketch: TextSketch, changing changes: Int, _ generator: inout SplitMix) -> TextSketch {
    var values = sketch.values
    for _ in 0..<changes {
        let position = Int(generator.next() % UInt64(values.count))
        values[position] = UInt8(truncatingIfNeeded: generator.next())
    }
    return TextSketch(uncheckedValues: values)
}
