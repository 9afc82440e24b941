import Foundation
import Testing

@testable import HeraldSimilarity

@Suite struct TextSketcherTests {
    @Test func caseAndPunctuationDoNotMatter() {
        let a = TextSketcher.sketch("The Mayor’s plan: trams, buses — and bikes! Councillors voted 31-12 on Tuesday.")
        let b = TextSketcher.sketch("the mayors plan trams buses and bikes councillors voted 31 12 on tuesday")
        #expect(a == b)
        #expect(TextSketcher.similarity(a, b) == 1)
    }

    @Test func unrelatedTextsAreDissimilar() {
        let a = TextSketcher.sketch(ArticleSamples.tramReportA)
        let b = TextSketcher.sketch(
            "Heavy rain flooded several villages in the north overnight, and rescue teams evacuated dozens of "
                + "families by boat while the river kept rising through the morning hours.")
        #expect(TextSketcher.similarity(a, b) < 0.1)
    }

    @Test func nearCopyIsSimilarAndSameTopicArticleIsNot() {
        let original = TextSketcher.sketch(ArticleSamples.tramReportA)
        let copy = TextSketcher.sketch(
            NearCopy.newHeadlineDroppingParagraph(
                ArticleSamples.tramReportA, index: 4, headline: "Eastern tram line gets green light"))
        let other = TextSketcher.sketch(ArticleSamples.tramReportB)
        #expect(TextSketcher.similarity(original, copy) > 0.65)
        #expect(TextSketcher.similarity(original, other) < 0.2)
    }

    @Test(arguments: [20, 60, 150, 400, 1500])
    func estimateTracksExactJaccard(words: Int) {
        var generator = SplitMix(seed: UInt64(words))
        func word() -> String { "w\(generator.next() % 5000)" }
        let base = (0..<words).map { _ in word() }
        let scanner = ShingleScanner(shingleSize: TextSketcher.shingleSize)
        func shingles(_ text: String) -> Set<UInt64> {
            var set = Set<UInt64>()
            scanner.forEachShingle(in: text) { set.insert($0) }
            return set
        }
        for keptPercent in [100, 90, 70, 50, 30, 10, 0] {
            // Replace a contiguous tail so that the overlap is a single run (as when paragraphs change).
            let kept = words * keptPercent / 100
            let variant = base.prefix(kept) + (kept..<words).map { _ in word() }
            let a = base.joined(separator: " ")
            let b = variant.joined(separator: " ")
            let setA = shingles(a)
            let setB = shingles(b)
            let exact = Double(setA.intersection(setB).count) / Double(setA.union(setB).count)
            let estimate = TextSketcher.similarity(TextSketcher.sketch(a), TextSketcher.sketch(b))
            // Texts with fewer shingles than bins have fewer independent samples, hence a looser bound.
            #expect(
                abs(estimate - exact) < (words < 100 ? 0.25 : 0.1),
                "\(words) words, \(keptPercent)% kept: \(estimate) vs \(exact)")
        }
    }

    @Test func emptyTextGivesEmptySketchSimilarToNothing() {
        let empty = TextSketcher.sketch(" ,.;!? — \n\t")
        #expect(empty.isEmpty)
        #expect(TextSketcher.similarity(empty, empty) == 0)
        #expect(TextSketcher.similarity(empty, TextSketcher.sketch("some words here")) == 0)
    }

    @Test func shortTextStillGetsASketch() {
        let sketch = TextSketcher.sketch("Tram approved")
        #expect(sketch.values.count == TextSketch.hashCount)
        #expect(TextSketcher.similarity(sketch, TextSketcher.sketch("TRAM, approved.")) == 1)
        #expect(TextSketcher.similarity(sketch, TextSketcher.sketch("Tram rejected")) < 0.2)
    }

    @Test func chineseIsShingledByCharacters() {
        let scanner = ShingleScanner(shingleSize: 5)
        let tokens = scanner.forEachShingle(in: "河畔市议会批准东部有轨电车线路") { _ in }
        #expect(tokens == 15)

        let original = TextSketcher.sketch(ArticleSamples.chineseReportA)
        let copy = TextSketcher.sketch(
            NearCopy.newHeadlineDroppingParagraph(ArticleSamples.chineseReportA, index: 5, headline: "东部电车获批"))
        let other = TextSketcher.sketch(ArticleSamples.chineseReportB)
        #expect(TextSketcher.similarity(original, copy) > 0.65)
        #expect(TextSketcher.similarity(original, other) < 0.2)
    }

    @Test func japaneseAndKoreanGiveTokens() {
        let scanner = ShingleScanner(shingleSize: 5)
        // Kana and kanji: one token per character; Korean is spaced, so one token per word.
        #expect(scanner.forEachShingle(in: "東京で会議が開かれた。") { _ in } == 10)
        #expect(scanner.forEachShingle(in: "서울에서 회의가 열렸다.") { _ in } == 3)
    }

    @Test func longRunsWithoutSpacesFallBackToCharacters() {
        let scanner = ShingleScanner(shingleSize: 5)
        let run = String(repeating: "abcdefgh", count: 4)  // 32 letters, longer than the word limit
        #expect(scanner.forEachShingle(in: run) { _ in } == 32)
        #expect(scanner.forEachShingle(in: "abcdefgh abcdefgh") { _ in } == 2)
    }

    @Test func nonASCIILettersAreLowercased() {
        #expect(TextSketcher.sketch("ÉCOLE ÜBER STRASSE Москва") == TextSketcher.sketch("école über strasse москва"))
    }

    @Test func sketchesAreStableAcrossRuns() {
        // Sketches are persisted: this pins the hash functions. Changing it needs a new index format version.
        let sketch = TextSketcher.sketch("the quick brown fox jumps over the lazy dog")
        #expect(String(sketch.hexString.prefix(16)) == Self.pinnedPrefix)
        let article = TextSketcher.sketch(ArticleSamples.tramReportA)
        #expect(String(article.hexString.prefix(32)) == Self.pinnedArticlePrefix)
    }

    static let pinnedPrefix = "d74e4e4e1e71d7d7"
    static let pinnedArticlePrefix = "2c0f3152d80fe2d38d70b7c84c4dd7d1"

    @Test func codableRoundTripAsHex() throws {
        let sketch = TextSketcher.sketch(ArticleSamples.tramReportB)
        let data = try JSONEncoder().encode([sketch, TextSketcher.sketch("")])
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.count == 2 + (256 + 2) + 1 + 2)
        let decoded = try JSONDecoder().decode([TextSketch].self, from: data)
        #expect(decoded == [sketch, TextSketcher.sketch("")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TextSketch].self, from: Data("[\"0g\"]".utf8)) }
    }

    @Test func valuesMustHaveTheRightCount() throws {
        #expect(throws: SimilarityError.self) { try TextSketch(values: [1, 2, 3]) }
        let sketch = try TextSketch(values: [UInt8](repeating: 7, count: TextSketch.hashCount))
        #expect(TextSketcher.similarity(sketch, sketch) == 1)
    }
}
