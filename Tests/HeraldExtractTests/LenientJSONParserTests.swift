import Testing

@testable import HeraldExtract

/// Issue 9.4: the lenient JSON-LD parser reads every byte a bounded number of times.
@Suite struct LenientJSONParserTests {
    func steps(_ text: String) -> Int { LenientJSONParser.parseAllCountingSteps(text).steps }

    @Test func deepNestingCostsLinearWork() {
        // Nested far past the depth limit: skipped in one pass, not retried from every next byte.
        func nested(_ n: Int) -> String { String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        let small = steps(nested(25_000))
        let large = steps(nested(100_000))
        #expect(Double(large) / Double(small) < 4.5)
        #expect(large < 4 * 200_000)
    }

    @Test func unclosedNestingCostsLinearWork() {
        // Never closed and broken at the end: formerly re-parsed from each following brace.
        func broken(_ n: Int) -> String { String(repeating: "{\"a\":", count: n) + "oops" }
        let small = steps(broken(10_000))
        let large = steps(broken(40_000))
        #expect(Double(large) / Double(small) < 4.5)
    }

    @Test func valuesAfterAnOverDeepOneAreRead() {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let values = LenientJSONParser.parseAll("{\"deep\": \(deep), \"@type\": \"NewsArticle\"}")
        #expect(values.count == 1)
        #expect(values.first?["@type"]?.stringValue == "NewsArticle")
        #expect(values.first?["deep"] != nil)
    }

    @Test func objectBrokenPartWayKeepsItsMembers() {
        let values = LenientJSONParser.parseAll(
            "{\"@type\": \"NewsArticle\", \"headline\": \"Kept\", \"bad\": undefined} {\"@type\": \"WebSite\"}")
        #expect(values.first?["headline"]?.stringValue == "Kept")
        #expect(values.contains { $0["@type"]?.stringValue == "WebSite" })
    }
}
