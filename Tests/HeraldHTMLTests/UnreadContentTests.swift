import Testing

@testable import HeraldHTML

#if canImport(Glibc)
import Glibc
#endif

/// Leaving unread parts out before libxml2 parses must change nothing else: the document parsed from the shortened
/// bytes equals the full document with those parts removed, node for node.
@Suite struct UnreadContentTests {
    static let snippets: [String] = [
        "<p>a<!-- <script> --></p><script>var x = \"<style>\";</script><p>b</p>",
        "<div title=\"<script>x</script>\">t</div><script>y</script><p>z</p>",
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script><script>z</script><p>k</p>",
        "<SCRIPT>a</SCRIPT ><Style>b</STYLE><p>c</p>",
        "<script>if (a </b) {}</script><p>d</p>",
        "<script>document.write(\"</scr\" + \"ipt>\")</script><p>e</p>",
        "<script>x</scripts> more <p>inside?</p></script><p>after</p>",
        "<p>a</p><script>var x = 1; <p>never closed",
        "<p>a<!-- b <p>c</p>",
        "<p>a</p><!-- a --!> <p>b</p> --><p>c</p>",
        "<p>x<svg viewBox=\"0 0 1 1\"><g><path d=\"M0 0\"/><title>icon</title></g></svg>y</p>",
        "<p>x<svg><foreignObject><div>t</div></foreignObject></svg>y</p>",
        "<div><svg><svg></svg></div><p>after</p>",
        "<div><svg><g><path d=\"M1\"></g></svg><p>after</p></div>",
        "<svg><style>.a{}</style><script>var s = '</svg>';</script><path/></svg><p>after</p>",
        "<img data-src=\"a\" srcset=\"b 1x\" sizes=\"100vw\" onload=\"f()\" alt=x>"
            + "<div data-x='{\"a\":\">\"}' class=c>t</div>",
        "<LINK REL=canonical HREF=\"/a\"><a HREF='/b' Class=x>t</a><link href=/c /><div href=x title='a>b'>d</div>",
        "<a href=\"<script>\">x</a><script>y</script><a href=unquoted>z</a><a href>w</a><p>after</p>",
        "<a href=x/>b</a><div a=b/>c</div><script>1</script>",
        "<![CDATA[<script>]]><p>t</p><script>q</script>",
        "<?php echo \"<script>\"; ?><p>t</p><script>r</script>",
        "<div title=a>b>c</div><div title=a\"b>c</div><style>s</style>",
        "<p>< script>not a tag</p><script>s</script>",
        "<!DOCTYPE html><html><head><script>a</script></head><body><p>b</p></body></html>",
        "<div \"bogus\">x</div><script>1</script><div 'also'>y</div>",
        "<script src=x />text<script>2</script><p>t</p>",
        "<title><script>x</script></title><textarea><script>y</script></textarea>",
        "<style>/* </styl */ p{}</style><p>q</p>",
        "<script><!-- </script> --></script><p>w</p>",
        "<div data-a=1 data-b='x' onclick=\"a>b\" class='k'>v</div><span on>z</span>",
        "<p data-unclosed=\"never>a</p><script>b</script>",
        "<svg><a href=x><text>t</text></a></svg><p>p</p>",
    ]

    @Test(arguments: snippets) func shortenedParseEqualsFullParse(_ html: String) {
        expectSameAfterOmission(Array(html.utf8), encoding: "utf-8", label: html)
    }

    /// The attributes the equivalence checks keep: a few on any element, href only on <link>.
    static let kept: [String: [String]] = [
        "class": [], "id": [], "type": [], "content": [], "hidden": [], "title": [], "href": ["link"],
    ]

    /// Random pages assembled from awkward pieces (unclosed quotes and comments, stray "<", nested svg, raw text that
    /// looks like markup, attributes in every quoting style): cutting must never change what is left.
    static func randomPage(_ state: inout UInt64) -> String {
        var html = ""
        for _ in 0..<(4 + Int(nextRandom(&state) % 40)) {
            html += awkwardPieces[Int(nextRandom(&state) % UInt64(awkwardPieces.count))]
        }
        return html
    }

