import Testing

@testable import HeraldEnrich

@Suite struct StoryClustererTests {
    let enricher = EnrichTestSupport.enricher

    func article(_ id: String, _ outlet: String, hours: Double, _ text: String) -> StoryArticle {
        let title = String(text.split(separator: "\n").first ?? "")
        return StoryArticle(
            id: id, outlet: outlet, time: 1_800_000_000 + hours * 3600, title: title, text: text,
            entityIDs: enricher.enrich(text).entityIDs)
    }

    static let oilTrade = """
        India's imports of Russian crude fell in November as refiners cut purchases
        Indian refiners bought less crude oil from Russia last month, shipping data showed, as buyers weighed \
        payment problems and higher freight rates. Reliance Industries and Nayara Energy took fewer cargoes \
        than in October, according to the tanker tracker Kpler. Analysts at Kotak Securities said the discount \
        on Urals crude had narrowed to about four dollars a barrel, making Middle Eastern grades competitive.
        """
    static let cricket = """
        Sharma century steers India to series win
        Rohit Sharma scored an unbeaten 121 as India beat Australia by seven wickets in Perth on Sunday to take \
        the series 2-1. Virat Kohli added 74 and the pair put on 160 for the second wicket. Australia captain \
        Pat Cummins said his bowlers had run out of ideas on a flat pitch at the Optus Stadium.
        """
    static let chess = """
        Russian grandmaster wins rapid title in Chennai
        Grandmaster Ilya Voronin of Russia won the Chennai Rapid Open on Saturday, beating India's Arjun Patel \
        in a tie-break. The tournament drew 240 players from India, Russia and 30 other countries. Organisers \
        said the next edition would move to Bengaluru and double the prize fund.
        """

    @Test func seedsFormOneStoryAndUnrelatedArticlesDoNot() throws {
        guard let seeds = EnrichTestSupport.seeds() else {
            print("StoryClustererTests: ../shared/corpus/seeds not found; skipping the seed story test")
            return
        }
        var clusterer = StoryClusterer()
        var stories: [String] = []
        for (index, seed) in seeds.enumerated() {
            let assignment = clusterer.add(article(seed.name, "outlet\(index)", hours: Double(index), seed.text))
            stories.append(assignment.storyID)
        }
        #expect(Set(stories).count == 1, "seeds split into \(stories)")
        for (id, text) in [("oil", Self.oilTrade), ("cricket", Self.cricket), ("chess", Self.chess)] {
            let assignment = clusterer.add(article(id, "other", hours: 6, text))
            #expect(assignment.created, "\(id) joined \(assignment.storyID)")
        }
        // A near-copy of a seed with a new headline and a dropped paragraph joins the seeds' story.
        var lines = seeds[0].text.split(separator: "\n").map(String.init)
        lines[0] = "Defence ties in focus as ministers meet"
        lines.remove(at: 2)
        let copy = clusterer.add(article("copy", "aggregator", hours: 8, lines.joined(separator: "\n")))
        #expect(copy.storyID == stories[0])
        #expect((copy.derivedFrom?.share ?? 0) > 0.5)
        #expect(copy.derivedFrom?.articleID == seeds[0].name)
        let story = try #require(clusterer.story(stories[0]))
        #expect(story.articleIDs.count == seeds.count + 1)
        #expect(story.outlets.count == seeds.count + 1)
        #expect(story.topEntityIDs.contains("person:rajnath-singh"))
    }

    @Test func articlesOutsideTheWindowStartANewStory() {
        var clusterer = StoryClusterer(window: 72 * 3600)
        let first = clusterer.add(article("a", "x", hours: 0, Self.chess))
        let again = clusterer.add(article("b", "y", hours: 1, Self.chess))
        let late = clusterer.add(article("c", "z", hours: 100, Self.chess))
        #expect(first.created)
        #expect(again.storyID == first.storyID)
        #expect(again.derivedFrom?.articleID == "a")
        #expect(late.created)
        #expect(clusterer.story(first.storyID) == nil)
    }

    @Test func sharingOnlyTwoCountriesIsNotEnough() {
        var clusterer = StoryClusterer()
        let oil = clusterer.add(article("oil", "x", hours: 0, Self.oilTrade))
        let chess = clusterer.add(article("chess", "y", hours: 1, Self.chess))
        #expect(oil.created && chess.created)
    }
}
