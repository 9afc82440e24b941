import Foundation
import HeraldFeeds
import Testing

@Suite("FeedEvalJSON")
struct FeedEvalJSONTests {
    @Test func encodesTheBenchmarkShape() throws {
        var entry = FeedEntry(
            key: "k", guid: "g1", link: "https://e.example/1", title: "T \"q\"", summary: "s",
            contentHTML: "<p>c</p>", authors: [FeedAuthor(name: "N", email: "n@e.example")],
            published: Date(timeIntervalSince1970: 1_072_865_695.9), categories: ["a", "b"],
            enclosures: [FeedEnclosure(url: "https://e.example/a.mp3")])
        entry.updated = nil
        let feed = Feed(
            format: .rss2, title: "F", link: "https://e.example/", language: "en",
            updated: Date(timeIntervalSince1970: -1), entries: [entry])
        let bytes = FeedEvalJSON.encode(feed, path: "/x.xml")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["path"] as? String == "/x.xml")
        let f = try #require(object["feed"] as? [String: Any])
        #expect(f["title"] as? String == "F")
        #expect(f["updated"] as? String == "1969-12-31T23:59:59Z")
        #expect(f["id"] is NSNull)
        let e = try #require((object["entries"] as? [[String: Any]])?.first)
        #expect(e["id"] as? String == "g1")
        #expect(e["title"] as? String == "T \"q\"")
        #expect(e["published"] as? String == "2003-12-31T10:14:55Z")
        #expect(e["updated"] is NSNull)
        #expect(e["author"] as? String == "N")
        #expect(e["content"] as? String == "<p>c</p>")
        #expect(e["categories"] as? [String] == ["a", "b"])
        #expect(e["enclosures"] as? [String] == ["https://e.example/a.mp3"])
        // compact and sorted keys
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains(" :") && !text.contains(", "))
        let entries = try #require(text.range(of: "\"entries\""))
        let feedKey = try #require(text.range(of: "\"feed\""))
        #expect(entries.lowerBound < feedKey.lowerBound)
    }

    @Test func encodesErrors() throws {
        let bytes = FeedEvalJSON.encodeError("not a feed: \"x\"\n")
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"error":"not a feed: \"x\"\n"}"#)
    }
}
