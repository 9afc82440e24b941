import Foundation
import Testing

@testable import HeraldExtract

@Suite struct ArticleJSONTests {
    @Test func encodesSortedCompactObject() throws {
        let article = ExtractedArticle(
            text: "Para one.\n\nPara \"two\" at https://x.example/a/b.", title: "T", authors: ["A B"],
            published: "2025-12-04", sources: ["title": "json-ld"])
        let bytes = ArticleJSON.encode(article, id: "page1")
        let json = String(decoding: bytes, as: UTF8.self)
        #expect(!json.contains("\\/"))
        #expect(!json.contains("\n"))
        #expect(json.hasPrefix("{\"authors\":[\"A B\"],\"canonical_url\":null,\"content_hash\":\""))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["id"] as? String == "page1")
        #expect(object["text"] as? String == article.text)
        #expect(object["content_hash"] as? String == ContentHash.of(article.text))
        #expect((object["sources"] as? [String: String])?["title"] == "json-ld")
        for key in ["title", "published", "modified", "language", "site_name", "description", "image"] {
            #expect(object.keys.contains(key))
        }
        // Keys appear in sorted order.
        let keyOrder = [
            "{\"authors\":", ",\"canonical_url\":", ",\"content_hash\":", ",\"id\":", ",\"text\":", ",\"title\":",
        ]
        let positions = keyOrder.compactMap { json.range(of: $0)?.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func escapesControlCharacters() {
        let bytes = ArticleJSON.string("a\u{1}b\\c\u{2028}")
        #expect(String(decoding: bytes, as: UTF8.self) == "\"a\\u0001b\\\\c\\u2028\"")
    }
}
