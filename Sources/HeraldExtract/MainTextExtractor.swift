import HeraldHTML

/// Finds an article's main text in a parsed page: drops furniture, scores containers, collects paragraphs.
struct MainTextExtractor {
    let tree: PageTree
    /// Headline, used to drop the title heading from the body.
    var title: String?
    /// JSON-LD `articleBody`, a strong hint about which container holds the article.
    var bodyHint: String?
    /// The hint is all of the content; false for a discussion, whose `articleBody` is only the first post.
    var hintIsWholeText = true

    /// Notes on the decisions taken, filled when `tracing` is on (tests and tuning).
    var tracing = false
    private(set) var trace: [String] = []

    /// Per node: excluded from the text.
    private(set) var dropped: [Bool] = []
    /// Per node: visible text length (after hard drops) and the part of it inside links.
    private var textLength: [Int] = []
    private var linkLength: [Int] = []
    /// Per node: prose it holds, the text of paragraphs, `<pre>` and quotes outside links (after hard drops).
    private var proseLength: [Int] = []
    /// The page's prose (the body's `proseLength`), or its text outside links when it has little prose.
    private var proseTotal = 1
    private var proseFromParagraphs = true
    /// Elements dropped as comment threads.
    private var commentThreads: [Int] = []
    /// The container was found from JSON-LD's `articleBody`: no fallback second-guesses it.
    private var chosenByHint = false
    /// Elements dropped unless they hold most of the page's prose (`markSoftDrops`).
    private var softDrops: [Int] = []
    /// Per node: a table cell holding only inline content; a row of such cells reads as one line. Also the blocks
    /// inside a small card.
    private var inlineCell: [Bool] = []
    /// Per node: a link holding blocks (a card or teaser wrapped in `<a>`): its text is content, not link text.
    private var card: [Bool] = []
    /// Furniture verdicts by class/id string, for other elements and for paragraphs.
    private var verdicts: [[String: FurnitureClassifier.Verdict]] = [[:], [:]]

    init(tree: PageTree, title: String?, bodyHint: String?) {
        self.tree = tree
        self.title = title
        self.bodyHint = bodyHint
    }

    /// Returns the main text's paragraphs in document order.
    mutating func paragraphs() -> [String] {
        guard tree.count > 1 else { return [] }
        markHardDrops()
        measure()
        markSoftDrops()
        let beforeFurniture = dropped
        markFurniture()
        markInlineCells()
        let blocks = collectBlocks()
        if tracing {
            trace.append("nodes=\(tree.count) blocks=\(blocks.count) text=\(textLength[0]) prose=\(proseTotal)")
        }
        if tracing {
            for (i, flag) in dropped.enumerated() where flag && tree.isElement[i] && textLength[i] > 200 {
                let parent = Int(tree.parents[i])
                if parent >= 0 && dropped[parent] { continue }
                trace.append("dropped \(describe(i)) text=\(textLength[i])")
            }
        }
        var selected = filter(select(from: blocks))
        selected = fallback(selected, blocks: blocks, beforeFurniture: beforeFurniture)
        var texts = selected.map(\.text)
        if let hint = bodyHint {
            let hintParagraphs = MainTextExtractor.split(hint)
            let hintLength = hintParagraphs.reduce(0) { $0 + $1.unicodeScalars.count }
            let ownLength = texts.reduce(0) { $0 + $1.unicodeScalars.count }
            if ownLength < hintLength * 6 / 10 { texts = hintParagraphs }
        }
        return texts
    }

