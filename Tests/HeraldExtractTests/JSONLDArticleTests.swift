import Testing

@testable import HeraldExtract

@Suite struct JSONLDArticleTests {
    @Test func readsGraphWithArticleAndWebsite() throws {
        let script = """
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"The Daily Ledger","url":"https://ledger.example/"},
              {"@type":"WebPage","@id":"https://ledger.example/a#page","name":"Page name"},
              {"@type":["NewsArticle"],"headline":"Rates held &amp; markets calm",
               "author":[{"@type":"Person","name":"Asha Rao"},{"@type":"Person","name":"Tom Reed"}],
               "datePublished":"2025-12-04T09:00:00+05:30","dateModified":"2025-12-04T11:00:00+05:30",
               "publisher":{"@type":"Organization","name":"Ledger Media"},
               "image":{"@type":"ImageObject","url":"https://ledger.example/a.jpg"},
               "mainEntityOfPage":{"@id":"https://ledger.example/a"},"inLanguage":"en-GB",
               "articleBody":"The central bank left its main rate unchanged on Thursday, as expected by analysts.",},
            ]}
            """
        let article = try #require(JSONLDArticle.read([script]))
        #expect(article.headline == "Rates held & markets calm")
        #expect(article.authors == ["Asha Rao", "Tom Reed"])
        #expect(article.published == "2025-12-04T09:00:00+05:30")
        #expect(article.modified == "2025-12-04T11:00:00+05:30")
        #expect(article.publisher == "Ledger Media")
        #expect(article.siteName == "The Daily Ledger")
        #expect(article.image == "https://ledger.example/a.jpg")
        #expect(article.url == "https://ledger.example/a")
        #expect(article.language == "en-GB")
        #expect(article.articleBody?.hasPrefix("The central bank") == true)
    }

    @Test func toleratesCommentsAndCDATAAndArrays() throws {
        let script = """
            <!--//--><![CDATA[//><!--
            [{"@type":"BreadcrumbList","itemListElement":[]},
             {"@type":"BlogPosting","headline":"Line\\u2019s end","author":"Mia Chen, Leo Park"}]
            //--><!]]>
            """
        let article = try #require(JSONLDArticle.read([script]))
        #expect(article.headline == "Line\u{2019}s end")
        #expect(article.authors == ["Mia Chen, Leo Park"])
    }

    @Test func resolvesReferencesByID() throws {
        let script = """
            {"@context":"https://schema.org","@graph":[
              {"@type":"Article","@id":"https://b.example/p#article","headline":"Referenced",
               "author":{"@id":"https://b.example/#/schema/person/7"},
               "publisher":{"@id":"https://b.example/#organization"}},
              {"@type":"Organization","@id":"https://b.example/#organization","name":"Bay Weekly"},
              {"@type":"Person","@id":"https://b.example/#/schema/person/7","name":"Noor Haddad"}
            ]}
            """
        let article = try #require(JSONLDArticle.read([script]))
        #expect(article.authors == ["Noor Haddad"])
        #expect(article.publisher == "Bay Weekly")
    }

    @Test func stringAndObjectAuthors() throws {
        let script = #"{"@type":"Article","headline":"H","author":{"@type":"Person","name":"Ola Berg"}}"#
        #expect(try #require(JSONLDArticle.read([script])).authors == ["Ola Berg"])
    }

    @Test func articleBodyKeepsLinesAndDropsMarkup() throws {
        let script = #"""
            {"@type":"NewsArticle","headline":"H",
             "articleBody":"<p class=\"lead\">First line of the story, long enough.</p><p>Second &amp; last line.</p>"}
            """#
        let article = try #require(JSONLDArticle.read([script]))
        #expect(article.articleBody == "First line of the story, long enough.\nSecond & last line.")
        let plain = #"{"@type":"Article","articleBody":"One paragraph here.\n\nAnother paragraph follows it."}"#
        let body = try #require(JSONLDArticle.read([plain])).articleBody
        #expect(body == "One paragraph here.\nAnother paragraph follows it.")
    }

    @Test func noArticleNodes() {
        #expect(JSONLDArticle.read([#"{"@type":"Organization","name":"X"}"#]) == nil)
        #expect(JSONLDArticle.read(["not json at all"]) == nil)
    }

    @Test func lenientParserHandlesBrokenJSON() {
        let values = LenientJSONParser.parseAll("{\"a\": \"multi\nline\", \"b\": [1, 2,],}")
        #expect(values.count == 1)
        #expect(values.first?["a"]?.stringValue == "multi\nline")
        #expect(values.first?["b"] == .array([.number(1), .number(2)]))
    }
}
