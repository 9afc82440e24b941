struct AmountExtractor {
    let text: TokenizedText
    func extract() -> [Amount] { [] }
}
