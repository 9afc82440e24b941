/// Finds entities, quotations and amounts in an article's text. Pure and thread-safe; build one and share it.
public struct Enricher: Sendable {
    let entities: EntityExtractor

    /// Creates an enricher that types names with `gazetteer` (``Gazetteer/load(directory:)``) and its cues.
    public init(gazetteer: Gazetteer) {
        entities = EntityExtractor(gazetteer: gazetteer)
    }

    /// Enriches `text` (the article's main text, paragraphs separated by newlines). Offsets count its scalars.
    public func enrich(_ text: String) -> Enrichment {
        let tokenized = TokenizedText(text)
        let found = entities.extract(tokenized)
        let quotes = QuoteExtractor(text: tokenized, entities: found).extract()
        let amounts = AmountExtractor(text: tokenized).extract()
        return Enrichment(entities: found, quotes: quotes, amounts: amounts)
    }
}
