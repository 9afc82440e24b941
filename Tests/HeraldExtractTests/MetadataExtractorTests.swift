import Testing

@testable import HeraldExtract

@Suite struct MetadataExtractorTests {
    private let body = """
        <article><p>The regional rail operator will add four early trains on weekdays from January, the transport \
        authority said, after complaints that the first service of the day was too crowded to board.</p>
        <p>The new trains will run every fifteen minutes between five and six in the morning and stop at every \
        station on the line, officials said on Wednesday afternoon.</p></article>
        """

    private func page(head: String, body: String? = nil, htmlAttributes: String = "") -> [UInt8] {
        Array("<html\(htmlAttributes)><head>\(head)</head><body>\(body ?? self.body)</body></html>".utf8)
    }

    private func extract(_ bytes: [UInt8], url: String? = nil) -> ExtractedArticle {
        ArticleExtractor.extract(ExtractionInput(html: bytes, url: url))
    }

    @Test func openGraph() {
        let article = extract(
            page(head: """
                <title>Early trains added | Metro Daily</title>
                <meta property="og:title" content="Four early trains added to commuter line">
                <meta property="og:site_name" content="Metro Daily">
                <meta property="og:url" content="https://metro.example/rail/early-trains">
                <meta property="og:description" content="Extra services from January.">
                <meta property="og:image" content="https://metro.example/i/train.jpg">
                <meta property="og:locale" content="en_US">
                <meta property="article:published_time" content="2025-12-03T07:15:00-05:00">
                <meta property="article:modified_time" content="2025-12-03T09:00:00-05:00">
                <meta property="article:author" content="https://metro.example/staff/li-wei">
                <meta name="author" content="Li Wei">
                """))
        #expect(article.title == "Four early trains added to commuter line")
        #expect(article.sources["title"] == "meta:og:title")
        #expect(article.siteName == "Metro Daily")
        #expect(article.sources["site_name"] == "meta:og:site_name")
        #expect(article.canonicalURL == "https://metro.example/rail/early-trains")
        #expect(article.sources["canonical_url"] == "meta:og:url")
        #expect(article.description == "Extra services from January.")
        #expect(article.image == "https://metro.example/i/train.jpg")
        #expect(article.language == "en-US")
        #expect(article.sources["language"] == "meta:og:locale")
        #expect(article.published == "2025-12-03T07:15:00-05:00")
        #expect(article.sources["published"] == "meta:article:published_time")
        #expect(article.modified == "2025-12-03T09:00:00-05:00")
        #expect(article.sources["modified"] == "meta:article:modified_time")
        // article:author is a URL here, so the plain author meta is used.
        #expect(article.authors == ["Li Wei"])
        #expect(article.sources["authors"] == "meta:author")
    }

