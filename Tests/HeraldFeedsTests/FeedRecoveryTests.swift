import Foundation
import HeraldFeeds
import Testing

/// Reads a fixture from Fixtures/recovery.
func recoveryFixture(_ name: String) throws -> [UInt8] {
    let url = try #require(
        Bundle.module.url(forResource: name, withExtension: "xml", subdirectory: "Fixtures/recovery"))
    return [UInt8](try Data(contentsOf: url))
}

/// Issue 12: feeds as real sites publish them. Each fixture is written for its behaviour.
@Suite("Feeds as published")
struct FeedRecoveryTests {
    func parse(_ name: String) throws -> Feed {
        try FeedParser.parse(recoveryFixture(name), url: "https://fixture.example/feed")
    }

    @Test func entitiesSurviveAnEarlierError() throws {
        // A stray control byte in the channel title and a bare "&" in the first item title come first.
        let feed = try parse("entities-after-error")
        #expect(feed.title == "Ledger  wire" || feed.title == "Ledger wire")
        #expect(feed.entries.count == 2)
        #expect(feed.entries[0].title == "Rates & markets")
        #expect(feed.entries[0].link == "https://ledger.example/q?x=1&y=2")
        #expect(feed.entries[0].summary == "<p>phi</p> costs €5 & more")
        #expect(feed.entries[1].title == "Second — story")
    }

    @Test func bareAmpersandsInAttributeValuesSurvive() throws {
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
            <entry><id>1</id><link href="https://amp.example/?a=1&b=2&amp;c=3"/><title>T</title></entry>
            <entry><id>2</id><link href="https://amp.example/x?q=<b>"/><title>U</title></entry></feed>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.entries.map(\.link) == ["https://amp.example/?a=1&b=2&c=3", "https://amp.example/x?q=<b>"])
    }

    @Test func brokenStructureLosesNoEntries() throws {
        let feed = try parse("unclosed-elements")
        #expect(feed.entries.map(\.title) == ["One", "Two", "Three", "Four"])
        #expect(feed.entries.map(\.link) == (1...4).map { "https://harbour.example/\($0)" })
        #expect(feed.entries[0].summary == "<p>An unclosed paragraph</p>")
        #expect(feed.warnings.contains { $0.contains("unclosed or unmatched tags") })
    }

    @Test func atomFeedInsideAnXHTMLPage() throws {
        let feed = try parse("atom-in-xhtml")
        #expect(feed.format == .atom10)
        #expect(feed.title == "Wrapped")
        #expect(feed.entries.map(\.link) == ["https://wrapped.example/1"])
    }

    @Test func declaredLatin1WithUTF8BytesIsUTF8() throws {
        let feed = try parse("declared-latin1-but-utf8")
        #expect(feed.title == "Café Résumé")
        #expect(feed.entries.first?.title == "Ærø — “quoted”")
    }

    @Test func mostlyInvalidUTF8IsWindows1252Throughout() throws {
        // "doué\u{A0}»" in windows-1252 is E9 A0 BB, which alone is valid UTF-8 ("頻").
        let feed = try parse("mostly-windows-1252")
        #expect(feed.entries.first?.title == "Article 0 : été, déjà")
        #expect(feed.entries.last?.title == "doué » fin")  // titles collapse white space, NBSP included
    }

    @Test func doubleEncodedUTF8IsRepairedPerField() throws {
        let feed = try parse("double-encoded")
        #expect(feed.title == "Café notes")
        #expect(feed.entries[0].title == "It’s here — finally")
        #expect(feed.entries[0].summary == "São Paulo")
        #expect(feed.entries[0].categories == ["Crème"])
        #expect(feed.entries[1].title == "naïve stays")
    }

    @Test func mediaGroupDescriptionIsTheAtomSummary() throws {
        let feed = try parse("youtube-like")
        let entry = try #require(feed.entries.first)
        #expect(entry.summary == "What this episode covers.")
        #expect(entry.categories == ["harbour", "tides", "boats"])
    }

    @Test func authorsWithChildrenAndWrappedCategories() throws {
        let entry = try #require(try parse("people-and-lists").entries.first)
        #expect(
            entry.authors == [
                FeedAuthor(name: "Ines Duarte", email: "ines@people.example"), FeedAuthor(name: "Tomas Berg"),
            ])
        #expect(entry.categories == ["Local", "Weather", "storm", "coast", "flood"])
    }

    @Test func namesIgnoreCaseAndUnknownDefaultNamespace() throws {
        let feed = try parse("names-and-dates")
        #expect(feed.title == "Case")
        #expect(feed.entries.map(\.title) == ["A", "B", "C"])
        #expect(feed.entries.map(\.link) == ["a", "b", "c"].map { "https://case.example/\($0)" })
        #expect(epoch(feed.entries[0].published) == 1_709_802_300)  // 2024-03-07T09:05:00Z
        #expect(epoch(feed.entries[1].published) == 1_709_816_645)  // 2024-03-07T13:04:05Z
        #expect(epoch(feed.entries[2].published) == 1_735_603_200)  // 2024-12-31T00:00:00Z
    }

    @Test(arguments: [
        ("2024/3/7", Int64(1_709_769_600)), ("2024/03/07 9:05", 1_709_802_300), ("2024/3/7 09:05:30", 1_709_802_330),
        ("2024/3/7 09:05 +0100", 1_709_798_700), ("2024/3/7 09:05 GMT", 1_709_802_300),
    ])
    func slashedDates(_ text: String, _ seconds: Int64) {
        #expect(epoch(FeedDate.parse(text)) == seconds)
    }

    @Test(arguments: ["2024/13/1", "2024/2/30", "2024/3/7 25:00", "2024/3/7 9:5", "2024/3/7 09:05 xyz"])
    func slashedNonDates(_ text: String) {
        #expect(FeedDate.parse(text) == nil)
    }
}
