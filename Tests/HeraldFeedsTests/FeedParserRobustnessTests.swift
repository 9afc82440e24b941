import Foundation
import HeraldFeeds
import Testing

@Suite("Robustness")
struct FeedParserRobustnessTests {
    static let fixtures = ["rss2_full.xml", "rss091.xml", "rdf_dcdate.rdf", "atom_base.xml", "jsonfeed11.json"]

    /// Every prefix and many single-byte corruptions of every fixture parse or fail with a FeedParseError, and a
    /// parsed result always has unique entry keys.
    @Test(arguments: fixtures)
    func truncatedAndCorruptedInputNeverCrashes(_ name: String) throws {
        let bytes = try fixture(name)
        var outcomes = 0
        func check(_ input: [UInt8]) {
            do {
                let feed = try FeedParser.parse(input, url: "https://fuzz.example/feed")
                #expect(Set(feed.entries.map(\.key)).count == feed.entries.count)
                outcomes += 1
            } catch {
                #expect(!error.message.isEmpty)
                outcomes += 1
            }
        }
        for cut in stride(from: 0, to: bytes.count, by: 13) { check(Array(bytes.prefix(cut))) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var mutated = bytes
            let position = Int(state >> 33) % mutated.count
            mutated[position] = UInt8(truncatingIfNeeded: state >> 17)
            check(mutated)
        }
        #expect(outcomes == (bytes.count + 12) / 13 + 200)
    }

    @Test(arguments: [
        ("editor@example.org (Mara Quist)", FeedAuthor(name: "Mara Quist", email: "editor@example.org")),
        ("Mara Quist <editor@example.org>", FeedAuthor(name: "Mara Quist", email: "editor@example.org")),
        ("\"Mara Quist\" <editor@example.org>", FeedAuthor(name: "Mara Quist", email: "editor@example.org")),
        ("editor@example.org", FeedAuthor(email: "editor@example.org")),
        ("Mara Quist", FeedAuthor(name: "Mara Quist")),
        ("Mara (the editor)", FeedAuthor(name: "Mara (the editor)")),
    ])
    func rssAuthorForms(_ raw: String, _ expected: FeedAuthor) throws {
        let xml =
            "<rss><channel><item><guid>g</guid><author>\(raw.replacingOccurrences(of: "<", with: "&lt;"))"
            + "</author></item></channel></rss>"
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.entries.first?.authors == [expected])
    }
}
