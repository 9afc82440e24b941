import HeraldHTML
import Testing

@testable import HeraldExtract

@Suite struct ParagraphDensityTests {
    private func block(_ text: String, links: Int = 0, tag: HTMLTag = .p, at position: Int) -> TextBlock {
        let length = MainTextExtractor.visibleLength(text)
        return TextBlock(
            text: text, length: length, linkLength: min(links, length), linkCount: links > 0 ? 1 : 0, owner: 0,
            tag: tag, position: position)
    }

    @Test func keepsProseAndTheShortBlocksAmongIt() {
        let prose = "A paragraph of running text that is long enough to read as prose and has no links in it at all."
        let blocks = [
            block("Home News Sport Weather", links: 20, tag: .div, at: 0),
            block("A heading", tag: .h2, at: 1),
            block(prose, at: 2),
            block("Short aside.", at: 3),
            block(prose + " Again.", at: 4),
            block("Trailing short line", at: 5),
            block("Related: five other stories you might like to read next", links: 48, tag: .li, at: 6),
        ]
        #expect(ParagraphDensity.select(blocks).map(\.position) == [1, 2, 3, 4])
    }

    /// Whatever the furniture rules decide, a page with paragraphs never gives empty text.
    @Test func fallbackNeverGivesEmptyTextForAPageWithParagraphs() {
        let pages = [
            // Every paragraph sits in something that looks like furniture.
            "<html><body><div class=\"sidebar\"><p>Only paragraph on the page, inside a sidebar, but still the "
                + "page's text.</p></div></body></html>",
            "<html><body><div class=\"related-links\"><p>Short.</p><p>Another short one.</p></div></body></html>",
            // The paragraphs are mostly links.
            "<html><body><p><a href=\"/a\">A paragraph that is one link from the first word to the last</a></p>"
                + "</body></html>",
            // The page is a comment thread and a newsletter box.
            "<html><body><div class=\"newsletter\"><p>Weekly digest.</p></div><ol class=\"comments\"><li><p>First!"
                + "</p></li></ol></body></html>",
        ]
        for page in pages {
            var extractor = MainTextExtractor(
                tree: PageTree(MarkupParser.parseHTML(Array(page.utf8), encoding: "utf-8")), title: nil, bodyHint: nil)
            #expect(!extractor.paragraphs().isEmpty, "empty text for \(page)")
        }
    }

    @Test func tinyChoiceGivesWayToTheDenseText() {
        // The best-scoring container holds one comma-rich sentence; the page's prose is spread over bare divs.
        let prose = (1...5).map {
            "Section \($0) of the guide explains one step in full sentences, and it is the reason the page exists."
        }
        let page = "<html><body><div class=\"box\"><div>Free shipping, returns, support, and more, always, for you, "
            + "today.</div></div><section>" + prose.map { "<div><span>\($0)</span></div>" }.joined()
            + "</section></body></html>"
        var extractor = MainTextExtractor(
            tree: PageTree(MarkupParser.parseHTML(Array(page.utf8), encoding: "utf-8")), title: nil, bodyHint: nil)
        let text = extractor.paragraphs()
        for line in prose { #expect(text.contains(line)) }
    }
}
