import Foundation
import HeraldFeeds
import Testing

@Suite("Entry identity and limits")
struct EntryKeyTests {
    func rss(_ items: String) -> [UInt8] {
        Array(
            "<rss version=\"2.0\"><channel><title>t</title><link>https://k.example/</link>\(items)</channel></rss>".utf8
        )
    }

    @Test func missingGuidFallsBackToLink() throws {
        let feed = try FeedParser.parse(rss("<item><title>a</title><link>https://k.example/a</link></item>"), url: nil)
        #expect(feed.entries[0].key == "https://k.example/a")
    }

    @Test func repeatedGuidFallsBackForLaterOccurrences() throws {
        let feed = try FeedParser.parse(
            rss(
                """
                <item><guid isPermaLink="false">same</guid><title>a</title><link>https://k.example/a</link></item>
                <item><guid isPermaLink="false">same</guid><title>b</title><link>https://k.example/b</link></item>
                <item><guid isPermaLink="false">same</guid><title>c</title></item>
                <item><guid isPermaLink="false">same</guid><title>c</title></item>
                """), url: nil)
        let keys = feed.entries.map(\.key)
        #expect(keys[0] == "same")
        #expect(keys[1] == "https://k.example/b")
        #expect(keys[2].hasPrefix("h:"))
        #expect(keys[2].count == 18)
        #expect(keys[3] == keys[2] + "-2")
        #expect(Set(keys).count == 4)
    }

    @Test func hashKeyIsStableAndDependsOnTitleAndDate() throws {
        let a = try FeedParser.parse(rss("<item><title>x</title><pubDate>2004-01-01</pubDate></item>"), url: nil)
        let b = try FeedParser.parse(rss("<item><title>x</title><pubDate>2004-01-01</pubDate></item>"), url: nil)
        let c = try FeedParser.parse(rss("<item><title>x</title><pubDate>2004-01-02</pubDate></item>"), url: nil)
        let d = try FeedParser.parse(rss("<item><title>y</title><pubDate>2004-01-01</pubDate></item>"), url: nil)
        #expect(a.entries[0].key == b.entries[0].key)
        #expect(a.entries[0].key != c.entries[0].key)
        #expect(a.entries[0].key != d.entries[0].key)
        // FNV-1a 64 of "\nx\n1072915200"
        #expect(a.entries[0].key == "h:" + fnv("\nx\n1072915200"))
    }

    func fnv(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test func maxEntriesKeepsTheNewestInDocumentOrder() throws {
        let feed = try FeedParser.parse(
            rss(
                """
                <item><guid>u1</guid><title>undated 1</title></item>
                <item><guid>old</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>
                <item><guid>new</guid><pubDate>Mon, 01 Jan 2026 00:00:00 GMT</pubDate></item>
                <item><guid>mid</guid><pubDate>Sun, 01 Jan 2025 00:00:00 GMT</pubDate></item>
                <item><guid>u2</guid><title>undated 2</title></item>
                """), url: nil, maxEntries: 2)
        #expect(feed.entries.map(\.key) == ["new", "mid"])
        #expect(feed.warnings.contains("dropped 3 entries beyond the limit of 2"))

        let withUndated = try FeedParser.parse(
            rss(
                """
                <item><guid>u1</guid></item><item><guid>d</guid><pubDate>2020-01-01</pubDate></item>
                <item><guid>u2</guid></item>
                """), url: nil, maxEntries: 2)
        #expect(withUndated.entries.map(\.key) == ["u1", "d"])
    }

    @Test func noWarningWithinTheLimit() throws {
        let feed = try FeedParser.parse(rss("<item><guid>a</guid></item>"), url: nil, maxEntries: 1)
        #expect(feed.entries.count == 1)
        #expect(feed.warnings.isEmpty)
    }
}
