import Foundation
import HeraldFeeds
import Testing

@Suite("RSS 2.0, 0.91 and 1.0")
struct FeedParserRSSTests {
    @Test func rss2FullExample() throws {
        let feed = try FeedParser.parse(try fixture("rss2_full.xml"), url: "https://gazette.example.org/feed.xml")
        #expect(feed.format == .rss2)
        #expect(feed.title == "Harbour Gazette & Friends")
        #expect(feed.link == "https://gazette.example.org/")
        #expect(feed.subtitle == "Local news from the harbour")
        #expect(feed.language == "en-GB")
        #expect(epoch(feed.updated) == 1_772_440_200)
        #expect(epoch(feed.published) == 1_772_438_400)
        #expect(feed.warnings.isEmpty)
        try #require(feed.entries.count == 3)

        let first = feed.entries[0]
        #expect(first.title == "Ferry timetable changes & delays")
        #expect(first.link == "https://gazette.example.org/2026/03/ferry")
        #expect(first.guid == "gazette-4711")
        #expect(first.key == "gazette-4711")
        #expect(first.summary == "<p>The <em>summer</em> timetable starts early.</p>")
        #expect(first.contentHTML == "<p>Full story about the <a href=\"/ferries\">ferries</a>.</p>")
        #expect(first.authors == [FeedAuthor(name: "Mara Quist", email: "editor@gazette.example.org")])
        #expect(first.categories == ["Transport", "Harbour"])
        #expect(
            first.enclosures == [
                FeedEnclosure(url: "https://cdn.gazette.example.org/ferry.mp3", type: "audio/mpeg", length: 123_456)
            ])
        #expect(epoch(first.published) == 1_772_405_110)

        let second = feed.entries[1]
        #expect(second.link == "https://gazette.example.org/2026/02/lighthouse")
        #expect(second.guid == nil)
        #expect(second.key == "https://gazette.example.org/2026/02/lighthouse")
        #expect(second.authors == [FeedAuthor(name: "Tomas Berg")])
        #expect(epoch(second.published) == 1_772_258_400)

