import HeraldHTML
import Testing

@testable import HeraldFeeds

/// Feed HTML made safe to render: classic filter-evasion vectors (written for these tests, in the spirit of the
/// OWASP XSS filter evasion list) leave nothing that runs or loads active content.
@Suite("HTML sanitiser")
struct HTMLSanitizerTests {
    static let vectors: [String] = [
        "<script>alert('XSS')</script>",
        "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=javascript:alert('XSS')>",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
        "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
        "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
        "<IMG SRC=# onmouseover=\"alert('xxs')\">",
        "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
        "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
        "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
        "<IMG SRC=\"jav\tascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
        "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
        "<SCRIPT/XSS SRC=\"https://evil.example/xss.js\"></SCRIPT>",
        "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
        "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
        "<SCRIPT SRC=//evil.example/.j>",
        "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
        "<iframe src=https://evil.example/scriptlet.html <",
        "\\\";alert('XSS');//",
        "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
        "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
        "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
        "<IMG DYNSRC=\"javascript:alert('XSS')\">",
        "<IMG LOWSRC=\"javascript:alert('XSS')\">",
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
        "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
        "<svg/onload=alert('XSS')>",
        "<svg><script>alert(1)</script></svg>",
        "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction></math>",
        "<BODY ONLOAD=alert('XSS')>",
        "<BGSOUND SRC=\"javascript:alert('XSS');\">",
        "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
        "<STYLE>@import'https://evil.example/xss.css';</STYLE>",
        "<META HTTP-EQUIV=\"Link\" Content=\"<https://evil.example/xss.css>; REL=stylesheet\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
        "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
        "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
        "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
        "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
        "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
        "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
        "<DIV STYLE=\"width: expression(alert('XSS'));\">",
        "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
        "<BASE HREF=\"javascript:alert('XSS');//\">",
        "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"https://evil.example/scriptlet.html\"></OBJECT>",
        "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
        "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">click</a>",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
        "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(2)\">go</button></form>",
        "<a href=\"&#1;javascript:alert(1)\">x</a>",
        "<a href=\"java\u{0}script:alert(1)\">x</a>",
        "<a href=\"  javascript:alert(1)\">x</a>",
        "<div><scr<script>ipt>alert(1)</scr</script>ipt></div>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<a href=\"https://ok.example/\" style=\"position:fixed\" onclick=\"steal()\">fine</a>",
        "<template><script>alert(1)</script></template>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<img srcset=\"https://ok.example/a.png 1x, javascript:alert(1) 2x\">",
        "<object data=\"javascript:alert(1)\"></object><applet code=\"x\"></applet>",
    ]

    static let activeElements: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
        "svg", "math", "template", "base", "link", "meta", "bgsound", "noscript",
    ]

    /// Parses the output as a browser would and looks for anything active.
    func activeParts(_ html: String) -> [String] {
        let doc = MarkupParser.parseHTML(Array(html.utf8), encoding: "utf-8")
        var found: [String] = []
        for node in doc.descendants(of: doc.root) where doc.kind(of: node) == .element {
            let name = doc.name(of: node)
            if Self.activeElements.contains(name) { found.append("<\(name)>") }
            for attribute in doc.attributes(of: node) {
                let lower = attribute.name.lowercased()
                if lower.hasPrefix("on") || lower == "style" || lower == "background" || lower == "dynsrc"
                    || lower == "lowsrc" || lower == "formaction" || lower == "action"
                {
                    found.append("\(name)@\(lower)")
                }
                if HTMLSanitizer.urlAttributes.contains(lower),
                    !HTMLSanitizer.isSafeURL(attribute.value, attribute: lower, element: name)
                {
                    found.append("\(name)@\(lower)=\(attribute.value)")
                }
            }
        }
        return found
    }

    @Test(arguments: vectors)
    func vectorLeavesNothingActive(_ vector: String) throws {
        let clean = try HTMLSanitizer.sanitize(vector)
        #expect(activeParts(clean.html).isEmpty, "\(clean.html)")
        let lower = clean.html.lowercased()
        #expect(!lower.contains("javascript:"))
        #expect(!lower.contains("vbscript:"))
        #expect(!lower.contains("<script"))
        #expect(!lower.contains(" on"), "\(clean.html)")
        // Sanitising is stable: the output is already clean.
        #expect(try HTMLSanitizer.sanitize(clean.html).html == clean.html)
    }

    @Test func harmlessMarkupIsKept() throws {
        let html = """
            <p class="lede">Rates <b>held</b> &amp; <a href="https://ledger.example/a?x=1&amp;y=2" title="More">markets</a> \
            calm.</p><p><img src="data:image/png;base64,iVBORw0KGgo=" alt="chart"><img src="/rel/pic.jpg"></p>\
            <ul><li>one</li><li>two</li></ul><script>track()</script>
            """
        let clean = try HTMLSanitizer.sanitize(html)
        #expect(
            clean.html
                == "<p>Rates <b>held</b> &amp; <a href=\"https://ledger.example/a?x=1&amp;y=2\" title=\"More\">markets</a> "
                + "calm.</p><p><img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"chart\"><img src=\"/rel/pic.jpg\"></p>"
                + "<ul><li>one</li><li>two</li></ul>")
        #expect(clean.text == "Rates held & markets calm.\none\ntwo")
    }

    @Test func attributeFloodIsCutBeforeLibxml2ReadsIt() throws {
        // 100,000 kept-name attributes on one element: libxml2 2.9 compares each with every earlier one.
        let attributes = (0..<100_000).map { "title=\"t\($0)\"" }.joined(separator: " ")
        let clean = try HTMLSanitizer.sanitize("<p \(attributes)>x</p>")
        let doc = MarkupParser.parseHTML(Array(clean.html.utf8), encoding: "utf-8")
        let p = try #require(doc.elements(named: "p", under: doc.root).first)
        #expect(doc.attributes(of: p).count <= MarkupDocument.maximumAttributesPerElement)
        #expect(clean.text == "x")
    }

    @Test func plainTextIsEscaped() throws {
        let clean = try HTMLSanitizer.sanitize("5 > 3 and 2 < 4")
        #expect(clean.html == "5 &gt; 3 and 2 &lt; 4")
        #expect(clean.text == "5 > 3 and 2 < 4")
    }

    @Test func feedEntriesCarrySanitisedFieldsBesideTheRawOnes() throws {
        let xml = """
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><guid>1</guid>
            <description>&lt;p onclick="x()"&gt;Short&lt;/p&gt;&lt;script&gt;bad()&lt;/script&gt;</description>
            <content:encoded><![CDATA[<p>Long <iframe src="https://evil.example/"></iframe>text</p>]]></content:encoded>
            </item></channel></rss>
            """
        let entry = try #require(try FeedParser.parse(Array(xml.utf8), url: nil).entries.first)
        #expect(entry.summary?.contains("<script>") == true)
        #expect(entry.sanitizedSummary == SanitizedHTML(html: "<p>Short</p>", text: "Short"))
        #expect(entry.contentHTML?.contains("<iframe") == true)
        #expect(entry.sanitizedContent == SanitizedHTML(html: "<p>Long text</p>", text: "Long text"))
    }
}
