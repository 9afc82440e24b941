import Testing

@testable import HeraldFetch

@Suite struct ArticleURLTests {
    @Test(arguments: [
        ("HTTP://Example.COM/Path/Case?b=2&a=1", "http://example.com/Path/Case?b=2&a=1"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("http://example.com:/a", "http://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com?x=1", "https://example.com/?x=1"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7#top", "https://example.com/a?id=7"),
        ("https://example.com/a?id=7&UTM_Campaign=x", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=abc", "https://example.com/a"),
        (
            "https://example.com/a?gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5&_ga=6&igshid=7&yclid=8&ref_src=9",
            "https://example.com/a"
        ),
        ("https://example.com/a?page=2&fbclid=x&sort=new", "https://example.com/a?page=2&sort=new"),
        ("https://example.com/a?z=1&&y=2&", "https://example.com/a?z=1&y=2"),
        ("https://example.com/a?flag", "https://example.com/a?flag"),
        ("https://example.com/a?utm=keep&utmost=keep", "https://example.com/a?utm=keep&utmost=keep"),
        ("https://example.com/a%2Fb/../c/./d", "https://example.com/a%2Fb/../c/./d"),
        ("https://User:Pw@Example.com/a", "https://User:Pw@example.com/a"),
        ("http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"),
        ("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        ("  https://example.com/a \n", "https://example.com/a"),
        ("mailto:Someone@Example.com#x", "mailto:Someone@Example.com"),
        ("not a url#frag", "not a url"),
        ("/relative/path?utm_source=x#y", "/relative/path?utm_source=x"),
    ])
    func canonical(input: String, expected: String) {
        #expect(ArticleURL.canonical(input) == expected)
    }

    @Test func canonicalIsIdempotent() {
        let samples = [
            "HTTP://Example.COM:80?utm_source=a&b=c#d", "https://x.example/a?fbclid=1", "https://[::1]:443/",
        ]
        for sample in samples {
            let once = ArticleURL.canonical(sample)
            #expect(ArticleURL.canonical(once) == once)
        }
    }
}
