import Foundation
import HeraldFeeds
import Testing

@Suite("JSON Feed")
struct FeedParserJSONTests {
    @Test func jsonFeed11() throws {
        let feed = try FeedParser.parse(try fixture("jsonfeed11.json"), url: "https://radio.example.com/feed.json")
        #expect(feed.format == .jsonFeed)
        #expect(feed.title == "Pocket Radio")
        #expect(feed.link == "https://radio.example.com/")
        #expect(feed.id == "https://radio.example.com/feed.json")
        #expect(feed.subtitle == "Short audio notes")
        #expect(feed.language == "en")
        try #require(feed.entries.count == 2)
        let two = feed.entries[0]
        #expect(two.key == "ep-2")
        #expect(two.title == "Episode & two")
        #expect(two.contentHTML == "<p>Second episode</p>")
        #expect(two.summary == "The second one")
        #expect(epoch(two.published) == 1_777_730_400)
        #expect(epoch(two.updated) == 1_777_766_400)
        #expect(two.categories == ["audio", "weekly"])
        #expect(
            two.enclosures == [
                FeedEnclosure(url: "https://radio.example.com/audio/ep2.mp3", type: "audio/mpeg", length: 2_048_000)
            ])
        #expect(two.authors == [FeedAuthor(name: "Radio Crew", uri: "https://radio.example.com/crew")])
        let one = feed.entries[1]
        #expect(one.guid == "1")
        #expect(one.link == "https://radio.example.com/ep/1")
        #expect(one.contentText == "First episode, plain text")
        #expect(one.authors == [FeedAuthor(name: "Guest Host")])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let body =
            #"{"version":"https://jsonfeed.org/version/1","title":"B","#
            + #""items":[{"id":"x","url":"https://b.example/x"}]}"#
        let feed = try FeedParser.parse([0xEF, 0xBB, 0xBF] + Array(body.utf8), url: nil)
        #expect(feed.title == "B")
        #expect(feed.entries.map(\.key) == ["x"])
    }

    @Test func otherJSONIsNotAFeed() {
        #expect(throws: FeedParseError.self) {
            try FeedParser.parse(Array(#"{"version": "2.0", "data": []}"#.utf8), url: nil)
        }
        do {
            _ = try FeedParser.parse(Array(#"[1, 2, 3]"#.utf8), url: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .notAFeed)
        }
    }
}
