import Testing

@testable import HeraldExtract

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
        #expect(FurnitureClassifier.verdict(classAndID: "comments-area", role: nil) == .comments)
        #expect(FurnitureClassifier.verdict(classAndID: "", role: "navigation") == .furniture)
        #expect(FurnitureClassifier.verdict(classAndID: "relatedstories", role: nil) == .furniture)
        #expect(FurnitureClassifier.verdict(classAndID: "commentlist", role: nil) == .comments)
        // Captions go whatever their length; "embed" alone does not make an image caption a quoted post.
        #expect(FurnitureClassifier.verdict(classAndID: "InlineImage-imageEmbedCaption", role: nil) == .furniture)
        #expect(FurnitureClassifier.verdict(classAndID: "wp-caption-text", role: nil, isParagraph: true) == .furniture)
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

    @Test func flagNamesAreNotWordsAboutTheElement() {
        #expect(FurnitureClassifier.verdict(classAndID: "__next", role: nil) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "next", role: nil) == .weakFurniture)
        let flags = "layout has-sidebar no-sidebars has-rail-right"
        #expect(FurnitureClassifier.verdict(classAndID: flags, role: nil) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "sidebar", role: nil) == .furniture)
        #expect(
            FurnitureClassifier.verdict(
                classAndID: "post type-post category-advertising tag-cookie-recipes entry-category-facebook", role: nil)
                == .content)
        #expect(FurnitureClassifier.verdict(classAndID: "node node--type-newsletter-article", role: nil) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "newsletter-signup", role: nil) == .strongFurniture)
        #expect(FurnitureClassifier.verdict(classAndID: "hidden md:block", role: nil) == .neutral)
        #expect(FurnitureClassifier.verdict(classAndID: "hidden", role: nil) == .weakFurniture)
        #expect(FurnitureClassifier.verdict(classAndID: "tag-list", role: nil) == .neutral)
    }
}
