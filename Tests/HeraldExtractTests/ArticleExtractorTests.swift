import Testing

@testable import HeraldExtract

@Suite struct ArticleExtractorTests {
    private func extract(_ fixture: String, url: String? = nil, contentType: String? = nil) throws -> ExtractedArticle {
        ArticleExtractor.extract(
            ExtractionInput(html: try FixtureLoader.bytes(fixture), url: url, httpContentType: contentType))
    }

    private func paragraphs(_ article: ExtractedArticle) -> [String] {
        article.text.components(separatedBy: "\n\n")
    }

    @Test func removesFurnitureAndKeepsStory() throws {
        let article = try extract("furniture.html", url: "https://courier.example/news/2025/11/03/flood-barriers")
        let text = article.text
        #expect(text.hasPrefix("The county will rebuild the flood barriers"))
        #expect(text.contains("Work is due to start next week"))
        #expect(text.contains("A long-awaited decision"))
        #expect(text.contains("\"We have waited far too long"))
        #expect(text.hasSuffix("the council said in a statement."))
        for furniture in [
            "Also read", "Advertisement", "Share on Facebook", "Morning Briefing", "newsletter", "Related stories",
            "Council approves budget", "Commenter42", "RiverWatcher", "cookies", "All rights reserved",
            "Privacy policy", "Sport", "Mara Quinn",
        ] {
            #expect(!text.contains(furniture), "furniture left in text: \(furniture)")
        }
        // Headings and quotes are their own paragraphs; the title heading is not repeated in the text.
        #expect(paragraphs(article).contains("A long-awaited decision"))
        #expect(!text.contains("Flood barriers to be rebuilt before winter"))
        #expect(paragraphs(article).count == 6)
    }

    @Test func furniturePageMetadata() throws {
        let article = try extract("furniture.html", url: "https://courier.example/news/2025/11/03/flood-barriers")
        #expect(article.title == "Flood barriers to be rebuilt before winter")
        #expect(article.sources["title"] == "title")
        #expect(article.siteName == "The Valley Courier")
        #expect(article.authors == ["Mara Quinn"])
        #expect(article.sources["authors"] == "byline")
        #expect(article.language == "en-GB")
        #expect(article.canonicalURL == "https://courier.example/news/2025/11/03/flood-barriers")
        #expect(article.published == "2025-11-03")
        #expect(article.sources["published"] == "url")
        #expect(article.contentHash == ContentHash.of(article.text))
        #expect(article.encoding == "utf-8")
    }

    @Test func nestedLayoutTables() throws {
        let article = try extract("nested_tables.html")
        let list = paragraphs(article)
        #expect(list.first?.hasPrefix("The harbour reopened to commercial traffic on Friday") == true)
        #expect(list.count == 4)
        #expect(article.text.contains("Local fishermen welcomed the reopening"))
        for furniture in ["Tide tables", "Marina prices", "Archive", "All rights reserved"] {
            #expect(!article.text.contains(furniture), "furniture left in text: \(furniture)")
        }
        #expect(article.title == "Harbour reopens after dredging")
    }

    @Test func brSeparatedTextWithoutParagraphs() throws {
        let article = try extract("br_separated.html")
        let list = paragraphs(article)
        #expect(list.count == 4)
        #expect(list.first?.hasPrefix("The apple harvest at the hill orchards") == true)
        #expect(list.contains { $0.hasPrefix("Prices hold steady. Wholesale prices") })
        #expect(!article.text.contains("Shop"))
        #expect(!article.text.contains("Contact"))
    }

