import Testing

@testable import HeraldHTML

#if canImport(Glibc)
import Glibc
#endif

/// The SAX-driven builder must give exactly the document libxml2's tree gives.
@Suite struct StreamingHTMLBuilderTests {
    static let snippets: [String] = [
        "<html lang=en><head><title>T &amp; U</title></head><body><DIV Class='a'><p>One <b>two</b></p>x</div>"
            + "</body></html>",
        "<!-- before --><!DOCTYPE html><html><body>\n  <div>\n <p>a</p>\n <p>b</p> <img src=x> \n</div>  </body>"
            + "</html><!-- after -->",
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><html><body>  <div>x</div>  <span> </span> </body></html>",
        "<p>one<br> two<br>\n<b> </b> <i>x</i> <!-- c --> <em>y</em></p><table> <tr> <td> a </td> </tr> </table>",
        "text at the start <html><html lang=fr><body><body class=x>y</body>",
        "<input type=checkbox checked disabled hidden><select><option selected>1</option></select>",
        "<script>var a = '<p>' ; </script> <style>p { x: y }</style><p>&eacute;&#233;&#x263A; &nbsp; &bogus;</p>",
        "<ul><li>one<li>two</ul><dl><dt>a<dd>b</dl><p>unclosed <div>block</div>",
        String(repeating: "<div>", count: 300) + "deep" + String(repeating: "</div>", count: 300) + "<p>after</p>",
        "",
        "   ",
        "<?xml version=\"1.0\"?><html xmlns:og=\"http://ogp.me/ns#\"><head><meta property=\"og:title\" content=\"t\">"
            + "</head></html>",
    ]

    @Test(arguments: snippets) func matchesTreeBuilderOnSnippets(_ html: String) {
        expectSameDocument(Array(html.utf8), encoding: nil, label: String(html.prefix(40)))
    }

    @Test func matchesTreeBuilderOnFixtures() throws {
        for page in TestPages.fixtures() {
            let bytes = try #require(page.bytes, "missing fixture \(page.name)")
            expectSameDocument(bytes, encoding: page.encoding, label: page.name)
        }
    }

    @Test func matchesTreeBuilderOnDirectory() {
        guard let pages = TestPages.equivalenceDirectory() else { return }
        for page in pages { expectSameDocument(page.bytes ?? [], encoding: page.encoding, label: page.name) }
        #expect(!pages.isEmpty)
    }

    private func expectSameDocument(_ bytes: [UInt8], encoding: String?, label: String) {
        let streamed = MarkupParser.parseHTML(bytes, encoding: encoding)
        let tree = MarkupParser.parseHTMLViaTree(bytes, encoding: encoding)
        #expect(streamed.nodeCount == tree.nodeCount, "\(label): node count")
        guard streamed.nodeCount == tree.nodeCount else { return }
        for i in 0..<Int32(tree.nodeCount) {
            let a = MarkupDocument.Node(i)
            let mismatch =
                streamed.kind(of: a) != tree.kind(of: a) || streamed.name(of: a) != tree.name(of: a)
                || streamed.parent(of: a) != tree.parent(of: a)
                || streamed.nextSibling(of: a) != tree.nextSibling(of: a)
                || streamed.firstChild(of: a) != tree.firstChild(of: a) || streamed.text(of: a) != tree.text(of: a)
                || Array(streamed.attributes(of: a)) != Array(tree.attributes(of: a))
            #expect(!mismatch, "\(label): node \(i) differs")
            if mismatch { return }
        }
    }
}
