import Foundation
import HeraldFeeds
import Testing

@Suite("Errors, broken input and hostile XML")
struct FeedParserErrorTests {
    func parseError(_ bytes: [UInt8], contentType: String? = nil) -> FeedParseError? {
        do {
            _ = try FeedParser.parse(bytes, url: nil, contentType: contentType)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyBody() {
        #expect(parseError([])?.code == .empty)
        #expect(parseError(Array("  \n\t ".utf8))?.code == .empty)
        #expect(parseError([0xEF, 0xBB, 0xBF])?.code == .empty)
    }

    @Test func htmlPageIsNotAFeed() throws {
        let page = """
            <!DOCTYPE html>
            <html><head><title>Welcome</title></head><body><p>Hello<br>there</body></html>
            """
        let error = try #require(parseError(Array(page.utf8)))
        #expect(error.code == .notAFeed)
        #expect(error.message.contains("HTML"))
    }

    @Test func otherXMLIsNotAFeed() throws {
        let error = try #require(parseError(Array("<?xml version='1.0'?><svg><rect/></svg>".utf8)))
        #expect(error.code == .notAFeed)
        #expect(error.message.contains("<svg>"))
    }

    @Test func plainTextIsNotAFeed() throws {
        let error = try #require(parseError(Array("Service Unavailable".utf8)))
        #expect(error.code == .notAFeed)
        #expect(error.message.contains("Service Unavailable"))
    }

    @Test func truncatedXMLKeepsWhatWasRead() throws {
        let xml = """
            <rss version="2.0"><channel><title>Cut</title>
            <item><title>Complete</title><link>https://cut.example/1</link></item>
            <item><title>Half
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.title == "Cut")
        #expect(feed.entries.first?.title == "Complete")
        #expect(feed.warnings.contains { $0.hasPrefix("document was not well-formed") })
        #expect(feed.isTruncated)
        #expect(feed.warnings.contains { $0.contains("Premature end of data") })
    }

    @Test func completeButIllFormedDocumentIsNotTruncated() throws {
        let xml = """
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>A &undefined; B</title>
            <item><title>x</title></item></channel></rss >
            <!-- trailing comment -->
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        #expect(feed.warnings.contains { $0.hasPrefix("document was not well-formed") })
        #expect(!feed.isTruncated)
        #expect(feed.entries.count == 1)
        let unclosed = Array("<rss><channel><item><description>x<b>y</description></item></channel></rss>".utf8)
        let mismatched = try FeedParser.parse(unclosed, url: nil)
        #expect(!mismatched.isTruncated)
        #expect(!mismatched.warnings.contains { $0.contains("Premature end of data") })
        let cut = try FeedParser.parse(Array(xml.utf8.prefix(xml.utf8.count - 50)), url: nil)
        #expect(cut.isTruncated)
    }

    @Test func invalidUTF8IsRepairedWithAWarning() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>Espa".utf8)
        bytes.append(0xF1)  // windows-1252 n with tilde, not UTF-8
        bytes += Array("a \u{20AC}</title></channel></rss>".utf8)
        let feed = try FeedParser.parse(bytes, url: nil)
        #expect(feed.title == "España €")
        // A C1 control (U+0092) is the windows-1252 apostrophe it was meant to be.
        let c1 = Array("<rss><channel><title>don\u{92}t &#150; &#x93;q&#X94;</title></channel></rss>".utf8)
        #expect(try FeedParser.parse(c1, url: nil).title == "don\u{2019}t \u{2013} \u{201C}q\u{201D}")
        #expect(feed.warnings.contains { $0.contains("not clean UTF-8") })
    }

    @Test func commentOnlyDocumentIsEmpty() throws {
        let error = try #require(parseError(Array("<?xml version=\"1.0\"?>\n<!-- nothing here -->\n".utf8)))
        #expect(error.code == .empty)
    }

    @Test(arguments: ["utf-16be", "utf-16le", "utf-32be", "utf-32le"])
    func wideEncodingsWithAndWithoutBOM(_ name: String) throws {
        let xml = "<?xml version=\"1.0\" encoding=\"\(name)\"?><rss><channel><title>Grüße 😀</title></channel></rss>"
        let scalars = Array(xml.unicodeScalars)
        var body: [UInt8] = []
        for scalar in scalars {
            let v = scalar.value
            if name.hasPrefix("utf-16") {
                var units: [UInt16] = []
                units.append(contentsOf: String(scalar).utf16)
                for u in units {
                    body += name.hasSuffix("be") ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)]
                }
            } else {
                let be: [UInt8] = [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
                body += name.hasSuffix("be") ? be : be.reversed()
            }
        }
        let bom: [UInt8]
        switch name {
        case "utf-16be": bom = [0xFE, 0xFF]
        case "utf-16le": bom = [0xFF, 0xFE]
        case "utf-32be": bom = [0, 0, 0xFE, 0xFF]
        default: bom = [0xFF, 0xFE, 0, 0]
        }
        #expect(try FeedParser.parse(body, url: nil).title == "Grüße 😀")
        #expect(try FeedParser.parse(bom + body, url: nil).title == "Grüße 😀")
    }

    @Test func billionLaughsIsNotExpanded() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <rss version="2.0"><channel><title>&lol9;</title>
            <item><title>a &lol9; b</title><description>&lol9;&lol9;</description><guid>x</guid></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        try #require(feed.entries.count == 1)
        #expect((feed.title ?? "").utf8.count < 100)
        #expect((feed.entries[0].title ?? "").utf8.count < 100)
        #expect((feed.entries[0].summary ?? "").utf8.count < 100)
        let title = feed.entries[0].title ?? ""
        #expect(title.contains("lollol") == false)
    }

    @Test func externalEntityIsNotLoaded() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY host SYSTEM "file:///etc/hostname"> ]>
            <rss version="2.0"><channel><title>A&xxe;B</title>
            <item><guid>g</guid><description>&host;&xxe;</description></item></channel></rss>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: nil)
        let title = feed.title ?? ""
        let summary = feed.entries.first?.summary ?? ""
        #expect(title.contains("root:") == false)
        #expect(title.utf8.count <= 10)
        #expect(summary.contains("root:") == false)
        #expect(summary.utf8.count <= 10)
    }

    @Test func errorDescriptionNamesTheCode() {
        let error = FeedParseError(.malformed, "broken")
        #expect(error.description == "malformed: broken")
    }
}
