/// A second, simpler way to find the main text: keep each block that reads like prose (long enough, few links),
/// and the short blocks and headings that sit among such blocks. It ignores containers, so it still finds text
/// that the container choice missed (text spread over many small containers, or a wrong container chosen).
enum ParagraphDensity {
    enum Kind { case good, bad, short }

    static func kind(_ block: TextBlock) -> Kind {
        let density = block.linkDensity
        if density > 0.5 { return .bad }
        if block.length >= 70 && density <= 0.3 || block.length >= 200 && density <= 0.4 { return .good }
        return .short
    }

    /// The blocks that read like prose, in document order, with the short blocks and headings around them.
    static func select(_ blocks: [TextBlock]) -> [TextBlock] {
        let kinds = blocks.map(kind)
        // Nearest non-short kind before and after each block.
        var before = [Kind?](repeating: nil, count: blocks.count)
        var after = [Kind?](repeating: nil, count: blocks.count)
        var last: Kind?
        for i in blocks.indices {
            before[i] = last
            if kinds[i] != .short { last = kinds[i] }
        }
        last = nil
        for i in blocks.indices.reversed() {
            after[i] = last
            if kinds[i] != .short { last = kinds[i] }
        }
        var out: [TextBlock] = []
        for (i, block) in blocks.enumerated() {
            switch kinds[i] {
            case .good:
                out.append(block)
            case .bad:
                continue
            case .short:
                // A heading introduces what follows; other short blocks belong where prose surrounds them.
                if block.tag.isHeading ? after[i] == .good : before[i] == .good && after[i] == .good {
                    out.append(block)
                }
            }
        }
        return out
    }

    /// Total visible length of blocks.
    static func length(_ blocks: [TextBlock]) -> Int { blocks.reduce(0) { $0 + $1.length } }
}
