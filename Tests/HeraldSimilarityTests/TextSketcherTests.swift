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
    }

    static let pinnedPrefix = "fe84f4b3b423a13c"

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
