import Testing

@testable import HeraldExtract

/// Our own small pages for bylines without byline markup, staff and dateline credits, and credits that name no
/// person.
@Suite struct MetadataCreditTests {
    private let body = """
        <p>The county library will open on Sundays from next month, its board decided, after a survey found that \
        most readers who work during the week could not visit the branch before it closed in the evening.</p>
        <p>The longer hours will be paid for by closing the mobile library van on Mondays, when it sees the fewest \
        visitors, the board's chair told the meeting on Tuesday night.</p>
        """

    private func extract(head: String = "<title>Sunday library</title>", top: String = "",
        url: String? = nil) -> ExtractedArticle
    {
        let html = "<html><head>\(head)</head><body>\(top)<article>\(body)</article></body></html>"
        return ArticleExtractor.extract(ExtractionInput(html: Array(html.utf8), url: url))
    }

    @Test func byLineWithoutBylineMarkup() {
        let nav = """
            <nav><ul><li><a href="/subjects/">By subject</a></li><li><a href="/d/">By Date</a></li></ul></nav>
            """
        let cookie = "<div class=\"notice\"><p>By continuing to use Our Site You Agree to cookies.</p></div>"
        let line = """
            <p class="story__meta"> By <a href="/staff/ana-de-la-cruz/">Ana de la Cruz</a> , \
            <a href="/staff/bo-chan/">Bo Chan</a> <span>on Monday, March 1st, 2021 at 9:08 a.m.</span></p>
            """
        let article = extract(top: nav + cookie + line)
        #expect(article.authors == ["Ana de la Cruz", "Bo Chan"])
        #expect(article.sources["authors"] == "by-line")
        // Without links: the names written after the label, up to the date.
        let plain = "<div class=\"story__meta\">By Ann Lee and Bo Chan on March 1, 2021</div>"
        #expect(extract(top: plain).authors == ["Ann Lee", "Bo Chan"])
        // A label in its own element, the name in the next one.
        let split = "<div class=\"story__meta\"><em>By</em> <strong>Ann Lee</strong></div>"
        #expect(extract(top: split).authors == ["Ann Lee"])
        // Menus, cookie notices and one-word credits are no byline.
        #expect(extract(top: nav + cookie).authors.isEmpty)
        #expect(extract(top: "<div class=\"story__meta\">By Tuesday</div>").authors.isEmpty)
    }

    @Test func staffCreditOnlyWhenNoPersonIsNamed() {
        let meta = "<title>Sunday library</title><meta name=\"author\" content=\"Staff Reports\">"
        let article = extract(head: meta)
        #expect(article.authors == ["Staff Reports"])
        #expect(article.sources["authors"] == "meta:author")
        let byline = "<div class=\"story-byline\">By <span>COUNTY HERALD STAFF</span></div>"
        #expect(extract(top: byline).authors == ["County Herald Staff"])
        let wire = """
            <div class="byline-box"><span class="author"> </span><span class="outlet">Herald wire services</span> \
            Published 11:11 PM EST Mar 1, 2021</div>
            """
        #expect(extract(top: wire).authors == ["Herald wire services"])
        // A person in a later byline wins over the staff credit of the meta tag.
        let person = "<p class=\"byline\">By Ann Lee</p>"
        #expect(extract(head: meta, top: person).authors == ["Ann Lee"])
        // CMS accounts are no credit, staff or otherwise.
        #expect(MetadataCredit.staff(in: ["admin staff"]) == nil)
        let admin = "<p class=\"post-author\">By <a rel=\"author\" href=\"/author/admin/\">admin</a></p>"
        #expect(extract(top: admin).authors.isEmpty)
    }

    @Test func datelineAgencyInTheLede() {
        let head = """
            <title>Sunday library</title>
            <meta property="og:description" content="SPRINGFIELD, Ill. (AP) — The library will open on Sundays.">
            """
        let article = extract(head: head)
        #expect(article.authors == ["Associated Press"])
        #expect(article.sources["authors"] == "dateline")
        #expect(MetadataCredit.datelineAgency(in: "LONDON (Reuters) - Shares fell.") == "Reuters")
        // A parenthesis that is no agency, or one that is not a dateline.
        #expect(MetadataCredit.datelineAgency(in: "LONDON (Ontario) - Shares fell.") == nil)
        #expect(MetadataCredit.datelineAgency(in: "The agency (AP) - said so.") == nil)
        #expect(MetadataCredit.datelineAgency(in: "WASHINGTON (AP) said on Monday") == nil)
    }

    @Test func creditsThatNameNoPerson() {
        // A one-word credit in capitals (a call sign), and the site's own account.
        #expect(MetadataExtractor.splitAuthors(["WKRPTV"], exclude: []).isEmpty)
        let head = "<title>Sunday library</title><meta name=\"author\" content=\"countylib\">"
        #expect(extract(head: head, url: "https://www.countylib-news.example/sunday/").authors.isEmpty)
        #expect(extract(head: head, url: "https://www.example.org/sunday/").authors == ["countylib"])
    }

    @Test func affiliationsAfterTheName() {
        #expect(MetadataExtractor.splitAuthors(["Ann Lee. Springfield Daily Courier"], exclude: []) == ["Ann Lee"])
        #expect(MetadataExtractor.splitAuthors(["By DANA OKAFOR and JO LINDQVISTAssociated Press"], exclude: [])
            == ["Dana Okafor", "Jo Lindqvist"])
        // Initials and titles keep their full stops; the agency alone stays for the agency rule.
        #expect(MetadataExtractor.splitAuthors(["Sarah E. Needleman"], exclude: []) == ["Sarah E. Needleman"])
        #expect(MetadataExtractor.withoutAffiliation("Prof. Ann Lee") == "Prof. Ann Lee")
        #expect(MetadataExtractor.withoutAffiliation("Mr. Ann Lee") == "Mr. Ann Lee")
        #expect(MetadataExtractor.withoutAffiliation("The Associated Press") == "The Associated Press")
    }

    @Test func coAuthorsInParentheses() {
        #expect(
            MetadataExtractor.splitAuthors(["Par Léa Marchand (avec Omar Haddad et Ines Vidal)"], exclude: [])
                == ["Léa Marchand", "Omar Haddad", "Ines Vidal"])
        #expect(MetadataExtractor.splitAuthors(["By Ann Lee (with Bo Chan)"], exclude: []) == ["Ann Lee", "Bo Chan"])
        // Anything else in parentheses is a role or an outlet, not a name.
        #expect(MetadataExtractor.splitAuthors(["Ann Lee (Reuters)"], exclude: []) == ["Ann Lee"])
        #expect(MetadataExtractor.splitAuthors(["Ann Lee (photos) and Bo Chan"], exclude: []) == ["Ann Lee", "Bo Chan"])
        #expect(MetadataExtractor.resolvingParentheses("Ann Lee (with Bo Chan") == "Ann Lee, Bo Chan")
    }

    @Test func personNames() {
        #expect(MetadataExtractor.looksLikePersonName("Ana de la Cruz"))
        #expect(MetadataExtractor.looksLikePersonName("Ann Lee"))
        #expect(!MetadataExtractor.looksLikePersonName("Ann"))
        #expect(!MetadataExtractor.looksLikePersonName("continuing to use"))
        #expect(!MetadataExtractor.looksLikePersonName("Ann Lee 2021"))
        #expect(MetadataExtractor.startsWithByLabel(" By: Ann"))
        #expect(MetadataExtractor.startsWithByLabel("by"))
        #expect(!MetadataExtractor.startsWithByLabel("Bypass road"))
    }
}
