import Testing

@testable import HeraldHTML

@Suite struct MarkupParserTests {
    @Test func parsesHTMLIntoATree() throws {
        let html = Array("<html lang=en><head><title>T &amp; U</title></head><body><DIV Class='a'><p>One <b>two</b></p>x</div><!-- c --></body></html>".utf8)
        let doc = MarkupParser.parseHTML(html, encoding: nil)
        let root = try #require(doc.documentElement)
        #expect(doc.name(of: root) == "html")
        #expect(doc.attribute("LANG", of: root) == "en")
        let title = try #require(doc.elements(named: "title", under: doc.root).first)
        #expect(doc.textContent(of: title) == "T & U")
        let div = try #require(doc.elements(named: "div", under: doc.root).first)
        #expect(doc.attribute("class", of: div) == "a")
        #expect(doc.textContent(of: div) == "One twox")
        let p = try #require(doc.elementChildren(of: div).first)
        #expect(doc.parent(of: p) == div)
        #expect(doc.children(of: p).count == 2)
        #expect(doc.innerMarkup(of: p) == "One <b>two</b>")
        let body = try #require(doc.elements(named: "body", under: doc.root).first)
        #expect(doc.children(of: body).map { doc.kind(of: $0) } == [.element, .comment])
    }

    @Test func decodesDeclaredEncoding() throws {
        // "café" in windows-1252 and "日本" in Shift_JIS.
        let latin: [UInt8] = Array("<p>caf".utf8) + [0xE9] + Array("</p>".utf8)
        let doc = MarkupParser.parseHTML(latin, encoding: "windows-1252")
        let p = try #require(doc.elements(named: "p", under: doc.root).first)
        #expect(doc.textContent(of: p) == "café")
        let sjis: [UInt8] = Array("<p>".utf8) + [0x93, 0xFA, 0x96, 0x7B] + Array("</p>".utf8)
        let jdoc = MarkupParser.parseHTML(sjis, encoding: "shift_jis")
        let jp = try #require(jdoc.elements(named: "p", under: jdoc.root).first)
        #expect(jdoc.textContent(of: jp) == "日本")
        #expect(MarkupParser.supportsEncoding("windows-1251"))
        #expect(!MarkupParser.supportsEncoding("no-such-charset-x"))
    }

    @Test func parsesXMLWithNamespaces() throws {
        let xml = Array("""
            <?xml version="1.0"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://e.org/"><entry><link href="a" rel="alternate"/>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi &amp; <![CDATA[<raw>]]></p></div></content></entry></feed>
            """.utf8)
        let doc = try MarkupParser.parseXML(xml)
        #expect(doc.errors.isEmpty)
        let root = try #require(doc.documentElement)
        #expect(doc.name(of: root) == "feed")
        #expect(doc.namespace(of: root) == "http://www.w3.org/2005/Atom")
        #expect(doc.attribute("base", namespace: "http://www.w3.org/XML/1998/namespace", of: root) == "http://e.org/")
        let link = try #require(doc.elements(named: "link", under: root).first)
        #expect(doc.attribute("href", of: link) == "a")
        let div = try #require(doc.elements(named: "div", under: root).first)
        #expect(doc.innerMarkup(of: div) == "<p>Hi &amp; &lt;raw&gt;</p>")
    }

    @Test func recoversBrokenXMLAndReportsIt() throws {
        let doc = try MarkupParser.parseXML(Array("<rss><channel><title>A</title><item><title>B".utf8))
        #expect(!doc.errors.isEmpty)
        #expect(doc.elements(named: "title", under: doc.root).count == 2)
        #expect(throws: MarkupError.self) { try MarkupParser.parseXML(Array("not xml at all".utf8)) }
        #expect(throws: MarkupError.self) { try MarkupParser.parseXML([]) }
    }

    @Test func neverExpandsEntityBombsOrLoadsExternalEntities() throws {
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
        var previous = "a"
        for i in 0..<9 {
            let name = "e\(i)"
            bomb += "<!ENTITY \(name) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
            previous = name
        }
        bomb += "]><r>&\(previous);</r>"
        let doc = try MarkupParser.parseXML(Array(bomb.utf8))
        #expect(doc.textContent(of: doc.root).utf8.count < 1000)

        let external = Array("""
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r>[&x;]</r>
            """.utf8)
        let xdoc = try MarkupParser.parseXML(external)
        #expect(xdoc.textContent(of: xdoc.root) == "[]")
    }

    @Test func survivesDeepNesting() {
        let html = String(repeating: "<div>", count: 50_000) + "deep" + String(repeating: "</div>", count: 50_000)
        let doc = MarkupParser.parseHTML(Array(html.utf8), encoding: nil)
        #expect(doc.nodeCount > 1)
    }
}
