import HeraldHTML
import Testing

@testable import HeraldExtract

/// Pages shaped like the ones the extractor met on the open web and failed on (issue 11), one fixture per cause.
@Suite struct WholeWebPageTests {
    private func extract(_ fixture: String, contentType: String? = nil) throws -> ExtractedArticle {
        ArticleExtractor.extract(ExtractionInput(html: try FixtureLoader.bytes(fixture), httpContentType: contentType))
    }

    private func paragraphs(_ html: String) -> [String] {
        var extractor = MainTextExtractor(
            tree: PageTree(MarkupParser.parseHTML(Array(html.utf8), encoding: "utf-8")), title: nil, bodyHint: nil)
        return extractor.paragraphs()
    }

    @Test func furnitureWordOnTheArticleContainerIsOutweighedByItsProse() throws {
        // `newsletter` and `share` name the content type and a wrapper, on the element holding the whole article.
        let text = try extract("furniture_class_article.html").text
        #expect(text.hasPrefix("Members voted by a wide margin on Tuesday"))
        #expect(text.hasSuffix("prepare their first statements."))
        #expect(!text.contains("Sign up for the weekly newsletter"))
        #expect(!text.contains("news and resources"))
    }

    @Test func nextJSRootAndLayoutFlagsAreNotFurniture() throws {
        // `__next` is not the word "next", `has-sidebar` is a flag about a neighbour.
        let text = try extract("nextjs_root.html").text
        #expect(text.hasPrefix("A workflow is a file in your repository"))
        #expect(text.contains("Each job runs on a fresh machine."))
        #expect(text.hasSuffix("a failing test stops the release."))
        #expect(!text.contains("reference guide"))
    }

    @Test func wordPressCategoryAndTagClassesAreNotFurniture() throws {
        let text = try extract("wordpress_categories.html").text
        #expect(text.hasPrefix("Browning the butter is the one step"))
        #expect(text.hasSuffix("without drying out."))
        #expect(!text.contains("step by step with photos"))
        #expect(!text.contains("You may also like"))
    }

    @Test func cardGridInsideLinksIsTheContent() throws {
        let article = try extract("card_grid.html")
        let lines = article.text.components(separatedBy: "\n\n")
        #expect(lines.count == 5)
        #expect(lines.first == "Backend Engineer Lantern Freight Full-time, anywhere in Europe, 60,000 to 80,000 EUR")
        #expect(article.text.contains("Security Analyst Northwind Cloud"))
        #expect(!article.text.contains("Post a job"))
        #expect(!article.text.contains("Privacy"))
    }

    @Test func teaserCardsBesideProseStayLinks() {
        let story = (1...4).map {
            "Paragraph \($0) of the story, long enough to read as prose, with a clause or two, and a full stop."
        }
        let cards = (1...3).map {
            "<a href=\"/t\($0)\"><div><h3>Teaser \($0)</h3>"
                + "<p>A short line about another story on the site.</p></div></a>"
        }
        let page = "<html><body><div class=\"story\">" + story.map { "<p>\($0)</p>" }.joined() + "</div>"
            + "<div class=\"more\">" + cards.joined() + "</div></body></html>"
        #expect(paragraphs(page) == story)
    }

    @Test func staleCharsetDeclarationGivesWayToValidUTF8() throws {
        let article = try extract("stale_charset.html")
        #expect(article.encoding == "utf-8")
        #expect(article.text.hasPrefix("Die Brücke über den Rhein wird ab März für zwölf Wochen gesperrt"))
        #expect(article.text.contains("„Wir wissen, dass das für viele Pendler ärgerlich ist“"))
        // The HTTP header still wins.
        #expect(try extract("stale_charset.html", contentType: "text/html; charset=iso-8859-1").encoding
            == "windows-1252")
    }

    @Test func textThatLandsInHeadCountsAsBody() throws {
        let text = try extract("no_body.html").text
        #expect(text.hasPrefix("The harbour reopened on Friday"))
        #expect(text.hasSuffix("until the end of August."))
        #expect(text.components(separatedBy: "\n\n").count == 3)
    }

    @Test func streamedPageParkedInAHiddenElementIsRead() throws {
        let text = try extract("streamed_hidden.html").text
        #expect(text.hasPrefix("An execution plan is a tree"))
        #expect(text.hasSuffix("adding an index for it."))
        #expect(!text.contains("Subscribe to our mailing list"))
        #expect(!text.contains("Loading"))
    }

    @Test func buttonSwallowingThePageThroughAMissingEndTagIsRead() {
        let story = (1...4).map {
            "Paragraph \($0) sits after a button whose end tag the parser never matched, so it ends up inside it."
        }
        let page = "<html><body><header><button class=\"menu\"><div>Menu<div></button></div></header><main>"
            + story.map { "<p>\($0)</p>" }.joined() + "</main></body></html>"
        #expect(paragraphs(page) == story)
        // A real button's label is still not text.
        #expect(!paragraphs("<html><body><p>\(story[0])</p><button>Load more</button></body></html>")
            .contains { $0.contains("Load more") })
    }

    @Test func commentThreadIsDroppedBesideTheArticleButKeptAsTheWholePage() {
        let story = (1...3).map {
            "Paragraph \($0) of the article itself, written by the newsroom, long enough to count."
        }
        let comments = (1...2).map { "<p>Reader comment \($0): I disagree with the second paragraph entirely.</p>" }
        let article = "<html><body><article>" + story.map { "<p>\($0)</p>" }.joined() + "</article>"
            + "<section class=\"comments\">" + comments.joined() + "</section></body></html>"
        #expect(paragraphs(article) == story)
        let posts = (1...4).map { "Post \($0) in the thread: a long answer about configuring the proxy, with details." }
        let thread = "<html><body><div class=\"comment-list\">" + posts.map { "<p>\($0)</p>" }.joined()
            + "</div></body></html>"
        #expect(paragraphs(thread) == posts)
    }
}