    @Test func randomAwkwardPages() {
        var state: UInt64 = 2026
        for round in 0..<1500 {
            let html = Self.randomPage(&state)
            expectSameAfterOmission(Array(html.utf8), encoding: "utf-8", label: "round \(round): \(html)")
        }
    }

    static let awkwardPieces = [
            "<p>", "</p>", "<div class=a>", "<div class='b c'>", "<div class=\"d\" data-x='>'>", "</div>", "text ",
            "<script>", "</script>", "<script type=\"application/ld+json\">", "{\"a\": \"</p>\"}", "<style>",
            "</style>", "p { x: '<b>' }", "<!--", "-->", "--!>", "<!-- c -->", "<svg>", "</svg>", "<path d='M0'/>",
            "<g>", "</g>", "<title>t</title>", "<a href=\"/x\" title=\"<script>\">", "</a>", "<link rel=canonical href=/c>",
            "<", ">", "\"", "'", "=", "/", "</", "<!", "<?x ?>", "<![CDATA[", "]]>", "<img src=x alt='a b'>", "<br/>",
            "<SCRIPT>", "</SCRIPT>", "</scripts>", "<script src=x />", "<textarea>", "</textarea>", "<span onclick=f()>",
            "</span>", "&amp;", "é", "<p title=unquoted>", "<div\n class=\"n\"\n>", "<foreignObject>", "<b>", "</b>",
            "<!DOCTYPE html>", "<html lang=en>", "<body>", "</body>", "<li>", "<table><tr><td>", "</td></tr></table>",
            "<noscript>", "</noscript>", "<template>", "</template>", "<iframe src=x>", "</iframe>", "<Svg Width=1>",
            "</SVG >", "<style/>", "<script/>", "<script\ttype=text/javascript>", "&", "&amp", "&#", "\u{A0}", "\t",
            "<a b=c d='e' f>", "<p hidden>", "<meta name=author content='A B'>", "<head>", "</head>", "<h1>", "</h1>",
            "<xmp>", "</xmp>", "<!---->", "<!-->", "<!--->", "<!-- a -- b -->", "</ p>", "< /p>", "<p/>", "<br>",
            "<select><option>", "</option></select>", "<form>", "</form>", "<input value='<script>'>", "<frameset>",
            "<textarea><script>", "</textarea></script>", "<script><!--", "--></script>", "<style>/*", "*/</style>",
    ]