    /// When the chosen text is implausible (empty, or small beside the prose the page shows), the text found by
    /// `ParagraphDensity` replaces it if it is clearly more; when furniture rules left nothing at all, the page is
    /// read again without them. A page with paragraphs never gives empty text.
    private mutating func fallback(
        _ selected: [TextBlock], blocks: [TextBlock], beforeFurniture: [Bool]
    ) -> [TextBlock] {
        let ownLength = ParagraphDensity.length(selected)
        if chosenByHint && hintIsWholeText && !selected.isEmpty { return selected }
        // The dense text is at most all the blocks: when the chosen text is long and a third of them, it stays.
        if ownLength >= 1500 && ownLength * 3 >= ParagraphDensity.length(blocks) { return selected }
        let dense = filter(ParagraphDensity.select(blocks))
        let denseLength = ParagraphDensity.length(dense)
        if tracing { trace.append("fallback check: own=\(ownLength) dense=\(denseLength)") }
        // Under a third of the dense text: implausible. Short, under 70% of it, and the dense text holds the chosen
        // text: the choice stopped short (the text split over several containers). A long chosen text stays: the
        // dense text around it is then mostly teasers.
        let densePositions = Set(dense.map(\.position))
        let shared = ParagraphDensity.length(selected.filter { densePositions.contains($0.position) })
        if ownLength * 3 < denseLength
            || ownLength < 1500 && ownLength * 10 < denseLength * 7 && shared * 10 >= ownLength * 8
        {
            if tracing { trace.append("fallback: paragraph density") }
            return dense
        }
        // Nothing, or a scrap (under 500 characters and a fifth of the page's prose): the furniture rules took the
        // content. Read the page again with only the hard drops, and keep that when it is three times more.
        if !selected.isEmpty && (ownLength >= 500 || ownLength * 5 >= proseTotal) { return selected }
        let furnitureDropped = dropped
        // Comment threads stay out, unless the page is nothing else.
        dropped = beforeFurniture
        for i in commentThreads where !dropped[i] {
            for k in i..<Int(tree.ends[i]) { dropped[k] = true }
        }
        markInlineCells()
        var all = collectBlocks()
        if selected.isEmpty && all.isEmpty && !commentThreads.isEmpty {
            dropped = beforeFurniture
            markInlineCells()
            all = collectBlocks()
        }
        dropped = furnitureDropped
        var again = filter(ParagraphDensity.select(all))
        if again.isEmpty { again = filter(all.filter { $0.tag == .p || $0.linkDensity < 0.5 }) }
        if again.isEmpty { again = all.filter { $0.tag == .p } }
        if !selected.isEmpty && ParagraphDensity.length(again) < ownLength * 3 { return selected }
        if tracing { trace.append("fallback: without furniture rules, \(again.count) blocks") }
        return again
    }

    /// JSON-LD types (lowercased) whose `articleBody` is one post of a longer page.
    static let discussionTypes: Set<String> = [
        "discussionforumposting", "socialmediaposting", "posting", "qapage", "question", "comment",
    ]

