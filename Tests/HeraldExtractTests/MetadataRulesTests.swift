import Testing

@testable import HeraldExtract

/// Our own small pages for the metadata rules added after the first benchmark run.
@Suite struct MetadataRulesTests {
    private let body = """
        <p>The regional rail operator will add four early trains on weekdays from January, the transport \
        authority said, after complaints that the first service of the day was too crowded to board.</p>
        <p>The new trains will run every fifteen minutes between five and six in the morning and stop at every \
        station on the line, officials said on Wednesday afternoon.</p>
        """

    private func extract(head: String = "<title>Early trains</title>", top: String = "", bottom: String = "",
        url: String? = nil) -> ExtractedArticle
    {
        let html = "<html><head>\(head)</head><body>\(top)<article>\(body)</article>\(bottom)</body></html>"
        return ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8), url: url))
    }

    @Test func bareByLabelIsPassedOverForTheAuthorLink() {
        let top = """
            <h6><em class="byline__by">By </em><a href="/authors/ada-okafor/"><span class="byline__author">\
            Ada Okafor</span></a></h6>
            """
        let article = extract(top: top)
        #expect(article.authors == ["Ada Okafor"])
        #expect(article.sources["authors"] == "byline")
    }

    @Test func bylineWithDateFallsBackToRelAuthor() {
        let top = """
            <p class="post-text-author">By <a href="/author/ol/" rel="author">OLA LINDQVIST</a> - 2019-04-10</p>
            """
        #expect(extract(top: top).authors == ["Ola Lindqvist"])
    }

    @Test func relatedStoryBylinesAreIgnored() {
        let bottom = """
            <div class="related-links-module"><a href="/other"><div class="related-links-author">Ryan Doe</div>\
            </a></div>
            """
        let article = extract(bottom: bottom)
        #expect(article.authors.isEmpty)
    }

    @Test func wireAgencyAsOnlyCredit() {
        let jsonLD = """
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Early trains",\
            "author":{"@type":"Person","name":"The Associated Press"}}</script>
            """
        #expect(extract(head: jsonLD).authors == ["Associated Press"])
        let byline = "<span class=\"article-author\"><a rel=\"author\" href=\"/author/pti\">PTI</a></span>"
        #expect(extract(top: byline).authors == ["PTI"])
        // Beside a person the agency is dropped, as before.
        #expect(MetadataExtractor.splitAuthors(["Ann Lee, Associated Press"], exclude: []) == ["Ann Lee"])
        #expect(MetadataWireAgency.find(in: ["Ann Lee, Reuters"]) == nil)
    }

    @Test func organisationCreditsAreNotPeople() {
        #expect(MetadataExtractor.splitAuthors(["by European Space Agency"], exclude: []).isEmpty)
        #expect(MetadataExtractor.splitAuthors(["| BY: Outlet Name"], exclude: ["Outlet Name"]).isEmpty)
        #expect(MetadataExtractor.splitAuthors(["| BY: Mia Ford"], exclude: []) == ["Mia Ford"])
    }

    @Test func urlDateFromCanonicalAndSlug() {
        let head = """
            <title>Early trains</title>
            <link rel="canonical" href="https://news.example/early-trains-added-to-line-20191115/">
            """
        let article = extract(head: head)
        #expect(article.published == "2019-11-15")
        #expect(article.sources["published"] == "url")
        #expect(MetadataExtractor.urlDate("https://news.example/world/2025/12/04/summit/") == "2025-12-04")
        // An eight-digit id that is no date is not read as one.
        #expect(MetadataExtractor.urlDate("https://news.example/story-12345678/") == nil)
    }

    @Test func foreignMonthNames() {
        #expect(DateNormalizer.findDate(in: "am 30. Juli 2018")?.rfc3339 == "2018-07-30")
        #expect(DateNormalizer.findDate(in: "le 3 février 2021")?.rfc3339 == "2021-02-03")
        #expect(DateNormalizer.findDate(in: "12 de diciembre de 2020")?.rfc3339 == "2020-12-12")
    }

    @Test func publicationLineIsTheLastResort() {
        let top = "<div><span class=\"about__block\">publiziert am 25. September 2018</span></div>"
        let article = extract(top: top)
        #expect(article.published == "2018-09-25")
        #expect(article.sources["published"] == "publication-line")
        // A sentence that merely starts with the word inside a long paragraph is not a publication line.
        let long = "<p>Published reports in March 2017 said the line would close, but " + String(
            repeating: "the operator kept it running for years after that ", count: 4) + ".</p>"
        #expect(extract(top: long).published == nil)
    }

    @Test func utcInstantTakesThePagesOffset() {
        let head = """
            <title>Early trains</title>
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Early trains",\
            "datePublished":"2019-11-20T11:15:49+00:00"}</script>
            """
        let top = "<time datetime=\"2019-11-20T03:15:00-08:00\">Nov. 20, 2019</time>"
        let article = extract(head: head, top: top)
        // The JSON-LD instant to the second, at the offset the page writes.
        #expect(article.published == "2019-11-20T03:15:49-08:00")
        #expect(article.sources["published"] == "json-ld")
        // A different instant with an offset (another story's time) leaves the UTC value alone.
        let other = "<time datetime=\"2019-11-19T03:15:00-08:00\">Nov. 19, 2019</time>"
        #expect(extract(head: head, top: other).published == "2019-11-20T11:15:49+00:00")
    }

    @Test func epochRoundTrip() {
        let parts = DateNormalizer.Parts(year: 2024, month: 2, day: 29, hour: 23, minute: 30, second: 5,
            offsetMinutes: 0)
        let seconds = MetadataExtractor.epochSeconds(parts)
        #expect(seconds == 1_709_249_405)
        #expect(MetadataExtractor.parts(epochSeconds: 1_709_249_405, offsetMinutes: 330).rfc3339
            == "2024-03-01T05:00:05+05:30")
    }
}
