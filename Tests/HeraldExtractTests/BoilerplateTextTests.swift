import Testing

@testable import HeraldExtract

@Suite struct BoilerplateTextTests {
    @Test(arguments: [
        "Also read: Markets rally as rates hold",
        "ALSO READ | Ten things to know today",
        "Read more: the full interview",
        "Follow us on Twitter and Facebook",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Subscribe to our newsletter for daily updates",
        "Copyright © 2025 Example Media. All rights reserved.",
        "Advertisement",
        "Story continues below advertisement",
        "Updated at 1:23 p.m.",
        "This slideshow requires JavaScript.",
    ])
    func recognisesFurnitureWording(_ line: String) {
        #expect(BoilerplateText.isBoilerplate(line))
    }

    @Test(arguments: [
        "Posted on social media by the performance analysts at Digital Foundry, the port is not entirely smooth on "
            + "the platform, with frame rates dipping well below the target in busy scenes.",
        "The council said it would read more of the submissions before deciding on the bridge.",
        "Officials updated the timetable on Monday after complaints from commuters.",
        "Follow-up inspections are planned for the spring.",
    ])
    func keepsStoryText(_ line: String) {
        #expect(!BoilerplateText.isBoilerplate(line))
    }
}

@Suite struct FurnitureClassifierTests {
    @Test func tokenisesClassNames() {
        #expect(FurnitureClassifier.tokenize("share-bar relatedArticles  ad_slot") == [
            "share", "bar", "related", "articles", "ad", "slot",
        ])
    }

    @Test func furnitureWords() {
        #expect(FurnitureClassifier.verdict(classAndID: "social-share", role: nil) == .furniture)
        #expect(FurnitureClassifier.verdict(classAndID: "also-read", role: nil) == .furniture)
        #expect(FurnitureClassifier.verdict(classAndID: "ad-container", role: nil) == .furniture)
        #expect(FurnitureClassifier.verdict(classAndID: "comments-area", role: nil) == .strongFurniture)
        #expect(FurnitureClassifier.verdict(classAndID: "", role: "navigation") == .furniture)
        #expect(FurnitureClassifier.verdict(classAndID: "relatedstories", role: nil) == .furniture)
    }

    @Test func noFalseHitsInsideWords() {
        // "ad" inside "head", "shadow", "load"; "header" inside "article-header".
        #expect(FurnitureClassifier.verdict(classAndID: "box-shadow thread-head", role: nil) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "lazy-load", role: nil) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "article-header", role: nil) == .content)
        #expect(FurnitureClassifier.verdict(classAndID: "story-body", role: nil) == .content)
    }

    @Test func weakWordsAndEmbeds() {
        #expect(FurnitureClassifier.verdict(classAndID: "byline", role: nil) == .weakFurniture)
        #expect(FurnitureClassifier.verdict(classAndID: "lead title", role: nil, isParagraph: true) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "twitter-tweet", role: nil) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "social-media-embed", role: nil) == .neutral)
    }
}