        let third = feed.entries[2]
        #expect(third.link == "https://gazette.example.org/2026/02/ice")
        #expect(third.key == "https://gazette.example.org/2026/02/ice")
        #expect(third.authors == [FeedAuthor(name: "Ice Desk")])
        #expect(epoch(third.published) == 1_772_211_600)
    }

    @Test func pollingHintsAreRead() throws {
        let xml = """
            <?xml version="1.0"?><rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
            <channel><title>T</title><ttl> 90 </ttl><sy:updatePeriod>hourly</sy:updatePeriod>
            <sy:updateFrequency>4</sy:updateFrequency><item><title>a</title></item></channel></rss>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.ttlMinutes == 90)
        #expect(feed.syndicationInterval == 900)
        let bare = try FeedParser.parse(Array("<rss version=\"2.0\"><channel><ttl>soon</ttl></channel></rss>".utf8), url: nil)
        #expect(bare.ttlMinutes == nil && bare.syndicationInterval == nil)
    }

    @Test func relativeLinksFallBackToTheFeedLinkWithoutDocumentURL() throws {
        let feed = try FeedParser.parse(try fixture("rss2_full.xml"), url: nil)
        #expect(feed.entries[1].link == "https://gazette.example.org/2026/02/lighthouse")
    }

    @Test func rss091WithLatin1AndHTMLEntities() throws {
        // The DOCTYPE names a remote DTD that must not be fetched; &eacute; and &mdash; come from HTML's table.
        let feed = try FeedParser.parse(try fixture("rss091.xml"), url: nil)
        #expect(feed.format == .rss2)
        #expect(feed.title == "Café Notes")
        #expect(feed.subtitle == "Notes from the café")
        #expect(feed.language == "fr")
        try #require(feed.entries.count == 2)
        #expect(feed.entries[0].title == "Nouveau menu — printemps")
        #expect(feed.entries[0].summary == "Crêpes et thé")
        #expect(feed.entries[0].key == "http://cafe.example.com/menu")
        #expect(feed.entries[1].link == "http://cafe.example.com/hours")
    }

    @Test func rss1WithDublinCoreDates() throws {
        let feed = try FeedParser.parse(try fixture("rdf_dcdate.rdf"), url: nil)
        #expect(feed.format == .rss1)
        #expect(feed.title == "Planet Example")
        #expect(feed.link == "http://planet.example.net/")
        #expect(feed.language == "de")
        #expect(epoch(feed.updated) == 1_768_467_600)
        try #require(feed.entries.count == 2)
        let one = feed.entries[0]
        #expect(one.guid == "http://blog.example.net/one")
        #expect(one.title == "First post")
        #expect(one.summary == "Hello <i>world</i>")
        #expect(one.authors == [FeedAuthor(name: "Anna Schmidt")])
        #expect(one.categories == ["Greetings"])
        #expect(epoch(one.updated) == 1_768_426_200)
        #expect(epoch(feed.entries[1].updated) == 1_768_435_200)
    }

    @Test func rss090IsRecognised() throws {
        let xml = """
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                     xmlns="http://my.netscape.com/rdf/simple/0.9/">
              <channel><title>Old</title><link>http://old.example.com/</link></channel>
              <item><title>One</title><link>http://old.example.com/1</link></item>
            </rdf:RDF>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.format == .rss090)
        #expect(feed.entries.map(\.link) == ["http://old.example.com/1"])
    }

    @Test func guidMarkedNotPermalinkIsNotALink() throws {
        let xml = """
            <rss version="2.0"><channel><title>t</title>
            <item><guid isPermaLink="false">https://example.com/not-a-page</guid><title>x</title></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.entries[0].link == nil)
        #expect(feed.entries[0].key == "https://example.com/not-a-page")
    }

    @Test func httpCharsetAppliesOnlyToUndeclaredNonUTF8Documents() throws {
        // In KOI8-R, "Привет" is F0 D2 C9 D7 C5 D4.
        let koi8: [UInt8] =
            Array("<rss><channel><title>".utf8) + [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]
            + Array("</title></channel></rss>".utf8)
        let feed = try FeedParser.parse(koi8, url: nil, contentType: "application/rss+xml; charset=\"KOI8-R\"")
        #expect(feed.title == "Привет")
        // Valid UTF-8 wins over a wrong header.
        let utf8 = Array("<rss><channel><title>Привет</title></channel></rss>".utf8)
        #expect(try FeedParser.parse(utf8, url: nil, contentType: "text/xml; charset=koi8-r").title == "Привет")
    }

    @Test func unescapedMarkupInDescriptionIsKept() throws {
        let xml = """
            <rss version="2.0"><channel><title>t</title>
            <item><guid>a</guid><description>Hello <b>bold</b> world</description></item></channel></rss>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.entries[0].summary == "Hello <b>bold</b> world")
    }

    @Test func linksWithSpacesAndNonASCIIAreEscapedWhenResolved() throws {
        let xml = """
            <rss version="2.0"><channel><title>t</title>
            <item><link> /with space/über.html </link></item>
            <item><link>https://x.example/a b</link></item></channel></rss>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: "https://x.example/feed")
        #expect(feed.entries[0].link == "https://x.example/with%20space/%C3%BCber.html")
        #expect(feed.entries[1].link == "https://x.example/a%20b")
    }

    @Test func leadingWhitespaceAndExtraBOMsDoNotHideTheDeclaration() throws {
        let body: [UInt8] =
            Array("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><title>Caf".utf8) + [0xE9]
            + Array("</title></channel></rss>".utf8)
        let spaced = try FeedParser.parse(Array("\n\n  ".utf8) + body, url: nil)
        #expect(spaced.title == "Café")
        #expect(spaced.warnings.isEmpty)
        let boms = try FeedParser.parse([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + body, url: nil)
        #expect(boms.title == "Café")
    }
}