    @Test func dataTableRowsReadAsLines() {
        let html = """
            <html><body><article>
            <p>The league published the final standings on Sunday evening after the last race of the season.</p>
            <table class="standings"><tr class="head"><th>Pos.</th><th>Driver</th><th>Points</th></tr>
            <tr class="oddrow player-101"><td>1</td><td><a href="/d/1">Ana Ruiz</a></td><td>5040</td></tr>
            <tr class="evenrow player-102"><td>2</td><td><a href="/d/2">Ben Okoro</a></td><td>5035</td></tr>
            </table>
            <p>Ruiz won five races and finished in the top ten in all but three of them, a record for the series.</p>
            </article></body></html>
            """
        let article = ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8)))
        #expect(paragraphs(article).contains("Pos. Driver Points"))
        #expect(paragraphs(article).contains("1 Ana Ruiz 5040"))
        #expect(paragraphs(article).contains("2 Ben Okoro 5035"))
        #expect(paragraphs(article).count == 5)
    }

    @Test func bodyPrintedTwiceAppearsOnce() throws {
        let article = try extract("body_twice.html")
        let list = paragraphs(article)
        #expect(list.count == 3)
        #expect(Set(list).count == list.count)
        #expect(article.text.components(separatedBy: "The city library will stay open").count == 2)
    }

    @Test func longCommentThreadLosesToTheArticle() {
        let comment = "<div class=\"c-body\"><p>I have lived by the river for decades and I can tell you that the "
            + "barriers were never maintained properly, which everybody in the village has known for years.</p></div>"
        let html = """
            <html><body><div id="story">
            <p>The county will rebuild the flood barriers along the east bank before winter, officials said.</p>
            <p>Work starts next week and will close the riverside path between the mill and the bridge.</p>
            </div>
            <div class="commentlist">\(String(repeating: comment, count: 12))</div></body></html>
            """
        let article = ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8)))
        #expect(article.text.hasPrefix("The county will rebuild"))
        #expect(!article.text.contains("lived by the river"))
    }

    @Test func linesRepeatedAcrossSectionsStay() {
        let day = """
            <h3>Breakfast</h3><p>Eat within an hour of waking up</p>
            <p>Oat porridge with one cup of berries, a spoon of honey and a handful of walnuts, cooked in milk.</p>
            <h3>Lunch</h3><p>Eat every three hours</p>
            """
        let html = "<html><body><article><h2>Monday</h2>" + day
            + "<p>Lentil soup with carrots and celery, a slice of rye bread and a green salad with olive oil.</p>"
            + "<h2>Tuesday</h2>" + day
            + "<p>Grilled fish with potatoes and spinach, a lemon wedge and a glass of water on the side.</p>"
            + "</article></body></html>"
        let list = paragraphs(ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8))))
        #expect(list.filter { $0 == "Eat every three hours" }.count == 2)
        #expect(list.filter { $0.hasPrefix("Oat porridge") }.count == 2)
        #expect(list.count == 14)
    }

    @Test func pullQuoteRepeatingTheTextIsDropped() {
        let sentence = "We have never seen the river this high in November, and we have lived here forty years."
        let html = """
            <html><body><article>
            <p>Water levels rose again overnight along the lower valley, the environment agency said on Tuesday.</p>
            <aside class="pull-quote"><p>\(sentence)</p></aside>
            <div class="pullquote">\(sentence)</div>
            <p>Residents said: "\(sentence)" Sandbags were handed out at the village hall until late evening.</p>
            </article></body></html>
            """
        let article = ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8)))
        #expect(article.text.components(separatedBy: sentence).count == 2)
        #expect(paragraphs(article).count == 2)
    }

    @Test func jsonLDGraphMetadataWins() throws {
        let article = try extract("jsonld_graph.html", url: "https://coastline.example/energy/wind-farm-approved?ref=x")
        #expect(article.title == "Offshore wind farm wins final approval")
        #expect(article.sources["title"] == "json-ld")
        #expect(article.published == "2025-10-02T09:30:00+01:00")
        #expect(article.sources["published"] == "json-ld")
        #expect(article.modified == "2025-10-02T14:05:00+01:00")
        #expect(article.authors == ["Jonas Weber"])  // the outlet listed as an author is dropped
        #expect(article.siteName == "Coastline News")
        #expect(article.language == "en")
        #expect(article.canonicalURL == "https://coastline.example/energy/wind-farm-approved")
        #expect(article.sources["canonical_url"] == "json-ld")
        #expect(article.image == "https://coastline.example/img/wind.jpg")
        #expect(article.description == "The 40-turbine project cleared its last hurdle.")
        #expect(paragraphs(article).count == 2)
    }

    @Test func undeclaredWindows1252DecodesWithoutMojibake() throws {
        let article = try extract("windows1252_undeclared.html")
        #expect(article.encoding == "windows-1252")
        #expect(article.text.contains("Café Müller"))
        #expect(article.text.contains("“delighted”"))
        #expect(article.text.contains("Renée Façon"))
        #expect(article.text.contains("200°C"))
        #expect(article.title == "Café owners “delighted” by award")
        #expect(!article.text.contains("Ã"))
    }

    @Test func undeclaredUTF8() throws {
        let article = try extract("utf8_undeclared.html")
        #expect(article.encoding == "utf-8")
        #expect(article.text.contains("Café Müller"))
        #expect(!article.text.contains("Ã"))
    }

    @Test func shiftJISDeclaredInMeta() throws {
        let article = try extract("shift_jis.html")
        #expect(article.encoding == "shift_jis")
        #expect(article.text.hasPrefix("港湾当局は金曜日、浚渫工事が終わり"))
        #expect(article.title == "港の再開")
        #expect(paragraphs(article).count == 2)
    }

    @Test func eucKRDeclaredInMeta() throws {
        let article = try extract("euc_kr.html")
        #expect(article.encoding == "euc-kr")
        #expect(article.text.hasPrefix("시립 도서관은 다음 달부터"))
        #expect(article.title == "도서관 연장 운영")
    }

    @Test func httpCharsetOverridesMeta() throws {
        // The header says windows-1252 while the page says Shift_JIS: the header wins (and gives mojibake).
        let article = try extract("shift_jis.html", contentType: "text/html; charset=ISO-8859-1")
        #expect(article.encoding == "windows-1252")
        #expect(!article.text.contains("港"))
    }

    @Test func emptyAndGarbageInput() {
        let empty = ArticleExtractor.extract(ExtractionInput(html: []))
        #expect(empty.text == "")
        #expect(empty.contentHash == ContentHash.of(""))
        let garbage = ArticleExtractor.extract(ExtractionInput(html: [0x00, 0xFF, 0x3C, 0x3C, 0x3E]))
        #expect(garbage.title == nil)
    }
}
