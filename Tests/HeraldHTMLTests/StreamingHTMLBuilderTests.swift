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
        // #filePath is .../Tests/HeraldHTMLTests/StreamingHTMLBuilderTests.swift.
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        let fixtures = parts.joined(separator: "/") + "/HeraldExtractTests/Fixtures"
        for (name, encoding) in [
            ("body_twice.html", "utf-8"), ("br_separated.html", "utf-8"), ("furniture.html", "utf-8"),
            ("jsonld_graph.html", "utf-8"), ("nested_tables.html", "utf-8"), ("shift_jis.html", "shift_jis"),
            ("euc_kr.html", "euc-kr"), ("windows1252_undeclared.html", "windows-1252"),
        ] {
            let bytes = try #require(Self.read(fixtures + "/" + name), "missing fixture \(name)")
            expectSameDocument(bytes, encoding: encoding, label: name)
        }
    }

    /// Every *.html file in $HERALD_HTML_EQUIVALENCE_DIR (for example the unpacked benchmark pages).
    @Test func matchesTreeBuilderOnDirectory() {
        guard let dir = getenv("HERALD_HTML_EQUIVALENCE_DIR").map({ String(cString: $0) }),
            let handle = opendir(dir)
        else {
            print("skipping: HERALD_HTML_EQUIVALENCE_DIR not set")
            return
        }
        defer { closedir(handle) }
        var checked = 0
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard name.hasSuffix(".html"), let bytes = Self.read(dir + "/" + name) else { continue }
            expectSameDocument(bytes, encoding: "utf-8", label: name)
            checked += 1
        }
        #expect(checked > 0)
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

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        return out
    }
}
