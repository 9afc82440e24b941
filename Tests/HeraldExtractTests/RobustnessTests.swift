import Foundation
import Testing

@testable import HeraldExtract

@Suite struct RobustnessTests {
    /// Cut pages at many points (mid-tag, mid-character): extraction must not crash and must encode to valid JSON.
    @Test(arguments: ["furniture.html", "nested_tables.html", "shift_jis.html", "jsonld_graph.html"])
    func truncatedPagesStillExtract(_ fixture: String) throws {
        let bytes = try FixtureLoader.bytes(fixture)
        for cut in stride(from: 0, through: bytes.count, by: max(1, bytes.count / 40)) {
            let article = ArticleExtractor.extract(ExtractionInput(html: Array(bytes[0..<cut])))
            let json = ArticleJSON.encode(article, id: "\(cut)")
            let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
            #expect(object?["content_hash"] as? String == ContentHash.of(article.text))
        }
    }

    @Test func deeplyNestedMarkup() {
        let depth = 3000
        let html = String(repeating: "<div>", count: depth)
            + "<p>The text at the bottom of a very deep pile of elements still counts as an article paragraph.</p>"
            + String(repeating: "</div>", count: depth)
        let article = ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8)))
        #expect(article.contentHash.count == 64)
    }

    @Test func pageWithoutBodyText() {
        let html = "<html><head><title>Only a title</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
        let article = ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8)))
        #expect(article.text == "")
        #expect(article.title == "Only a title")
    }
}