    /// Splits a plain-text body into normalised, non-empty paragraphs at line breaks.
    static func split(_ body: String) -> [String] {
        var out: [String] = []
        for line in body.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let text = TextNormalizer.normalize(String(line))
            if !text.isEmpty { out.append(text) }
        }
        return out
    }

    // MARK: - Dropping

    private mutating func markHardDrops() {
        dropped = [Bool](repeating: false, count: tree.count)
        softDrops = []
        for i in 1..<tree.count {
            let parent = Int(tree.parents[i])
            if parent >= 0 && dropped[parent] {
                dropped[i] = true
                continue
            }
            guard tree.isElement[i] else {
                if !tree.isText[i] { dropped[i] = true }  // comments
                continue
            }
            let tag = tree.tags[i]
            if tag.isAlwaysDropped || tag == .title {
                dropped[i] = true
                continue
            }
            if tag.isUsuallyDropped || tree.attribute(.hidden, i) != nil {
                softDrops.append(i)
                continue
            }
            if let style = tree.attribute(.style, i), MainTextExtractor.isHiddenStyle(style) {
                softDrops.append(i)
            }
        }
    }

    /// Drops the elements `markHardDrops` left for later (hidden ones, `<noscript>`, `<button>`, `<head>`) unless
    /// they hold most of the page's prose: the page script reveals (streamed server rendering parks the page in a
    /// hidden `<div>`), the page for crawlers, or the page a parse accident put inside them.
    private mutating func markSoftDrops() {
        var changed = false
        for i in softDrops where !dropped[i] {
            let parent = Int(tree.parents[i])
            if parent >= 0 && dropped[parent] { continue }
            if proseShare(i) >= 0.5 && textLength[i] >= 200 {
                if tracing { trace.append("kept \(describe(i)) text=\(textLength[i])") }
                continue
            }
            for k in i..<Int(tree.ends[i]) { dropped[k] = true }
            var node = parent
            while node >= 0 {
                textLength[node] -= textLength[i]
                linkLength[node] -= linkLength[i]
                proseLength[node] -= proseLength[i]
                node = Int(tree.parents[node])
            }
            changed = true
        }
        if changed { measureProse() }
    }

    static func isHiddenStyle(_ style: String) -> Bool {
        let compact = String(style.lowercasedFast().unicodeScalars.filter { !TextNormalizer.isWhitespace($0) })
        return compact.containsUTF8("display:none") || compact.containsUTF8("visibility:hidden")
    }

    private mutating func measure() {
        textLength = [Int](repeating: 0, count: tree.count)
        linkLength = [Int](repeating: 0, count: tree.count)
        proseLength = [Int](repeating: 0, count: tree.count)
        // Per node: inside a paragraph-like block and outside links (parents come before children).
        var inProse = [Bool](repeating: false, count: tree.count)
        for i in 1..<tree.count where !dropped[i] {
            let parent = Int(tree.parents[i])
            let inherited = parent >= 0 && inProse[parent]
            switch tree.tags[i] {
            case .a: inProse[i] = false
            case .p, .pre, .blockquote: inProse[i] = true
            default: inProse[i] = inherited
            }
        }
        for i in stride(from: tree.count - 1, through: 0, by: -1) {
            if dropped[i] { continue }
            if tree.isText[i] {
                textLength[i] = tree.document.withUTF8Text(of: tree.nodes[i], MainTextExtractor.visibleLength)
                if inProse[i] { proseLength[i] = textLength[i] }
            }
            if tree.tags[i] == .a { linkLength[i] = textLength[i] }
            let parent = Int(tree.parents[i])
            if parent >= 0 {
                textLength[parent] += textLength[i]
                linkLength[parent] += linkLength[i]
                proseLength[parent] += proseLength[i]
            }
        }
        measureProse()
    }

    /// Sets the page's prose total from the root's lengths.
    private mutating func measureProse() {
        if proseLength[0] >= MainTextExtractor.minimumProse {
            proseFromParagraphs = true
            proseTotal = proseLength[0]
        } else {
            proseFromParagraphs = false
            proseTotal = max(textLength[0] - linkLength[0], 1)
        }
    }

    /// Below this much paragraph text, a page's prose is its text outside links (pages built of bare `<div>`s).
    static let minimumProse = 400

    /// Share of the page's prose inside node `i`.
    private func proseShare(_ i: Int) -> Double {
        let own = proseFromParagraphs ? proseLength[i] : textLength[i] - linkLength[i]
        return Double(own) / Double(proseTotal)
    }

    /// A class word is evidence, not a veto: an element holding most of the page's prose is the content whatever
    /// its class says (`share_wrapper` around the body, `newsletter-article` as a content type).
    private mutating func holdsMostProse(_ i: Int) -> Bool {
        var share = proseShare(i)
        // The article split into sibling sections of one class ("skip-item", "jump-section"): weighed together.
        if share < 0.6, share > 0, let name = tree.attribute(.class, i), !name.isEmpty {
            share = siblingsProseShare(i, name)
        }
        let holds = share >= 0.6
        if holds && tracing { trace.append("protected \(describe(i)) prose share=\(share)") }
        return holds
    }

    /// Share of the page's prose in `i` and its siblings of the same class, remembered per parent and class.
    private mutating func siblingsProseShare(_ i: Int, _ name: String) -> Double {
        let parent = Int(tree.parents[i])
        guard parent >= 0 else { return proseShare(i) }
        let key = SiblingClass(parent: parent, name: name)
        if let known = siblingShares[key] { return known }
        var share = 0.0
        var child = tree.document.firstChild(of: tree.nodes[parent])
        while let c = child {
            let s = Int(c.index)
            if tree.isElement[s], tree.attribute(.class, s) == name { share += proseShare(s) }
            child = tree.document.nextSibling(of: c)
        }
        siblingShares[key] = share
        return share
    }

    private struct SiblingClass: Hashable {
        var parent: Int
        var name: String
    }

    private var siblingShares: [SiblingClass: Double] = [:]

    /// Non-whitespace scalar count, a cheap proxy for visible text length.
    static func visibleLength(_ text: String) -> Int {
        var text = text
        return text.withUTF8(visibleLength)
    }

    static func visibleLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var n = 0
        var i = 0
        // Eight bytes at a time: an ASCII byte counts when it is above 0x20, a byte with the high bit set when it
        // leads a sequence (0b11xxxxxx); continuation bytes (0b10xxxxxx) never count.
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let high: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= bytes.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let highBits = w & high
            let above20 = ((w & low7) &+ 0x5F5F_5F5F_5F5F_5F5F) & high & ~highBits
            let leads = highBits & (w << 1)
            n += (above20 | leads).nonzeroBitCount
            i += 8
        }
        while i < bytes.count {
            let byte = base[i]
            if byte > 0x20 && (byte & 0xC0) != 0x80 { n += 1 }
            i += 1
        }
        return n
    }

    private mutating func markFurniture() {
        let total = max(textLength[0], 1)
        let articleCount = tree.indices(of: .article).count
        for i in 1..<tree.count where tree.isElement[i] && !dropped[i] {
            let parent = Int(tree.parents[i])
            if parent >= 0 && dropped[parent] {
                dropped[i] = true
                continue
            }
            let tag = tree.tags[i]
            if tag == .html || tag == .body { continue }
            let share = Double(textLength[i]) / Double(total)
            let linkShare = textLength[i] == 0 ? 0 : Double(linkLength[i]) / Double(textLength[i])
            if let itemprop = tree.attribute(.itemprop, i)?.lowercasedFast(), itemprop.containsUTF8("articlebody") {
                continue
            }
            switch tag {
            case .nav:
                if share < 0.5 { dropped[i] = true; continue }
            case .aside, .footer, .form, .fieldset:
                if share < 0.4 { dropped[i] = true; continue }
            case .header:
                if share < 0.3 && (articleCount == 0 || !isInside(i, .article)) { dropped[i] = true; continue }
            case .figcaption:
                dropped[i] = true
                continue
            case .figure:
                if textLength[i] < 400 { dropped[i] = true; continue }
            default:
                break
            }
            var classAndID = tree.attribute(.class, i) ?? ""
            if let id = tree.attribute(.id, i) { classAndID += " " + id }
            let role = tree.attribute(.role, i)
            switch verdict(classAndID: classAndID, role: role, isParagraph: tag == .p) {
            case .comments:
                // A comment thread goes even when long; a page that is only a thread is read by the fallback.
                if tag != .article && tag != .main || share < 0.5 {
                    dropped[i] = true
                    commentThreads.append(i)
                }
            case .strongFurniture:
                if !holdsMostProse(i) { dropped[i] = true }
            case .furniture:
                if tag != .article && tag != .main && share < 0.4 && !holdsMostProse(i) { dropped[i] = true }
            case .weakFurniture:
                // Weak words on links and inline formatting describe the link ("player-link"), not furniture.
                // On headings they name the heading's style ("boxout-headline").
                if !tag.isPhrasing && !tag.isHeading && !tag.isTablePart && tag != .article && tag != .main
                    && (textLength[i] < 250 || linkShare > 0.5) && !holdsMostProse(i)
                {
                    dropped[i] = true
                }
            case .content, .neutral:
                break
            }
            if !dropped[i], tree.attribute(.ariaHidden, i) == "true", textLength[i] < 250 { dropped[i] = true }
        }
    }

    private mutating func markInlineCells() {
        inlineCell = [Bool](repeating: false, count: tree.count)
        card = [Bool](repeating: false, count: tree.count)
        var hasBlock = [Bool](repeating: false, count: tree.count)
        var smallCards: [Int] = []
        for i in stride(from: tree.count - 1, through: 1, by: -1) where !dropped[i] {
            let tag = tree.tags[i]
            if tag == .td || tag == .th { inlineCell[i] = !hasBlock[i] }
            if tag == .a && hasBlock[i] {
                card[i] = true
                if textLength[i] <= MainTextExtractor.smallCard { smallCards.append(i) }
            }
            if hasBlock[i] || tree.isElement[i] && (tag.isBlock || tag == .br) {
                let parent = Int(tree.parents[i])
                if parent >= 0 { hasBlock[parent] = true }
            }
        }
        // Cards are the content only on a page made of them (a listing, a shop's grid): elsewhere they are teasers
        // beside the prose and stay links.
        var cardText = 0
        var cardProse = 0
        var i = 1
        while i < tree.count {
            if card[i] {
                cardText += textLength[i]
                cardProse += proseLength[i]
                i = Int(tree.ends[i])
            } else {
                i += 1
            }
        }
        if tracing { trace.append("cards: text=\(cardText) prose outside=\(proseLength[0] - cardProse)") }
        guard cardText > proseLength[0] - cardProse else {
            card = [Bool](repeating: false, count: tree.count)
            return
        }
        // A small card reads as one line: its blocks (title, price, place) are parts of it.
        for c in smallCards {
            for k in (c + 1)..<Int(tree.ends[c]) where tree.isElement[k] && tree.tags[k].isBlock {
                inlineCell[k] = true
            }
        }
    }

    /// A card up to this long reads as one block; a longer one keeps its paragraphs.
    static let smallCard = 500

    private func isInside(_ i: Int, _ tag: HTMLTag) -> Bool {
        var p = Int(tree.parents[i])
        while p > 0 {
            if tree.tags[p] == tag { return true }
            p = Int(tree.parents[p])
        }
        return false
    }

    /// `FurnitureClassifier.verdict`, remembered per class/id string: pages repeat the same classes on many
    /// elements.
    private mutating func verdict(classAndID: String, role: String?, isParagraph: Bool) -> FurnitureClassifier.Verdict {
        if role != nil || classAndID.isEmpty {
            return FurnitureClassifier.verdict(classAndID: classAndID, role: role, isParagraph: isParagraph)
        }
        if let known = verdicts[isParagraph ? 1 : 0][classAndID] { return known }
        let verdict = FurnitureClassifier.verdict(classAndID: classAndID, role: nil, isParagraph: isParagraph)
        verdicts[isParagraph ? 1 : 0][classAndID] = verdict
        return verdict
    }

    // MARK: - Blocks

    private func collectBlocks() -> [TextBlock] {
        var blocks: [TextBlock] = []
        // UTF-8 bytes of the block being read; one String is made per block, not per text node.
        var buffer: [UInt8] = []
        var bufferLinkLength = 0
        var bufferLinkCount = 0
        var bufferOwner = -1
        var bufferPosition = -1
        var openBlocks: [(index: Int, end: Int)] = [(0, tree.count)]
        var linkEnd = -1
        var cardEnd = -1

        func flush() {
            defer {
                buffer.removeAll(keepingCapacity: true)
                bufferLinkLength = 0
                bufferLinkCount = 0
                bufferOwner = -1
            }
            guard bufferOwner >= 0 else { return }
            let text = TextNormalizer.normalize(String(decoding: buffer, as: UTF8.self))
            if text.isEmpty { return }
            let length = MainTextExtractor.visibleLength(text)
            blocks.append(
                TextBlock(
                    text: text, length: length, linkLength: min(bufferLinkLength, length), linkCount: bufferLinkCount,
                    owner: bufferOwner, tag: tree.tags[bufferOwner], position: bufferPosition))
        }

        var i = 1
        while i < tree.count {
            while let top = openBlocks.last, top.end <= i {
                flush()
                openBlocks.removeLast()
            }
            if dropped[i] {
                // A dropped block in the middle of running text still separates paragraphs.
                if tree.tags[i].isBlock { flush() }
                i = Int(tree.ends[i])
                continue
            }
            if tree.isText[i] {
                if bufferOwner < 0 {
                    if textLength[i] == 0 { i += 1; continue }
                    bufferOwner = openBlocks.last?.index ?? 0
                    bufferPosition = i
                }
                tree.document.withUTF8Text(of: tree.nodes[i]) { buffer.append(contentsOf: $0) }
                if i < linkEnd { bufferLinkLength += textLength[i] }
                i += 1
                continue
            }
            let tag = tree.tags[i]
            if inlineCell[i] || (tag == .br || tag == .hr) && i < cardEnd {
                buffer.append(0x20)
            } else if tag == .br || tag == .hr {
                flush()
            } else if tag.isBlock {
                flush()
                openBlocks.append((i, Int(tree.ends[i])))
            } else if card[i] {
                // The card is its own block when small; a large one's blocks stand alone. Neither counts as links.
                if textLength[i] <= MainTextExtractor.smallCard {
                    flush()
                    openBlocks.append((i, Int(tree.ends[i])))
                    cardEnd = Int(tree.ends[i])
                }
            } else if tag == .a, i >= linkEnd {
                linkEnd = Int(tree.ends[i])
                if textLength[i] > 0 { bufferLinkCount += 1 }
            }
            i += 1
        }
        flush()
        return blocks
    }

    // MARK: - Selection

    private mutating func select(from blocks: [TextBlock]) -> [TextBlock] {
        guard !blocks.isEmpty else { return [] }
        if let hinted = selectByHint(blocks) {
            chosenByHint = true
            return hinted
        }

        var hasBlockChild = [Bool](repeating: false, count: tree.count)
        for i in 1..<tree.count
        where tree.isElement[i] && !dropped[i] && !inlineCell[i] && (tree.tags[i].isBlock || tree.tags[i] == .br)
        {
            let parent = Int(tree.parents[i])
            if parent >= 0 { hasBlockChild[parent] = true }
        }
        var score = [Double](repeating: 0, count: tree.count)
        var scored = [Bool](repeating: false, count: tree.count)
        var candidates: [Int] = []
        for block in blocks where block.length >= 25 && !block.tag.isHeading {
            var value = 1 + Double(block.commaCount) + Double(min(block.length / 100, 3))
            value *= 1 - min(block.linkDensity, 1)
            let paragraphLike = block.tag.isParagraphLike || !hasBlockChild[block.owner]
            var node = paragraphLike ? Int(tree.parents[block.owner]) : block.owner
            var level = 0
            while node > 0 && level < 5 {
                if !scored[node] {
                    scored[node] = true
                    score[node] = initialScore(node)
                    candidates.append(node)
                }
                let divider = level == 0 ? 1.0 : (level == 1 ? 2.0 : Double(level) * 3)
                score[node] += value / divider
                node = Int(tree.parents[node])
                level += 1
            }
        }
        // Link density of each candidate over the kept text.
        var kept = [Int](repeating: 0, count: tree.count)
        var linked = [Int](repeating: 0, count: tree.count)
        for block in blocks {
            var node = block.owner
            while node >= 0 {
                kept[node] += block.length
                linked[node] += block.linkLength
                node = Int(tree.parents[node])
            }
        }
        var best = -1
        var bestScore = -Double.infinity
        for node in candidates {
            let density = kept[node] == 0 ? 0 : Double(linked[node]) / Double(kept[node])
            score[node] *= 1 - density
            if score[node] > bestScore {
                bestScore = score[node]
                best = node
            }
        }
        guard best > 0 else { return blocks }
        // A table or list is part of a text when a container around it scores nearly as well.
        let bestTag = tree.tags[best]
        if bestTag.isTablePart || bestTag == .table || bestTag == .ul || bestTag == .ol {
            var node = Int(tree.parents[best])
            var level = 0
            while node > 0 && level < 4 {
                let tag = tree.tags[node]
                if scored[node] && score[node] >= bestScore * 0.8 && !tag.isTablePart && tag != .table {
                    best = node
                    bestScore = score[node]
                    break
                }
                node = Int(tree.parents[node])
                level += 1
            }
        }
        // Several near-equal candidates (paragraphs in their own <div>s): their common ancestor is the article.
        let close = candidates.filter { $0 != best && score[$0] >= bestScore * 0.75 && !tree.contains($0, best) }
        if close.count >= 3 {
            var node = Int(tree.parents[best])
            while node > 0 && tree.tags[node] != .body {
                let inside = close.filter { tree.contains(node, $0) }.count
                if inside >= 3 {
                    best = node
                    bestScore = max(score[node], bestScore)
                    break
                }
                node = Int(tree.parents[node])
            }
        }
        if tracing {
            let ranked = candidates.sorted { score[$0] > score[$1] }.prefix(5)
            trace += ranked.map { "candidate \(describe($0)) score=\(score[$0]) kept=\(kept[$0])" }
        }

        // Siblings of the best node that score well or are plain paragraphs belong to the article too.
        var roots = [best]
        let parent = Int(tree.parents[best])
        if parent > 0 {
            let threshold = max(10, bestScore * 0.2)
            roots = []
            var child = tree.document.firstChild(of: tree.nodes[parent])
            while let c = child {
                let s = Int(c.index)
                child = tree.document.nextSibling(of: c)
                if dropped[s] { continue }
                if s == best {
                    roots.append(s)
                    continue
                }
                let density = kept[s] == 0 ? 1 : Double(linked[s]) / Double(kept[s])
                if scored[s] && score[s] >= threshold {
                    roots.append(s)
                } else if tree.tags[s] == .p || tree.isText[s] {
                    if kept[s] > 80 && density < 0.25 { roots.append(s) }
                }
            }
        }
        // Other strong candidates near the best one: the article split into sections around figures or ads.
        var depth = 0
        var ancestors: [Int] = []
        var node = Int(tree.parents[best])
        while node > 0 && depth < 6 && tree.tags[node] != .body {
            ancestors.append(node)
            node = Int(tree.parents[node])
            depth += 1
        }
        if let top = ancestors.last {
            for c in candidates where score[c] >= bestScore * 0.25 && tree.contains(top, c) {
                if roots.contains(where: { tree.contains($0, c) || tree.contains(c, $0) }) { continue }
                let density = kept[c] == 0 ? 1 : Double(linked[c]) / Double(kept[c])
                if density < 0.25 { roots.append(c) }
            }
        }
        if tracing { trace += roots.map { "root \(describe($0))" } }
        return blocks.filter { block in roots.contains { tree.contains($0, block.owner) } }
    }

    func describe(_ node: Int) -> String {
        "\(tree.tags[node])#\(node) class=\(tree.attribute(.class, node) ?? "") id=\(tree.attribute(.id, node) ?? "")"
    }

    private mutating func initialScore(_ node: Int) -> Double {
        var value: Double
        switch tree.tags[node] {
        case .div, .article, .main, .section: value = 5
        case .pre, .td, .blockquote: value = 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: value = -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: value = -5
        default: value = 0
        }
        if tree.tags[node] == .article { value += 10 }
        if let itemprop = tree.attribute(.itemprop, node)?.lowercasedFast(), itemprop.containsUTF8("articlebody") {
            value += 50
        }
        var classAndID = tree.attribute(.class, node) ?? ""
        if let id = tree.attribute(.id, node) { classAndID += " " + id }
        switch verdict(classAndID: classAndID, role: nil, isParagraph: false) {
        case .content: value += 25
        case .furniture, .strongFurniture, .comments: if !holdsMostProse(node) { value -= 25 }
        case .weakFurniture, .neutral: break
        }
        return value
    }

    /// When JSON-LD carries the body, the container is the deepest element holding ~90% of the matching text.
    private mutating func selectByHint(_ blocks: [TextBlock]) -> [TextBlock]? {
        guard let hint = bodyHint else { return nil }
        let normalizedHint = TextNormalizer.normalize(hint)
        let hintLength = normalizedHint.unicodeScalars.count
        guard hintLength > 200 else { return nil }
        var matched = [Int](repeating: 0, count: tree.count)
        var total = 0
        for block in blocks where block.length >= 30 {
            let probe = String(block.text.prefix(60))
            guard normalizedHint.containsUTF8(probe) else { continue }
            total += block.length
            var node = block.owner
            while node >= 0 {
                matched[node] += block.length
                node = Int(tree.parents[node])
            }
        }
        guard total * 10 >= hintLength * 4 else { return nil }
        if tracing { trace.append("hint matched \(total) of \(hintLength)") }
        var container = 0
        // Deepest node (largest index along the chain) with >= 90% of the matched text.
        for i in 0..<tree.count where matched[i] * 10 >= total * 9 { container = i }
        return blocks.filter { tree.contains(container, $0.owner) }
    }

    // MARK: - Filtering

    private func filter(_ blocks: [TextBlock]) -> [TextBlock] {
        let normalizedTitle = title.map { MainTextExtractor.comparable($0) }
        // Block texts are already normalised (normalising is idempotent), so lowercasing gives `comparable`.
        let keys = blocks.map { $0.text.lowercasedFast() }
        // Repeats: text printed again later (a body printed twice, a print or mobile copy). A copy is a run of
        // blocks repeating an earlier run in the same order; it goes when it is substantial. Lines a page
        // legitimately repeats here and there ("Eat every 2-3 hours" in a meal plan) stay.
        // Keys compare as UTF-8 bytes: they are normalised, and hashing bytes skips String's NFC-aware hashing.
        var firstIndex: [UTF8Key: Int] = [:]
        var original = [Int](repeating: -1, count: blocks.count)
        for (i, key) in keys.enumerated() {
            let bytesKey = UTF8Key(key)
            if let first = firstIndex[bytesKey] { original[i] = first } else { firstIndex[bytesKey] = i }
        }
        var isCopy = [Bool](repeating: false, count: blocks.count)
        var runStart = 0
        while runStart < blocks.count {
            guard original[runStart] >= 0 else {
                runStart += 1
                continue
            }
            var runEnd = runStart + 1
            while runEnd < blocks.count && original[runEnd] >= 0 && original[runEnd] == original[runEnd - 1] + 1 {
                runEnd += 1
            }
            let weight = blocks[runStart..<runEnd].reduce(0) { $0 + $1.length }
            if weight >= 300 {
                for k in runStart..<runEnd { isCopy[k] = true }
            }
            runStart = runEnd
        }
        func linkHeavy(_ i: Int) -> Bool {
            i >= 0 && i < blocks.count && blocks[i].linkDensity > 0.65
        }
        var out: [TextBlock] = []
        for (i, block) in blocks.enumerated() {
            let density = block.linkDensity
            if density > (block.length > 200 ? 0.65 : 0.5) {
                // Lists of links go; one linked line inside running text stays.
                let veryDense = density > 0.8
                if block.tag.isHeading || block.linkCount >= 3 || block.tag == .li && block.length < 100
                    || veryDense && (block.tag == .li || linkHeavy(i - 1) || linkHeavy(i + 1) || block.length < 40)
                {
                    continue
                }
            }
            // Teaser headlines in capitals that link elsewhere ("SEAN SPICER ELIMINATED FROM ...").
            if density > 0.9 && MainTextExtractor.isMostlyUppercase(block.text) { continue }
            if block.tag.isHeading, let t = normalizedTitle {
                let c = keys[i]
                if c == t || (c.count > 15 && (t.containsUTF8(c) || c.containsUTF8(t))) { continue }
            }
            if block.tag == .h1 && out.isEmpty { continue }
            if BoilerplateText.isBoilerplate(lowercased: keys[i]) { continue }
            if isCopy[i] { continue }
            out.append(block)
        }
        return out
    }

    static func isMostlyUppercase(_ text: String) -> Bool {
        var upper = 0
        var letters = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if scalar.properties.isUppercase { upper += 1 }
        }
        return letters >= 8 && upper * 10 >= letters * 8
    }

    static func comparable(_ text: String) -> String {
        TextNormalizer.normalize(text).lowercasedFast()
    }
}
