import Testing

@testable import HeraldEnrich

@Suite struct AmountExtractorTests {
    func amounts(_ text: String) -> [Amount] { EnrichTestSupport.enricher.enrich(text).amounts }

    @Test func money() {
        let found = amounts("Deals worth $5.4bn, Rs 1,000 crore, €3 million, USD 2 billion and 40 million euros.")
        #expect(found.map(\.kind) == [.money, .money, .money, .money, .money])
        #expect(found.map(\.unit) == ["USD", "INR", "EUR", "USD", "EUR"])
        #expect(found.map(\.value) == [5.4e9, 1e10, 3e6, 2e9, 4e7])
        #expect(found.first?.text == "$5.4bn")
    }

    @Test func percentages() {
        let found = amounts("Exports rose over 60% and imports fell 12 per cent, or about 3.5 percent overall.")
        #expect(found.map(\.value) == [60, 12, 3.5])
        #expect(found.allSatisfy { $0.kind == .percent && $0.unit == "%" })
        #expect(found.first?.qualifier == "over")
        #expect(found.first?.text == "over 60%")
    }

    @Test func countsWithTheThingCounted() {
        let found = amounts("They signed 25 agreements and 10 intergovernmental documents; more than 200 firms joined.")
        #expect(found.map(\.unit) == ["agreements", "documents", "firms"])
        #expect(found.map(\.value) == [25, 10, 200])
        #expect(found.last?.qualifier == "more than")
    }

    @Test func yearsDatesOrdinalsTimesAndDurationsAreNotCounts() {
        let found = amounts("In 2018 the 22nd session met on December 4 at 11:18 for 3 years of talks, since 1971 wars.")
        #expect(found.isEmpty)
    }
}
