struct QuoteExtractor {
    let text: TokenizedText
    let entities: [Entity]
    func extract() -> [Quote] { [] }
}
