import Testing

@testable import HeraldExtract

/// A UTC published instant written at the offset of a local time the page gives without naming its zone.
@Suite struct MetadataLocalTimeTests {
    private let body = """
        <p>The harbour ferry will stop running at night for two months while its pier is repaired, the port said, \
        and a bus will follow the route between the two landings until the work is finished in spring.</p>
        <p>Night workers who use the ferry said the bus takes twice as long, and asked for a second vehicle on \
        weekends when the crossing is busiest, according to the port's statement on Monday.</p>
        """

    private let jsonLD = """
        <title>Night ferry</title>
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"Night ferry",\
        "datePublished":"2021-03-02T04:40:12Z"}</script>
        """

    private func extract(head: String, top: String = "") -> ExtractedArticle {
        let html = "<html><head>\(head)</head><body>\(top)<article>\(body)</article></body></html>"
        return ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8), url: nil))
    }

    @Test func zonelessMetaTimeGivesTheOffset() {
        let head = jsonLD + "<meta name=\"sailthru.date\" content=\"2021-03-01 20:40:12\">"
        let article = extract(head: head)
        #expect(article.published == "2021-03-01T20:40:12-08:00")
        #expect(article.sources["published"] == "json-ld")
        // The same spelling as a long date with a 12-hour clock.
        let long = jsonLD + "<meta name=\"article_date_original\" content=\"Monday, March 1, 2021, 11:40 PM\">"
        #expect(extract(head: long).published == "2021-03-01T23:40:12-05:00")
    }

    @Test func visibleDatelineGivesTheOffset() {
        let top = """
            <div class="story-published-at"><span>Mar. 2, 2021</span> <span>10:10 AM</span></div>
            """
        // Half-hour offsets are offsets too.
        #expect(extract(head: jsonLD, top: top).published == "2021-03-02T10:10:12+05:30")
        // The text of a <time> whose machine value is the instant.
        let time = "<time datetime=\"2021-03-02T04:40:12Z\">March 2, 2021 1:40 p.m.</time>"
        #expect(extract(head: jsonLD, top: time).published == "2021-03-02T13:40:12+09:00")
    }

    @Test func timesThatAreNotThePublicationLeaveTheInstantAlone() {
        // An update line, a time that is no whole or half hour away, a relative time.
        for top in [
            "<p class=\"dateline\">Updated March 1, 2021 9:12 PM</p>",
            "<p class=\"dateline\">March 1, 2021 9:12 PM</p>",
            "<span class=\"timestamp\">March 2, 2021 4:40 AM, 3 hours ago</span>",
            // A <time> for another moment, whatever its text says.
            "<time datetime=\"2021-03-01T10:00:00Z\">March 1, 2021 8:40 PM</time>",
        ] {
            #expect(extract(head: jsonLD, top: top).published == "2021-03-02T04:40:12Z")
        }
        // The first dateline decides: one without a time of day gives no offset, whatever follows.
        let dayOnly = "<p class=\"dateline\">March 2, 2021</p><p class=\"timestamp\">March 2, 2021 10:10 AM</p>"
        #expect(extract(head: jsonLD, top: dayOnly).published == "2021-03-02T04:40:12Z")
        // A zoneless meta value that is the UTC time itself says nothing about the offset.
        let same = jsonLD + "<meta property=\"article:published_time\" content=\"2021-03-02T04:40:12.418\">"
        #expect(extract(head: same).published == "2021-03-02T04:40:12Z")
    }

    @Test func plausibleOffsets() {
        let instant = MetadataExtractor.epochSeconds(
            DateNormalizer.Parts(year: 2021, month: 3, day: 2, hour: 4, minute: 40, second: 12, offsetMinutes: 0))!
        func local(_ day: Int, _ hour: Int, _ minute: Int) -> DateNormalizer.Parts {
            DateNormalizer.Parts(year: 2021, month: 3, day: day, hour: hour, minute: minute)
        }
        #expect(MetadataExtractor.plausibleOffset(local: local(2, 18, 40), instant: instant) == 840)
        #expect(MetadataExtractor.plausibleOffset(local: local(1, 16, 40), instant: instant) == -720)
        // Beyond UTC-12 or UTC+14, off the half-hour grid, or no offset at all.
        #expect(MetadataExtractor.plausibleOffset(local: local(1, 15, 40), instant: instant) == nil)
        #expect(MetadataExtractor.plausibleOffset(local: local(2, 19, 40), instant: instant) == nil)
        #expect(MetadataExtractor.plausibleOffset(local: local(2, 6, 55), instant: instant) == nil)
        #expect(MetadataExtractor.plausibleOffset(local: local(2, 4, 40), instant: instant) == nil)
    }
}