    @Test func articleAuthorNameIsUsed() {
        let article = extract(page(head: #"<meta property="article:author" content="Sara Holm">"#))
        #expect(article.authors == ["Sara Holm"])
        #expect(article.sources["authors"] == "meta:article:author")
    }

    @Test func citationMeta() {
        let article = extract(
            page(head: """
                <meta name="citation_title" content="Commuter load on early trains">
                <meta name="citation_author" content="Okafor, Ada">
                <meta name="citation_author" content="Brandt, Nils">
                <meta name="citation_publication_date" content="2024/05/17">
                """))
        #expect(article.title == "Commuter load on early trains")
        #expect(article.sources["title"] == "meta:citation_title")
        #expect(article.published == "2024-05-17")
        #expect(article.sources["published"] == "meta:citation_publication_date")
        #expect(article.authors == ["Ada Okafor", "Nils Brandt"])
        #expect(article.sources["authors"] == "meta:citation_author")
    }

    @Test func dublinCore() {
        let article = extract(
            page(head: """
                <meta name="DC.title" content="Rail timetable changes">
                <meta name="DC.creator" content="Pia Lund and Omar Haddad">
                <meta name="DC.date.issued" content="2023-02-01">
                <meta name="DC.language" content="sv">
                """))
        #expect(article.title == "Rail timetable changes")
        #expect(article.sources["title"] == "meta:dc.title")
        #expect(article.authors == ["Pia Lund", "Omar Haddad"])
        #expect(article.sources["authors"] == "meta:dc.creator")
        #expect(article.published == "2023-02-01")
        #expect(article.sources["published"] == "meta:dc.date.issued")
        #expect(article.language == "sv")
        #expect(article.sources["language"] == "meta:dc.language")
    }

    @Test func parsely() {
        let article = extract(
            page(head: """
                <meta name="parsely-title" content="Trains, earlier">
                <meta name="parsely-author" content="By Tom Ashby">
                <meta name="parsely-pub-date" content="2025-06-30T22:10:00Z">
                """))
        #expect(article.title == "Trains, earlier")
        #expect(article.authors == ["Tom Ashby"])
        #expect(article.sources["authors"] == "meta:parsely-author")
        #expect(article.published == "2025-06-30T22:10:00Z")
        #expect(article.sources["published"] == "meta:parsely-pub-date")
    }

    @Test func timeElementInArticle() {
        let body = """
            <div class="sidebar"><time datetime="2020-01-01">old</time></div>
            <article><p class="dateline">Posted <time datetime="2025-03-14T10:00:00+01:00">14 March</time>
            Updated <time class="updated" datetime="2025-03-15T08:30:00+01:00">15 March</time></p>
            <p>The regional rail operator will add four early trains on weekdays from January, the transport \
            authority said, after complaints that the first service of the day was too crowded to board.</p></article>
            """
        let article = extract(page(head: "<title>x</title>", body: body))
        #expect(article.published == "2025-03-14T10:00:00+01:00")
        #expect(article.sources["published"] == "time")
        #expect(article.modified == "2025-03-15T08:30:00+01:00")
        #expect(article.sources["modified"] == "time")
    }

    @Test func urlPathDate() {
        let url = "https://news.example/world/2025/12/04/summit-opens/"
        let article = extract(page(head: "<title>x</title>"), url: url)
        #expect(article.published == "2025-12-04")
        #expect(article.sources["published"] == "url")
        let compact = extract(page(head: "<title>x</title>"), url: "https://news.example/a/20240229/leap")
        #expect(compact.published == "2024-02-29")
    }

    @Test func datelineInText() {
        let body = """
            <article><p>New Delhi. 05 December 2025. The regional rail operator will add four early trains on \
            weekdays from January, the transport authority said on Friday, after long complaints.</p></article>
            """
        let article = extract(page(head: "<title>x</title>", body: body))
        #expect(article.published == "2025-12-05")
        #expect(article.sources["published"] == "dateline")
    }

    @Test func bylineDateline() {
        let body = """
            <div class="article-meta"><span class="date">Dec 4, 2025, Updated Dec 4, 2025 11:18 PM IST</span></div>
            """ + self.body
        let article = extract(page(head: "<title>x</title>", body: body))
        #expect(article.published == "2025-12-04")
        #expect(article.modified == "2025-12-04T23:18:00+05:30")
        #expect(article.sources["modified"] == "dateline")
        #expect(!article.text.contains("Updated"))
    }

    @Test func titleSuffixAndH1Fallback() {
        #expect(MetadataExtractor.cleanTitle("Early trains added | Metro Daily", siteName: nil) == "Early trains added")
        #expect(
            MetadataExtractor.cleanTitle("Early trains added - Metro Daily", siteName: "Metro Daily")
                == "Early trains added")
        #expect(MetadataExtractor.cleanTitle("Metro Daily | Early trains added", siteName: "Metro Daily")
            == "Early trains added")
        #expect(
            MetadataExtractor.cleanTitle("Covid-19 - what we know so far about the new variant", siteName: nil)
                == "Covid-19 - what we know so far about the new variant")
        let article = extract(page(head: "", body: "<h1>Trains at dawn</h1>" + body))
        #expect(article.title == "Trains at dawn")
        #expect(article.sources["title"] == "h1")
    }

    @Test func languageAndCanonicalLink() {
        let article = extract(
            page(
                head: """
                    <link rel="canonical" href="/rail/early-trains">
                    <meta property="og:url" content="https://other.example/">
                    <meta http-equiv="content-language" content="de">
                    """, htmlAttributes: " lang=\"fr-CA\""),
            url: "https://metro.example/rail/early-trains?utm_source=feed")
        #expect(article.language == "fr-CA")
        #expect(article.sources["language"] == "html:lang")
        #expect(article.canonicalURL == "https://metro.example/rail/early-trains")
        #expect(article.sources["canonical_url"] == "link:canonical")
        // Without the page URL the relative canonical link cannot be resolved: og:url is used instead.
        let withoutURL = extract(page(head: """
            <link rel="canonical" href="/rail/early-trains"><meta property="og:url" content="https://other.example/a">
            """))
        #expect(withoutURL.canonicalURL == "https://other.example/a")
        #expect(withoutURL.sources["canonical_url"] == "meta:og:url")
    }

    @Test func microdataAuthorName() {
        let body = """
            <ul class="article-author" itemprop="author" itemscope itemtype="http://schema.org/Person">
            <li><a href="/writers/ines" rel="author"><img alt="mugshot"></a></li>
            <li><span itemprop="name">Ines Varga</span> <span>NFL Writer</span> <span>2 min read</span></li></ul>
            """ + self.body
        let article = extract(page(head: "<title>x</title>", body: body))
        #expect(article.authors == ["Ines Varga"])
        #expect(article.sources["authors"] == "byline")
        #expect(!article.text.contains("Ines Varga"))
    }

    @Test func authorSplitting() {
        #expect(
            MetadataExtractor.splitAuthors(["By Ann Lee and Bo Chan, Reuters"], exclude: ["Reuters"])
                == ["Ann Lee", "Bo Chan"])
        #expect(MetadataExtractor.splitAuthors(["Metro Daily"], exclude: ["Metro Daily"]) == [])
        #expect(MetadataExtractor.splitAuthors(["https://x.example/a"], exclude: []) == [])
        #expect(MetadataExtractor.splitAuthors(["Rachael Link, MS, RD"], exclude: []) == ["Rachael Link"])
        #expect(MetadataExtractor.splitAuthors(["TOM KRISHER, AP Auto Writer"], exclude: []) == ["Tom Krisher"])
        #expect(MetadataExtractor.splitAuthors(["Jill Disis, CNN Business"], exclude: ["CNN"]) == ["Jill Disis"])
        #expect(MetadataExtractor.splitAuthors(["Posted by Vortex"], exclude: []) == ["Vortex"])
        #expect(
            MetadataExtractor.splitAuthors(["Associated Press November 19, 2019, 9:02 AM"], exclude: []) == [])
    }
}
