import Synchronization
import Testing

@testable import HeraldHTML

/// A clock that moves one tick each time it is read, so a deadline of N ticks means "after N budget checks",
/// whatever the machine's speed.
struct SteppingClock: Clock {
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

/// A clock that never reaches its deadline but cancels a budget at its second reading, as a shutdown arriving from
/// another thread mid-parse would.
struct CancellingClock: Clock {
    typealias Instant = SteppingClock.Instant

    final class State: @unchecked Sendable {
        let reads = Atomic<Int64>(0)
        var budget: ParseBudget?
    }

    let state = State()
    var now: Instant {
        if state.reads.add(1, ordering: .relaxed).newValue == 2 { state.budget?.cancel() }
        return Instant(ticks: 0)
    }
    var minimumResolution: Swift.Duration { .seconds(1) }
    func sleep(until deadline: Instant, tolerance: Swift.Duration?) async throws {}
}

@Suite("XML SAX builder: entities, limits, budget")
struct StreamingXMLBuilderTests {
    func text(_ doc: MarkupDocument) -> String { doc.textContent(of: doc.root) }

    @Test func internalEntitiesAreNeverExpanded() throws {
        // The DOCTYPE reaches the parser intact here: only the builder's handler keeps it safe.
        let xml = """
            <!DOCTYPE r [<!ENTITY e "EXPANDED"><!ENTITY m "<b>markup</b>">]>
            <r a="&e;">one &e; two &m; three &amp; &#65;&#x42;</r>
            """
        let doc = try MarkupParser.parseXML(Array(xml.utf8))
        #expect(text(doc) == "one  two  three & AB")
        #expect(doc.attribute("a", of: doc.documentElement!) == "")
    }

