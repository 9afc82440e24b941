import HeraldHTML
import Testing

@testable import HeraldExtract

@Suite struct MainTextExtractorTests {
    private func tree(_ html: String) -> PageTree {
        PageTree(MarkupParser.parseHTML(Array(html.utf8), encoding: "utf-8"))
    }

    private let story = [
        "The harbour reopened on Friday after six weeks of dredging, the port authority said in a statement.",
        "Dredgers removed forty thousand cubic metres of silt, restoring a depth of seven metres at low tide.",
    ]

    /// A wordy block of essays, heavy with commas, that outscores the short story on its own.
    private var essays: String {
        let essay = "<p>Long essay text, with commas, clauses, asides, and more clauses, goes on and on, and on, "
            + "at great length, about many things, none of them news, all of them words.</p>"
        return "<div class=\"essays\">" + String(repeating: essay, count: 8) + "</div>"
    }

    @Test func jsonLDBodyPicksTheContainer() {
        let page = tree(
            "<html><body><div class=\"x\">" + story.map { "<p>\($0)</p>" }.joined() + "</div>" + essays
                + "</body></html>")
        var withHint = MainTextExtractor(tree: page, title: nil, bodyHint: story.joined(separator: "\n") + " More.")
        withHint.tracing = true
        #expect(withHint.paragraphs() == story)
        #expect(withHint.trace.contains { $0.hasPrefix("hint matched") })

        var withoutHint = MainTextExtractor(tree: page, title: nil, bodyHint: nil)
        #expect(withoutHint.paragraphs() != story)
    }

    @Test func jsonLDBodyReplacesAMissingBody() {
        let body = (1...4).map { "Paragraph \($0) of a story that the page only renders with JavaScript later on." }
        let page = tree("<html><body><div id=\"app\"><p>Loading…</p></div></body></html>")
        var extractor = MainTextExtractor(tree: page, title: nil, bodyHint: body.joined(separator: "\n"))
        #expect(extractor.paragraphs() == body)
    }

    @Test func hiddenElementsAreDropped() {
        let page = tree("""
            <html><body><article>
            <p>\(story[0])</p><p style="display: none">Hidden promotional text that readers never see at all.</p>
            <div hidden><p>Another hidden block that should not be part of the article text either.</p></div>
            <p>\(story[1])</p></article></body></html>
            """)
        var extractor = MainTextExtractor(tree: page, title: nil, bodyHint: nil)
        #expect(extractor.paragraphs() == story)
    }
}
