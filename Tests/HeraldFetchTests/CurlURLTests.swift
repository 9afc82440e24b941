import Testing

@testable import HeraldFetch

/// The URL parts libcurl sees, as used for budgets, robots.txt origins and local paths.
@Suite struct CurlURLTests {
    @Test func hostsAndOrigins() throws {
        let plain = try #require(CurlURL("HTTP://News.Example.COM./a/b?x=1#frag"))
        #expect(plain.scheme == "http")
        #expect(plain.host == "news.example.com")
        #expect(plain.port == 80)
        #expect(plain.origin == "http://news.example.com")
        #expect(plain.pathAndQuery == "/a/b?x=1")

        let ported = try #require(CurlURL("https://example.org:8443"))
        #expect(ported.origin == "https://example.org:8443")
        #expect(ported.pathAndQuery == "/")

        let v6 = try #require(CurlURL("http://[2001:DB8::1]:8080/x"))
        #expect(v6.host == "2001:db8::1")
        #expect(v6.origin == "http://[2001:db8::1]:8080")

        let international = try #require(CurlURL("https://bücher.example/seite"))
        #expect(!international.host.isEmpty)
    }

    @Test func localPathsAreDecoded() throws {
        let file = try #require(CurlURL("file:///srv/feeds/my%20feed.xml", decodePath: true))
        #expect(file.scheme == "file")
        #expect(file.host.isEmpty)
        #expect(file.path == "/srv/feeds/my feed.xml")
    }

    @Test(arguments: ["", "not a url", "http://[::1", "http://exa mple.com/"])
    func invalidURLs(text: String) {
        #expect(CurlURL(text) == nil)
    }
}
