import HeraldHTML

extension MetadataExtractor {
    /// Words that open a short "published on …" line in several languages.
    private static let publicationKeywords = [
        "published", "posted", "publiziert", "veröffentlicht", "publié", "publicado", "pubblicato", "publicat",
        "gepubliceerd", "erschienen",
    ]

    /// Last resort for `published`: a short element whose text opens with a publication word and holds a date
    /// ("publiziert am 25. September 2018", "Published: March 3, 2024").
    func publicationLineDate() -> String? {
        for i in 1..<tree.count where tree.isElement[i] {
            switch tree.tags[i] {
            case .script, .style, .head, .title, .meta, .link, .html, .body:
                continue
            default:
                break
            }
            // Only elements small enough to be one line (the whole page's text would also start with the word).
            if Int(tree.ends[i]) - i > 12 { continue }
            let text = tree.collapsedText(i)
            if text.isEmpty || text.count > 120 { continue }
            let lower = text.lowercased()
            guard let keyword = MetadataExtractor.publicationKeywords.first(where: { lower.hasPrefix($0) }) else {
                continue
            }
            if let parts = DateNormalizer.findDate(in: String(lower.dropFirst(keyword.count))) {
                return parts.rfc3339
            }
        }
        return nil
    }
}
