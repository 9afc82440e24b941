import HeraldHTML

/// A flat, index-addressed view of a parsed page with the per-node facts the extractor needs.
struct PageTree {
    typealias Node = MarkupDocument.Node

    let document: MarkupDocument
    /// `nodes[i].index == i`.
    let nodes: [Node]
    let tags: [HTMLTag]
    let parents: [Int32]
    let isElement: [Bool]
    let isText: [Bool]
    /// One past the last descendant of each node.
    let ends: [Int32]

    init(_ document: MarkupDocument) {
        self.document = document
        let all = [document.root] + document.descendants(of: document.root)
        nodes = all
        var tags = [HTMLTag](repeating: .other, count: all.count)
        var parents = [Int32](repeating: -1, count: all.count)
        var isElement = [Bool](repeating: false, count: all.count)
        var isText = [Bool](repeating: false, count: all.count)
        var ends = [Int32](repeating: Int32(all.count), count: all.count)
        let tagByName = document.elementNames.map(HTMLTag.init(name:))
        for (i, node) in all.enumerated() {
            switch document.kind(of: node) {
            case .element:
                isElement[i] = true
                let nameIndex = document.nameIndex(of: node)
                if nameIndex >= 0 { tags[i] = tagByName[nameIndex] }
            case .text:
                isText[i] = true
            default:
                break
            }
            if let parent = document.parent(of: node) { parents[i] = parent.index }
        }
        // A node's subtree ends where the next node that is not its descendant starts: walk in reverse order.
        // ends[i] = first index after i whose parent chain does not include i.
        var stack: [Int32] = []
        for i in 0..<all.count {
            let parent = parents[i]
            while let top = stack.last, top != parent {
                ends[Int(top)] = Int32(i)
                stack.removeLast()
            }
            stack.append(Int32(i))
        }
        for open in stack { ends[Int(open)] = Int32(all.count) }
        self.tags = tags
        self.parents = parents
        self.isElement = isElement
        self.isText = isText
        self.ends = ends
        attributeIDs = Attribute.allCases.map { document.attributeNameID($0.htmlName) ?? -1 }
    }

    var count: Int { nodes.count }

    /// Every attribute the extractor reads, looked up by number instead of by name. The parse keeps these and
    /// leaves every other attribute out (`readAttributes`), so an attribute read elsewhere must be added here.
    enum Attribute: Int, CaseIterable {
        case `class`, id, style, hidden, itemprop, role, ariaHidden, rel, property, name, content, httpEquiv, type,
            datetime, href, lang, xmlLang

        var htmlName: String {
            switch self {
            case .class: "class"
            case .id: "id"
            case .style: "style"
            case .hidden: "hidden"
            case .itemprop: "itemprop"
            case .role: "role"
            case .ariaHidden: "aria-hidden"
            case .rel: "rel"
            case .property: "property"
            case .name: "name"
            case .content: "content"
            case .httpEquiv: "http-equiv"
            case .type: "type"
            case .datetime: "datetime"
            case .href: "href"
            case .lang: "lang"
            case .xmlLang: "xml:lang"
            }
        }

        /// Element names the attribute is read on; empty for any element.
        var elements: [String] {
            switch self {
            case .href: ["link"]  // only <link rel=canonical>: link targets in the text are never read
            default: []
            }
        }
    }

    /// The attributes `Attribute` names, as a parse filter.
    static let readAttributes = HTMLAttributeFilter(
        keeping: Dictionary(uniqueKeysWithValues: Attribute.allCases.map { ($0.htmlName, $0.elements) }))

    /// Per `Attribute`: the document's number for the name, -1 when no element has it.
    let attributeIDs: [Int32]

    func attribute(_ attribute: Attribute, _ i: Int) -> String? {
        let id = attributeIDs[attribute.rawValue]
        return id < 0 ? nil : document.attribute(nameID: id, of: nodes[i])
    }

    func text(_ i: Int) -> String { document.text(of: nodes[i]) }

    func contains(_ ancestor: Int, _ i: Int) -> Bool {
        i >= ancestor && i < Int(ends[ancestor])
    }

    /// Text of the subtree with whitespace collapsed.
    func collapsedText(_ i: Int) -> String {
        TextNormalizer.normalize(document.textContent(of: nodes[i]))
    }

    /// Indices of elements with this tag, in document order.
    func indices(of tag: HTMLTag) -> [Int] {
        var out: [Int] = []
        for i in 0..<tags.count where tags[i] == tag { out.append(i) }
        return out
    }
}