    @Test func ampersandInAttributesIsDecoded() throws {
        let doc = try MarkupParser.parseXML(Array(#"<r href="a?x=1&amp;y=2&#38;z=&lt;3"/>"#.utf8))
        #expect(doc.attribute("href", of: doc.documentElement!) == "a?x=1&y=2&z=<3")
    }

    @Test func referencesAfterAWellFormednessErrorSurvive() throws {
        // The mismatched end tag is an error; libxml2 2.9 would drop every later reference.
        let xml = "<r><a>one</b><c>x=1&amp;y=2 &lt;p&gt;phi&lt;/p&gt; &#233;</c></r>"
        let doc = try MarkupParser.parseXML(Array(xml.utf8))
        #expect(!doc.errors.isEmpty)
        #expect(text(doc).contains("x=1&y=2 <p>phi</p> é"))
    }

    @Test func entityFloodStaysTheSizeOfItsInput() throws {
        // 300 KB of references to a 4 KB entity: it used to expand to over a gigabyte.
        let value = String(repeating: "x", count: 4096)
        var xml = "<!DOCTYPE r [<!ENTITY big \"\(value)\">]><r>"
        let references = String(repeating: "<p>&big;&big;&big;&big;&big;&big;&big;&big;</p>", count: 7000)
        xml += references + "</r>"
        #expect(xml.utf8.count > 300_000)
        let doc = try MarkupParser.parseXML(Array(xml.utf8))
        #expect(text(doc).isEmpty)
        #expect(doc.nodeCount == 2 + 7000)
        #expect(doc.outputBytes < xml.utf8.count)
    }

    @Test func attributeDefaultsCannotMultiplyPastTheOutputLimit() throws {
        // ATTLIST defaults give every element attributes it does not spell out.
        let defaults = (0..<200).map { "a\($0) CDATA \"\(String(repeating: "v", count: 200))\"" }.joined(separator: " ")
        let xml = "<!DOCTYPE r [<!ATTLIST e \(defaults)>]><r>" + String(repeating: "<e/>", count: 20_000) + "</r>"
        do {
            let doc = try MarkupParser.parseXML(Array(xml.utf8))
            #expect(doc.outputBytes <= MarkupDocument.outputLimit(forInputBytes: xml.utf8.count))
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    @Test func attributesPerElementAreCapped() throws {
        let attributes = (0..<5000).map { "a\($0)=\"v\"" }.joined(separator: " ")
        let doc = try MarkupParser.parseXML(Array("<r \(attributes)/>".utf8))
        #expect(doc.attributes(of: doc.documentElement!).count == MarkupDocument.maximumAttributesPerElement)
        #expect(doc.droppedAttributeCount == 5000 - MarkupDocument.maximumAttributesPerElement)
    }

    @Test func namespacesAndUndeclaredPrefixes() throws {
        let xml = #"<r xmlns="urn:d" xmlns:p="urn:p" xml:lang="en"><p:a p:x="1"/><q:b q:y="2"/></r>"#
        let doc = try MarkupParser.parseXML(Array(xml.utf8))
        let root = doc.documentElement!
        #expect(doc.namespace(of: root) == "urn:d")
        #expect(doc.attribute("lang", namespace: "http://www.w3.org/XML/1998/namespace", of: root) == "en")
        let children = doc.elementChildren(of: root)
        #expect(doc.name(of: children[0]) == "a")
        #expect(doc.prefix(of: children[0]) == "p")
        #expect(doc.attribute("x", namespace: "urn:p", of: children[0]) == "1")
        #expect(doc.name(of: children[1]) == "q:b")
        #expect(doc.namespace(of: children[1]) == nil)
        #expect(doc.attribute("q:y", of: children[1]) == "2")
    }

    static let largeDocument: [UInt8] = Array(
        ("<r>" + String(repeating: "<item><title>t</title><p>text &amp; more</p></item>", count: 50_000) + "</r>").utf8)

    @Test func cancelledBudgetStopsTheParseEarly() throws {
        let budget = ParseBudget()
        let clockless = try MarkupParser.parseXML(Self.largeDocument)
        #expect(clockless.nodeCount > 200_000)
        budget.cancel()
        #expect(throws: MarkupError.self) { try MarkupParser.parseXML(Self.largeDocument, budget: budget) }
        do {
            _ = try MarkupParser.parseXML(Self.largeDocument, budget: budget)
        } catch {
            #expect(error.code == .cancelled)
        }
    }

    @Test func cancellationMidParseStopsItEarly() throws {
        let clock = CancellingClock()
        let budget = ParseBudget(deadline: SteppingClock.Instant(ticks: 1_000), clock: clock)
        clock.state.budget = budget
        do {
            _ = try MarkupParser.parseXML(Self.largeDocument, budget: budget)
            Issue.record("the parse should have stopped")
        } catch {
            #expect(error.code == .cancelled)
            #expect(error.nodesBuilt > 0)
            #expect(error.nodesBuilt < 4 * ParseBudget.checkInterval)
        }
    }

    @Test func deadlineStopsTheParseAfterFewChecks() throws {
        // The clock moves one tick per read: a deadline 3 ticks away passes at the third check.
        let clock = SteppingClock()
        let budget = ParseBudget(deadline: SteppingClock.Instant(ticks: 3), clock: clock)
        do {
            _ = try MarkupParser.parseXML(Self.largeDocument, budget: budget)
            Issue.record("the parse should have stopped")
        } catch {
            #expect(error.code == .timeBudgetExceeded)
            #expect(error.nodesBuilt > 0)
            #expect(error.nodesBuilt < 4 * ParseBudget.checkInterval)
        }
    }

    @Test func htmlParseHonoursTheBudget() throws {
        let page = Array(("<html><body>" + String(repeating: "<p>para <b>bold</b></p>", count: 50_000)).utf8)
        let clock = SteppingClock()
        let budget = ParseBudget(deadline: SteppingClock.Instant(ticks: 2), clock: clock)
        do {
            _ = try MarkupParser.parseHTML(page, encoding: "utf-8", budget: budget)
            Issue.record("the parse should have stopped")
        } catch {
            #expect(error.code == .timeBudgetExceeded)
            #expect(error.nodesBuilt < 3 * ParseBudget.checkInterval)
        }
        let cancelled = ParseBudget()
        cancelled.cancel()
        #expect(throws: MarkupError.self) { try MarkupParser.parseHTML(page, encoding: "utf-8", budget: cancelled) }
        // Without a budget nothing changes.
        #expect(MarkupParser.parseHTML(page, encoding: "utf-8").nodeCount > 200_000)
    }
}
