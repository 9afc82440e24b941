import HeraldHTML

/// Extracts an article (main text and metadata) from one HTML page.
public enum ArticleExtractor {
    /// Decodes, parses and extracts `input`. Never fails: a page without an article gives empty text.
    public static func extract(_ input: ExtractionInput) -> ExtractedArticle {
        let encoding = CharsetSniffer.detect(input.html, httpContentType: input.httpContentType)
        let document = MarkupParser.parseHTML(
            input.html, encoding: encoding, omitting: .unreadByExtraction, attributes: PageTree.readAttributes)
        return extract(input, document: document, encoding: encoding)
    }

    /// `extract` within a parse budget (a deadline and a cancellation flag; see `ParseBudget`).
    /// - Throws: `MarkupError` (`.timeBudgetExceeded`, `.cancelled`, `.tooLarge`) when the page's parse is stopped.
    public static func extract(_ input: ExtractionInput, budget: ParseBudget) throws(MarkupError) -> ExtractedArticle {
        let encoding = CharsetSniffer.detect(input.html, httpContentType: input.httpContentType)
        let document = try MarkupParser.parseHTML(
            input.html, encoding: encoding, omitting: .unreadByExtraction, attributes: PageTree.readAttributes,
            budget: budget)
        return extract(input, document: document, encoding: encoding)
    }

    private static func extract(_ input: ExtractionInput, document: MarkupDocument, encoding: String) -> ExtractedArticle {
        let tree = PageTree(document)
        var metadata = MetadataExtractor(tree: tree, pageURL: input.url)

        let siteName = metadata.siteName()
        let title = metadata.title(siteName: siteName)
        var extractor = MainTextExtractor(tree: tree, title: title, bodyHint: metadata.jsonLD?.articleBody)
        extractor.hintIsWholeText = !MainTextExtractor.discussionTypes.contains(metadata.jsonLD?.type ?? "")
        let paragraphs = extractor.paragraphs()
        let text = paragraphs.joined(separator: "\n\n")

        // Byline/date elements and the openings of the first paragraphs (where datelines such as
        // "New Delhi. 05 December 2025." sit), read only when no structured source has a date.
        var datelines: [String]?
        let readDatelines: () -> [String] = {
            if let datelines { return datelines }
            let texts = MetadataExtractor.datelineCandidates(in: tree) + paragraphs.prefix(6).map {
                String($0.prefix(80))
            }
            datelines = texts
            return texts
        }
        var article = ExtractedArticle(text: text)
        article.siteName = siteName
        article.title = title
        article.authors = metadata.authors(siteName: siteName)
        article.published = metadata.published(datelineTexts: readDatelines)
        article.modified = metadata.modified(datelineTexts: readDatelines)
        article.language = metadata.language()
        article.canonicalURL = metadata.canonicalURL()
        article.description = metadata.description()
        article.image = metadata.image()
        article.sources = metadata.sources
        article.encoding = encoding
        return article
    }
}
