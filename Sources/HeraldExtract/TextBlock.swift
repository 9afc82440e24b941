/// One paragraph of page text as the extractor sees it, before selection.
struct TextBlock {
    /// Whitespace-collapsed text.
    var text: String
    /// Length in non-space Unicode scalars.
    var length: Int
    /// Non-space scalars inside links.
    var linkLength: Int
    /// Number of links in the block.
    var linkCount: Int
    /// Index of the innermost block element holding the text.
    var owner: Int
    /// Tag of `owner`.
    var tag: HTMLTag
    /// Index of the first text node of the block (document position).
    var position: Int

    var linkDensity: Double { length == 0 ? 0 : Double(linkLength) / Double(length) }

    var commaCount: Int {
        var n = 0
        for scalar in text.unicodeScalars where scalar == "," || scalar == "\u{FF0C}" || scalar == "\u{3001}" {
            n += 1
        }
        return n
    }
}