    /// Unclosed svg elements by the hundred thousand: each failed search for a closing tag rescans the rest of the
    /// page, so the scan is bounded; it must finish and still cut the scripts.
    @Test(.timeLimit(.minutes(1))) func unclosedSVGFloodStaysLinear() throws {
        let html = "<p>" + String(repeating: "<svg><g>", count: 150_000) + "<script>x</script><p>end</p>"
        let shorter = try #require(
            Array(html.utf8).withUnsafeBufferPointer {
                UnreadContent.omit(.unreadByExtraction, from: $0, charset: "utf-8")
            })
        #expect(String(decoding: shorter.suffix(30), as: UTF8.self).hasSuffix("<script></script><p>end</p>"))
    }

    @Test func cutsWhatItShould() throws {
        let html = "<p>a</p><script>var big = 1;</script><style>p{}</style><!-- c --><svg><path d=\"M0\"/></svg>"
            + "<img data-src=x srcset=y onload=z alt=w><script type=\"application/ld+json\">{}</script>"
            + "<link rel=canonical href=/c><a href=/x class=k TITLE=t>l</a>"
        let shorter = try #require(
            Array(html.utf8).withUnsafeBufferPointer {
                UnreadContent.omit(
                    .unreadByExtraction, attributes: HTMLAttributeFilter(keeping: Self.kept), from: $0,
                    charset: "utf-8")
            })
        #expect(
            String(decoding: shorter, as: UTF8.self)
                == "<p>a</p><script></script><style></style><svg></svg><img    >"
                + "<script type=\"application/ld+json\">{}</script><link  href=/c><a  class=k TITLE=t>l</a>")
    }

    @Test func leavesPagesInOtherEncodingsAlone() {
        let html = Array("<p>a</p><script>x</script>".utf8)
        for charset in ["utf-16le", "iso-2022-jp", "utf-7", "ibm037"] {
            let cut = html.withUnsafeBufferPointer { UnreadContent.omit(.unreadByExtraction, from: $0, charset: charset) }
            #expect(cut == nil, "\(charset)")
        }
        var withNUL = html
        withNUL.insert(0, at: 3)
        #expect(withNUL.withUnsafeBufferPointer { UnreadContent.omit(.scriptText, from: $0, charset: "utf-8") } == nil)
    }

    @Test func fixtures() throws {
        for page in TestPages.fixtures() {
            let bytes = try #require(page.bytes, "missing fixture \(page.name)")
            expectSameAfterOmission(bytes, encoding: page.encoding, label: page.name)
        }
    }

    @Test func directory() {
        guard let pages = TestPages.equivalenceDirectory() else { return }
        for page in pages { expectSameAfterOmission(page.bytes ?? [], encoding: page.encoding, label: page.name) }
        #expect(!pages.isEmpty)
    }

    private func expectSameAfterOmission(_ bytes: [UInt8], encoding: String, label: String) {
        let full = Self.flatten(MarkupParser.parseHTML(bytes, encoding: encoding))
        let short = Self.flatten(
            MarkupParser.parseHTML(
                bytes, encoding: encoding, omitting: .unreadByExtraction,
                attributes: HTMLAttributeFilter(keeping: Self.kept)))
        #expect(full.count == short.count, "\(label): \(full.count) vs \(short.count) items")
        for (a, b) in zip(full, short) where a != b {
            Issue.record("\(label): first difference \(a) vs \(b)")
            return
        }
    }

    /// The document as a list of items in document order, without what `.unreadByExtraction` and the `kept`
    /// filter leave out;
    /// adjacent texts are joined (a removed comment no longer separates them).
    static func flatten(_ doc: MarkupDocument) -> [String] {
        var items: [String] = []
        var pendingText: String? = nil
        func emitText() {
            if let text = pendingText { items.append("text " + text) }
            pendingText = nil
        }
        var i: Int32 = 1
        while i < Int32(doc.nodeCount) {
            let node = MarkupDocument.Node(i)
            switch doc.kind(of: node) {
            case .comment:
                i += 1
                continue
            case .text:
                let parent = doc.parent(of: node)!
                let parentName = doc.name(of: parent)
                let isJSONLD = doc.attribute("type", of: parent)?.lowercased().contains("ld+json") ?? false
                if parentName == "style" || (parentName == "script" && !isJSONLD) {
                    i += 1
                    continue
                }
                pendingText = (pendingText ?? "") + doc.text(of: node)
                i += 1
                continue
            default:
                break
            }
            emitText()
            let attributes = doc.attributes(of: node).filter { a in
                guard let elements = kept[a.name] else { return false }
                return elements.isEmpty || elements.contains(doc.name(of: node))
            }
            var depth = 0
            var p = doc.parent(of: node)
            while let q = p {
                depth += 1
                p = doc.parent(of: q)
            }
            items.append("\(depth) <\(doc.name(of: node)) \(attributes.map { "\($0.name)=\($0.value)" })>")
            // Skip svg content.
            i = doc.name(of: node) == "svg" ? doc.subtreeEnd(of: node) : i + 1
        }
        emitText()
        return items
    }
}

/// A linear congruential step: deterministic numbers, so a failing page can be reproduced.
func nextRandom(_ state: inout UInt64) -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 33
}
