import Testing

@testable import HeraldEnrich

@Suite struct QuoteExtractorTests {
    let enricher = EnrichTestSupport.enricher

    @Test func speakerAfterTheQuotation() {
        let quotes = enricher.enrich("“The bridge will open in May,” Mayor Ilse Hartung said on Friday.").quotes
        #expect(quotes.count == 1)
        #expect(quotes.first?.speaker?.name == "Ilse Hartung")
        #expect(quotes.first?.speaker?.id == "person:ilse-hartung")
        #expect(quotes.first?.verb == "said")
        #expect(quotes.first?.text == "The bridge will open in May")
    }

    @Test func pronounResolvesToTheLastSubject() {
        let text = """
            Minister Jonas Aldred said the talks with President Emil Varno had gone well. “We agreed on the \
            first steps for the new corridor,” he said.
            """
        let quotes = enricher.enrich(text).quotes
        #expect(quotes.first?.speaker?.name == "Jonas Aldred")
    }

    @Test func speakerBeforeInTheSameSentenceAndAccordingTo() {
        let text = """
            Chancellor Greta Moll stressed that the plan was “a fair deal for every region of the country”.
            According to Governor Piet Laan, “the money arrives next year for the schools”.
            """
        let quotes = enricher.enrich(text).quotes
        #expect(quotes.count == 2)
        #expect(quotes.first?.speaker?.name == "Greta Moll")
        #expect(quotes.first?.verb == "stressed")
        #expect(quotes.last?.speaker?.name == "Piet Laan")
        #expect(quotes.last?.verb == "according to")
    }

    @Test func quotationOnItsOwnLineTakesTheNextLinesSpeaker() {
        let text = """
            Speaking at the port, Admiral Rhea Tallis praised the crews.
            “Our sailors have shown what they can do in the hardest weather,”
            Tallis said, thanking the families.
            """
        let quotes = enricher.enrich(text).quotes
        #expect(quotes.first?.speaker?.name == "Rhea Tallis")
    }

    @Test func headlineAttributionAndScareQuotes() {
        let text = "‘We’ve waited long for this day’: Senator Maia Roos on the vote\nThe “green” plan passed."
        let quotes = enricher.enrich(text).quotes
        #expect(quotes.count == 1)
        #expect(quotes.first?.speaker?.name == "Maia Roos")
        #expect(quotes.first?.text == "We’ve waited long for this day")
    }

    @Test func unattributedQuotationHasNoSpeaker() {
        let quotes = enricher.enrich("The agreement speaks of “a new era of cooperation between neighbours”.").quotes
        #expect(quotes.count == 1)
        #expect(quotes.first?.speaker == nil)
    }
}

@Suite struct QuoteExtractorHostileInputTests {
    @Test func unclosedMarksAndHugeSentencesFinish() {
        let marks = String(repeating: "“Ab cd ef ", count: 5_000)
        let result = EnrichTestSupport.enricher.enrich(marks + "\n" + String(repeating: "he said “a b c” ", count: 2_000))
        #expect(result.quotes.count == 2_000)
        #expect(result.quotes.allSatisfy { $0.text == "a b c" })
    }
}
