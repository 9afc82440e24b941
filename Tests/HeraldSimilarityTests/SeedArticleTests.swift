import Foundation
import HeraldSimilarity
import Testing

/// The five seed articles in ../shared/corpus/seeds: five outlets' different articles on the same event.
@Suite struct SeedArticleTests {
    /// `../shared/corpus/seeds` next to the repository (or under `$HERALD_SHARED`), if present.
    static func seedTexts() throws -> [(name: String, text: String)]? {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shared =
            ProcessInfo.processInfo.environment["HERALD_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? repository.deletingLastPathComponent().appendingPathComponent("shared")
        let directory = shared.appendingPathComponent("corpus/seeds")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            print("skipping: \(directory.path) not found")
            return nil
        }
        return try names.filter { $0.hasSuffix(".txt") }.sorted().map {
            ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8))
        }
    }

    @Test func seedsAreNotNearDuplicatesOfEachOther() throws {
        guard let seeds = try Self.seedTexts() else { return }
        #expect(seeds.count == 5)
        let index = NearDuplicateIndex()
        for seed in seeds {
            let sketch = TextSketcher.sketch(seed.text)
            #expect(index.bestMatch(for: sketch) == nil, "\(seed.name) matched another seed")
            for other in seeds where other.name != seed.name {
                #expect(TextSketcher.similarity(sketch, TextSketcher.sketch(other.text)) < 0.15)
            }
            index.insert(id: seed.name, sketch: sketch)
        }
        #expect(index.count == 5)
    }

    @Test func alteredCopiesOfASeedMatchIt() throws {
        guard let seeds = try Self.seedTexts() else { return }
        let index = NearDuplicateIndex()
        for seed in seeds { index.insert(id: seed.name, sketch: TextSketcher.sketch(seed.text)) }
        for seed in seeds {
            let lines = seed.text.paragraphs
            var copies: [String] = []
            for removed in 1..<lines.count {
                copies.append(
                    NearCopy.newHeadlineDroppingParagraph(seed.text, index: removed, headline: "Breaking: new headline")
                )
            }
            copies.append(
                NearCopy.newHeadlineAddingParagraph(
                    seed.text, index: lines.count / 2, headline: "An entirely different headline for the story",
                    paragraph: ArticleSamples.newParagraph))
            copies.append(NearCopy.withFurniture(seed.text, lines: ArticleSamples.furnitureLines))
            for copy in copies {
                let match = index.bestMatch(for: TextSketcher.sketch(copy))
                #expect(match?.id == seed.name)
                #expect((match?.similarity ?? 0) >= 0.65)
            }
        }
    }
}
