import Foundation
import HeraldFeeds
import Testing

@Suite("Atom")
struct FeedParserAtomTests {
    @Test func atomWithXMLBaseAndRelativeLinks() throws {
        let feed = try FeedParser.parse(try fixture("atom_base.xml"), url: "https://elsewhere.example.net/x.atom")
        #expect(feed.format == .atom10)
        #expect(feed.title == "Notes <from> the Workshop")
        #expect(feed.subtitle == "Things made of wood")
        #expect(feed.id == "tag:atom.example.com,2026:blog")
        // rel=alternate with type text/html wins over the JSON alternate and the self link.
        #expect(feed.link == "https://atom.example.com/blog/")
        #expect(feed.language == "en-US")
        #expect(epoch(feed.updated) == 1_775_044_800)
        try #require(feed.entries.count == 2)

        let joint = feed.entries[0]
        #expect(joint.title == "A dovetail joint")
        #expect(joint.key == "tag:atom.example.com,2026:1")
        #expect(joint.link == "https://atom.example.com/blog/posts/dovetail.html")
        #expect(
            joint.enclosures == [
                FeedEnclosure(
                    url: "https://atom.example.com/blog/posts/media/dovetail.mp4", type: "video/mp4",
                    length: 5_000_000)
            ])
        #expect(epoch(joint.published) == 1_774_851_300)
        #expect(joint.updated?.timeIntervalSince1970 == 1_774_951_200.25)
        #expect(joint.categories == ["joinery", "hand-tools"])
        #expect(joint.summary == "How to cut one")
        let content = try #require(joint.contentHTML)
        #expect(content.contains("<p>Mark the <b>tails</b> first.</p>"))
        #expect(content.contains("<img"))
        #expect(!content.contains("<div"))
        #expect(joint.authors == [FeedAuthor(name: "Workshop Team", email: "team@atom.example.com")])

        let chisels = feed.entries[1]
        #expect(chisels.title == "Sharpening chisels")
        #expect(chisels.link == "https://atom.example.com/sharpening")
        #expect(chisels.authors == [FeedAuthor(name: "Ida Lund", uri: "https://atom.example.com/people/ida")])
        #expect(chisels.contentHTML == "<p>Use a <strong>strop</strong>.</p>")
        #expect(chisels.published == nil)
        #expect(epoch(chisels.updated) == 1_772_355_600)
    }

    @Test func atom03IsRecognised() throws {
        let xml = """
            <feed version="0.3" xmlns="http://purl.org/atom/ns#">
              <title>Old Atom</title>
              <link rel="alternate" type="text/html" href="http://old.example.org/"/>
              <modified>2004-01-01T10:00:00Z</modified>
              <entry>
                <title>Entry</title><id>tag:old,1</id>
                <issued>2003-12-31T09:00:00-05:00</issued>
                <content type="text/html" mode="escaped">&lt;p&gt;hi&lt;/p&gt;</content>
              </entry>
            </feed>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.format == .atom03)
        #expect(feed.link == "http://old.example.org/")
        #expect(epoch(feed.updated) == 1_072_951_200)
        #expect(epoch(feed.entries.first?.published) == 1_072_879_200)
        #expect(feed.entries.first?.contentHTML == "<p>hi</p>")
    }

    @Test func textContentStaysText() throws {
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
            <entry><id>a</id><title>1 &lt; 2</title><content>x &lt; y</content></entry></feed>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.entries[0].title == "1 < 2")
        #expect(feed.entries[0].contentText == "x < y")
        #expect(feed.entries[0].contentHTML == nil)
    }
}
