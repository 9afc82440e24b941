import Foundation
import HeraldHTML
import Synchronization
import Testing

@testable import HeraldFeeds

/// A clock that moves one tick each time it is read (deadlines count budget checks, not seconds).
private struct SteppingClock: Clock {
    struct Instant: InstantProtocol {
        var ticks: Int64
        func advanced(by duration: Swift.Duration) -> Instant { Instant(ticks: ticks + duration.components.seconds) }
        func duration(to other: Instant) -> Swift.Duration { .seconds(other.ticks - ticks) }
        static func < (a: Instant, b: Instant) -> Bool { a.ticks < b.ticks }
    }

    final class Counter: Sendable {
        let reads = Atomic<Int64>(0)
    }

    let counter = Counter()
    var now: Instant { Instant(ticks: counter.reads.add(1, ordering: .relaxed).newValue) }
    var minimumResolution: Swift.Duration { .seconds(1) }
    func sleep(until deadline: Instant, tolerance: Swift.Duration?) async throws {}
}

/// Issue 9: hostile feeds cannot expand, stall or crash the parser.
@Suite("Hostile feeds")
struct FeedParserHardeningTests {
    func rss(_ items: String, prolog: String = "") -> [UInt8] {
        Array((prolog + "<rss version=\"2.0\"><channel><title>T</title>\(items)</channel></rss>").utf8)
    }

    /// The bytes libxml2 is given for `bytes`, parsed: what the builder really holds.
    func preparedDocument(_ bytes: [UInt8]) throws -> MarkupDocument {
        try MarkupParser.parseXML(XMLRepair.prepare(bytes, httpCharset: nil).bytes)
    }

    static let bigEntity = String(repeating: "A", count: 4096)

    @Test func processingInstructionWithGreaterThanBeforeTheDoctype() throws {
        let prolog = "<?x a>b?><!DOCTYPE rss [<!ENTITY e \"\(Self.bigEntity)\">]>"
        let bytes = rss("<item><guid>1</guid><title>x&e;&e;y</title></item>", prolog: prolog)
        let feed = try FeedParser.parse(bytes, url: nil)
        #expect(feed.entries.map(\.title) == ["xy"])
        #expect(try preparedDocument(bytes).outputBytes < 1024)
    }

    @Test func quoteInsideACommentOfTheInternalSubset() throws {
        let prolog = "<!DOCTYPE rss [<!-- ' --><!ENTITY e \"\(Self.bigEntity)\"><!-- \" ] > -->]>"
        let bytes = rss("<item><guid>1</guid><title>x&e;y</title></item>", prolog: prolog)
        let feed = try FeedParser.parse(bytes, url: nil)
        #expect(feed.entries.map(\.title) == ["xy"])
        #expect(feed.title == "T")
    }

    @Test func entityReferenceFloodParsesInBoundedMemory() throws {
        // 300 KB of references to a 4 KB entity (formerly 1.2 GB to parse).
        let refs = String(repeating: "&e;", count: 100_000)
        let bytes = rss(
            "<item><guid>1</guid><title>t</title><description>\(refs)</description></item>",
            prolog: "<!DOCTYPE rss [<!ENTITY e \"\(Self.bigEntity)\">]>")
        #expect(bytes.count > 300_000)
        let doc = try preparedDocument(bytes)
        #expect(doc.nodeCount < 20)
        #expect(doc.outputBytes < 1024)
        let feed = try FeedParser.parse(bytes, url: nil)
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].summary == nil)
    }

    @Test func identicalItemsGetKeysInLinearWork() {
        // 30,000 identical <item/>: each hash remembers its next suffix.
        func probes(_ n: Int) -> Int {
            var entries = [FeedEntry](repeating: FeedEntry(title: "same"), count: n)
            let work = EntryKey.assign(&entries)
            #expect(Set(entries.map(\.key)).count == n)
            return work
        }
        let small = probes(7_500)
        let large = probes(30_000)
        #expect(Double(large) / Double(small) < 4.5)
    }

    @Test func identicalItemsParse() throws {
        let feed = try FeedParser.parse(rss(String(repeating: "<item/>", count: 30_000)), url: nil)
        #expect(feed.entries.count == 1000)
        #expect(feed.entries[1].key == feed.entries[0].key + "-2")
    }

    @Test func repeatedCreatorsAndEnclosuresAreDeduplicated() throws {
        let creators = String(repeating: "<dc:creator>Same Person</dc:creator>", count: 60_000)
        let enclosures = String(repeating: "<enclosure url=\"https://e.example/a.mp3\" type=\"audio/mpeg\"/>", count: 60_000)
        let bytes = Array(
            ("<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><item><guid>g</guid>\(creators)\(enclosures)"
                + "</item></channel></rss>").utf8)
        let feed = try FeedParser.parse(bytes, url: nil)
        #expect(feed.entries[0].authors == [FeedAuthor(name: "Same Person")])
        #expect(feed.entries[0].enclosures.count == 1)
    }

    @Test func hundredThousandAttributesAreCapped() throws {
        let attributes = (0..<100_000).map { "a\($0)=\"v\"" }.joined(separator: " ")
        let bytes = rss("<item \(attributes)><guid>1</guid><title>kept</title></item>")
        let prepared = XMLRepair.prepare(bytes, httpCharset: nil)
        #expect(prepared.warnings.contains { $0.contains("dropped 99000 attributes") })
        let feed = try FeedParser.parse(bytes, url: nil)
        #expect(feed.entries.map(\.title) == ["kept"])
    }

    @Test func attributeCapHoldsInATagThatNeverEnds() throws {
        // No ">" after 100,000 attributes (and a control byte at the end): still cut before libxml2 reads them.
        let attributes = (0..<100_000).map { "a\($0)=\"v\"" }.joined(separator: " ")
        let bytes = Array("<rss><channel><item \(attributes) \u{01}".utf8)
        let result = XMLMarkupRepair.repair(bytes)
        #expect(result.droppedAttributes == 99_000)
        #expect(try #require(result.bytes).count < bytes.count / 50)
        let feed = try FeedParser.parse(bytes, url: nil)
        #expect(feed.isTruncated)
        #expect(feed.entries.count == 1)
    }

    @Test func repairPassWorkIsLinear() {
        // Many unclosed elements and stray end tags: the open-element stack is capped, so work stays linear.
        func steps(_ n: Int) -> Int {
            let input = Array(
                ("<rss><channel>" + String(repeating: "<x>", count: n) + String(repeating: "</y>", count: n)
                    + "</channel></rss>").utf8)
            return XMLMarkupRepair.repair(input).steps
        }
        let small = steps(10_000)
        let large = steps(40_000)
        #expect(Double(large) / Double(small) < 4.5)
    }

    @Test(arguments: ["rss2_full.xml", "rss091.xml", "rdf_dcdate.rdf", "atom_base.xml"])
    func repairPassLeavesWellFormedFeedsAlone(_ name: String) throws {
        let bytes = try fixture(name)
        let result = XMLMarkupRepair.repair(bytes)
        // Only a DOCTYPE goes (rss091.xml has one): nothing else in a well-formed feed is touched.
        if let repaired = result.bytes {
            #expect(String(decoding: bytes, as: UTF8.self).contains("<!DOCTYPE"))
            #expect(!String(decoding: repaired, as: UTF8.self).contains("<!DOCTYPE"))
            #expect(String(decoding: repaired, as: UTF8.self).contains("</rss>"))
        }
        #expect(result.structureFixes == 0 && result.escaped == 0 && result.droppedControls == 0)
    }

    static let recoveryFixtures = [
        "entities-after-error", "unclosed-elements", "atom-in-xhtml", "declared-latin1-but-utf8",
        "mostly-windows-1252", "double-encoded", "youtube-like", "people-and-lists", "names-and-dates",
    ]

    /// Cuts and single-byte corruptions (biased to markup bytes) of every recovery fixture parse or fail cleanly.
    @Test(arguments: recoveryFixtures)
    func corruptedRecoveryFixturesNeverCrash(_ name: String) throws {
        let bytes = try recoveryFixture(name)
        let markup: [UInt8] = Array("<>&;\"'/!?[]-=:#x\u{01}".utf8)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var inputs: [[UInt8]] = stride(from: 0, to: bytes.count, by: 7).map { Array(bytes.prefix($0)) }
        for _ in 0..<300 {
            var mutated = bytes
            for _ in 0..<(1 + next() % 3) {
                mutated[next() % mutated.count] = next() % 2 == 0 ? markup[next() % markup.count] : UInt8(next() % 256)
            }
            inputs.append(mutated)
        }
        for input in inputs {
            do {
                let feed = try FeedParser.parse(input, url: "https://fuzz.example/feed")
                #expect(Set(feed.entries.map(\.key)).count == feed.entries.count)
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    /// Random markup soup through the repair pass and the parser: no crash, and the repaired bytes never hold a
    /// forbidden control character.
    @Test func randomMarkupSoupNeverCrashesTheRepairPass() {
        let alphabet: [UInt8] = Array("<>&;\"'/!?[]-=:# \nabcitemryentfdCDATA".utf8) + [0x00, 0x01, 0x0C, 0xC3, 0xA9]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 55)
            var input: [UInt8] = Array("<rss><channel>".utf8)
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                input.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let repaired = XMLMarkupRepair.repair(input).bytes ?? input
            #expect(!repaired.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } || input == repaired)
            _ = try? MarkupParser.parseXML(repaired)
        }
    }

    @Test func cancelledBudgetFailsTheFeed() throws {
        let budget = ParseBudget()
        budget.cancel()
        #expect {
            try FeedParser.parse(rss("<item><guid>1</guid></item>"), url: nil, budget: budget)
        } throws: { error in
            (error as? FeedParseError)?.code == .cancelled
        }
    }

    @Test func deadlineStopsALargeFeedEarly() throws {
        let bytes = rss(String(repeating: "<item><title>t</title><description>d &amp; e</description></item>", count: 50_000))
        let clock = SteppingClock()
        let budget = ParseBudget(deadline: SteppingClock.Instant(ticks: 3), clock: clock)
        #expect {
            try FeedParser.parse(bytes, url: nil, budget: budget)
        } throws: { error in
            (error as? FeedParseError)?.code == .timeBudgetExceeded
        }
        // The parser gave up after a few checks, long before it had seen every event.
        #expect(clock.counter.reads.load(ordering: .relaxed) < 10)
        // Without a budget the same feed parses.
        #expect(try FeedParser.parse(bytes, url: nil).entries.count == 1000)
    }
}
