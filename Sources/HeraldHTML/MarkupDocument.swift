/// A parsed HTML or XML document held as flat arrays, one entry per node.
///
/// The document is immutable and `Sendable`; nodes are small indices into it. It carries no libxml2
/// types, so modules above this one never see the C library.
public struct MarkupDocument: Sendable {
    /// A node of the document: an index into its arrays.
    public struct Node: Hashable, Sendable {
        /// Position of the node in document order.
        public let index: Int32
        init(_ index: Int32) { self.index = index }
    }

    /// What a node is.
    public enum Kind: UInt8, Sendable {
        case document, element, text, comment
    }

    /// One attribute of an element.
    public struct Attribute: Sendable, Equatable {
        /// Local name; lowercased in HTML.
        public let name: String
        /// Namespace prefix (XML only).
        public let prefix: String?
        /// Namespace URI (XML only).
        public let namespace: String?
        /// Decoded value.
        public let value: String
    }

    /// One record per node, in document order (one array, so adding a node is one append).
    var records: [NodeRecord] = []
    var names: [String] = []
    var namespaces: [(prefix: String?, uri: String)] = []
    /// Text and comment contents: UTF-8 bytes of every text back to back, and each text's range in them.
    var textBytes: [UInt8] = []
    var textStarts: [Int] = []
    var textCounts: [Int] = []
    /// Attributes of every element back to back; names are interned, values are UTF-8 bytes in `attributeBytes`.
    /// Strings are made only for the values a caller asks for.
    var attributeStore: [StoredAttribute] = []
    var attributeNames: [String] = []
    var attributeNameIndex: [String: Int32] = [:]
    var attributeBytes: [UInt8] = []

    struct NodeRecord {
        var kind: Kind
        var nameID: Int32
        /// Index into `namespaces`, -1 for none.
        var namespaceID: Int32
        var parent: Int32
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
        var textID: Int32
        var attributeStart: Int32
        var attributeCount: Int32 = 0
    }

    struct StoredAttribute {
        var nameID: Int32
        /// Index into `namespaces`, -1 for none.
        var namespaceID: Int32
        var valueStart: Int
        var valueCount: Int
    }
    var parseErrors: [String] = []
    /// Attributes the parser left out because an element had more than `maximumAttributesPerElement`.
    var droppedAttributes = 0
    var isHTML: Bool

    /// The most nodes a document may hold. Node numbers are `Int32`; builders stop (with
    /// `MarkupError.Code.tooLarge`) before this, so no index can wrap.
    public static let maximumNodes = 1 << 27
    /// The most attributes one element keeps; later ones are dropped and counted in `droppedAttributeCount`.
    public static let maximumAttributesPerElement = 1000
    /// Bytes of text and attribute values a document may hold, whatever its input: a document never expands to
    /// more than this (builders also cap it relative to the input size, see `outputLimit(forInputBytes:)`).
    public static let maximumOutputBytes = 1 << 30
    /// What one attribute counts toward the output limit besides its value (so empty defaults cannot flood it).
    static let attributeOverhead = 8

    /// The output budget for a document parsed from `count` input bytes: text and attribute values never need much
    /// more than the input (entities are never expanded), so four times the input plus 1 MiB is generous.
    public static func outputLimit(forInputBytes count: Int) -> Int {
        let (scaled, overflow) = count.multipliedReportingOverflow(by: 4)
        if overflow { return maximumOutputBytes }
        return min(maximumOutputBytes, scaled &+ (1 << 20))
    }

    /// The size the output limit applies to: bytes of text and attribute values, plus `attributeOverhead` per
    /// attribute.
    public var outputBytes: Int { textBytes.count + attributeBytes.count + attributeStore.count * Self.attributeOverhead }

    /// Attributes dropped because an element had more than `maximumAttributesPerElement`.
    public var droppedAttributeCount: Int { droppedAttributes }

    init(isHTML: Bool) {
        self.isHTML = isHTML
    }

    /// The document node.
    public var root: Node { Node(0) }

    /// The first element child of the document node, if any.
    public var documentElement: Node? {
        elementChildren(of: root).first
    }

    /// Number of nodes, the document node included.
    public var nodeCount: Int { records.count }

    /// Parser errors (at most 20); empty when the input was well-formed.
    public var errors: [String] { parseErrors }

    /// The kind of `node`.
    public func kind(of node: Node) -> Kind { records[Int(node.index)].kind }

    /// Local name of an element (lowercase in HTML); "" for other nodes.
    public func name(of node: Node) -> String {
        let id = records[Int(node.index)].nameID
        return id < 0 ? "" : names[Int(id)]
    }

    /// The distinct element names of the document (lowercase in HTML); `nameIndex(of:)` points into it, so callers
    /// can classify names once per document instead of once per element.
    public var elementNames: [String] { names }

    /// Position of the element's name in `elementNames`; -1 for nodes that are not elements.
    public func nameIndex(of node: Node) -> Int { Int(records[Int(node.index)].nameID) }

    /// Namespace prefix of an element (XML only).
    public func prefix(of node: Node) -> String? {
        let id = records[Int(node.index)].namespaceID
        return id < 0 ? nil : namespaces[Int(id)].prefix
    }

    /// Namespace URI of an element (XML only).
    public func namespace(of node: Node) -> String? {
        let id = records[Int(node.index)].namespaceID
        return id < 0 ? nil : namespaces[Int(id)].uri
    }

    /// The attributes of an element, in document order; empty for other nodes.
    public func attributes(of node: Node) -> [Attribute] {
        let start = Int(records[Int(node.index)].attributeStart)
        let count = Int(records[Int(node.index)].attributeCount)
        return attributeStore[start..<(start + count)].map { stored in
            let namespace = stored.namespaceID < 0 ? nil : namespaces[Int(stored.namespaceID)]
            return Attribute(
                name: attributeNames[Int(stored.nameID)], prefix: namespace?.prefix, namespace: namespace?.uri,
                value: value(of: stored))
        }
    }

    /// The value of the first attribute with this local name (case-insensitive in HTML).
    public func attribute(_ name: String, of node: Node) -> String? {
        let count = Int(records[Int(node.index)].attributeCount)
        guard count > 0 else { return nil }
        let start = Int(records[Int(node.index)].attributeStart)
        let wanted = isHTML ? asciiLowercased(name) : name
        for k in start..<(start + count) where attributeNames[Int(attributeStore[k].nameID)] == wanted {
            return value(of: attributeStore[k])
        }
        return nil
    }

    /// A number standing for an attribute name in this document (lowercase in HTML), for `attribute(nameID:of:)`;
    /// nil when no element has the attribute.
    public func attributeNameID(_ name: String) -> Int32? {
        attributeNameIndex[isHTML ? asciiLowercased(name) : name]
    }

    /// `attribute(_:of:)` by a number from `attributeNameID`: no string comparisons.
    public func attribute(nameID: Int32, of node: Node) -> String? {
        let count = Int(records[Int(node.index)].attributeCount)
        guard count > 0 else { return nil }
        let start = Int(records[Int(node.index)].attributeStart)
        for k in start..<(start + count) where attributeStore[k].nameID == nameID {
            return value(of: attributeStore[k])
        }
        return nil
    }

    /// The value of the attribute with this namespace URI and local name.
    public func attribute(_ name: String, namespace: String, of node: Node) -> String? {
        guard let id = attributeNameIndex[name] else { return nil }
        let start = Int(records[Int(node.index)].attributeStart)
        for stored in attributeStore[start..<(start + Int(records[Int(node.index)].attributeCount))]
        where stored.nameID == id && stored.namespaceID >= 0 && namespaces[Int(stored.namespaceID)].uri == namespace {
            return value(of: stored)
        }
        return nil
    }

    private func value(of stored: StoredAttribute) -> String {
        attributeBytes.withUnsafeBufferPointer { all in
            String(
                decoding: UnsafeBufferPointer(
                    rebasing: all[stored.valueStart..<(stored.valueStart + stored.valueCount)]),
                as: UTF8.self)
        }
    }

    /// Reserves room for a document of about this size.
    mutating func reserve(nodes: Int, textBytes bytes: Int, attributes: Int) {
        records.reserveCapacity(nodes)
        textStarts.reserveCapacity(nodes / 2)
        textCounts.reserveCapacity(nodes / 2)
        textBytes.reserveCapacity(bytes)
        attributeStore.reserveCapacity(attributes)
        attributeBytes.reserveCapacity(attributes * 16)
    }

    /// The ID of an attribute name (lowercase for HTML), for `appendAttribute`.
    mutating func internAttributeName(_ name: String) -> Int32 {
        if let id = attributeNameIndex[name] { return id }
        let id = Int32(attributeNames.count)
        attributeNames.append(name)
        attributeNameIndex[name] = id
        return id
    }

    /// Adds an attribute to the element appended last.
    mutating func appendAttribute(nameID: Int32, namespaceID: Int32, value: UnsafeBufferPointer<UInt8>) {
        attributeStore.append(
            StoredAttribute(
                nameID: nameID, namespaceID: namespaceID, valueStart: attributeBytes.count,
                valueCount: value.count))
        attributeBytes.append(contentsOf: value)
        records[records.count - 1].attributeCount += 1
    }

    /// Content of a text or comment node; "" for elements and the document.
    public func text(of node: Node) -> String {
        let id = records[Int(node.index)].textID
        if id < 0 { return "" }
        return withTextBytes(Int(id)) { String(decoding: $0, as: UTF8.self) }
    }

    /// The parent of `node`, nil for the document node.
    public func parent(of node: Node) -> Node? {
        let p = records[Int(node.index)].parent
        return p < 0 ? nil : Node(p)
    }

    /// The first child of `node`.
    public func firstChild(of node: Node) -> Node? {
        let c = records[Int(node.index)].firstChild
        return c < 0 ? nil : Node(c)
    }

    /// The next sibling of `node`.
    public func nextSibling(of node: Node) -> Node? {
        let s = records[Int(node.index)].nextSibling
        return s < 0 ? nil : Node(s)
    }

    /// All children of `node` in order.
    public func children(of node: Node) -> [Node] {
        var result: [Node] = []
        var c = records[Int(node.index)].firstChild
        while c >= 0 {
            result.append(Node(c))
            c = records[Int(c)].nextSibling
        }
        return result
    }

    /// Element children of `node` in order.
    public func elementChildren(of node: Node) -> [Node] {
        var result: [Node] = []
        var c = records[Int(node.index)].firstChild
        while c >= 0 {
            if records[Int(c)].kind == .element { result.append(Node(c)) }
            c = records[Int(c)].nextSibling
        }
        return result
    }

    /// Index one past the last descendant of `node`: descendants occupy `node.index + 1 ..< end`.
    public func subtreeEnd(of node: Node) -> Int32 {
        var n = node.index
        while n >= 0 {
            let s = records[Int(n)].nextSibling
            if s >= 0 { return s }
            n = records[Int(n)].parent
        }
        return Int32(records.count)
    }

    /// All descendants of `node` in document order, `node` excluded.
    public func descendants(of node: Node) -> [Node] {
        let end = subtreeEnd(of: node)
        var result: [Node] = []
        result.reserveCapacity(Int(end - node.index))
        var i = node.index + 1
        while i < end {
            result.append(Node(i))
            i += 1
        }
        return result
    }

    /// Descendant elements of `node` with this local name (lowercase for HTML), in document order.
    public func elements(named name: String, under node: Node) -> [Node] {
        let wanted = isHTML ? asciiLowercased(name) : name
        guard let id = names.firstIndex(of: wanted) else { return [] }
        let end = subtreeEnd(of: node)
        var result: [Node] = []
        var i = node.index + 1
        while i < end {
            if records[Int(i)].nameID == Int32(id) { result.append(Node(i)) }
            i += 1
        }
        return result
    }

    /// Concatenated text of every descendant text node.
    /// Calls `body` with the UTF-8 bytes of a text or comment node (empty for other nodes), without making a
    /// `String`.
    public func withUTF8Text<R>(of node: Node, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let id = records[Int(node.index)].textID
        if id < 0 { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try withTextBytes(Int(id), body)
    }

    func withTextBytes<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = textStarts[id]
        let count = textCounts[id]
        return try textBytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[start..<(start + count)]))
        }
    }

    /// Stores a new text's bytes and returns its ID.
    mutating func addText(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let id = Int32(textStarts.count)
        textStarts.append(textBytes.count)
        textCounts.append(bytes.count)
        textBytes.append(contentsOf: bytes)
        return id
    }

    /// Appends bytes to text `id` (moving it to the end of the store first if another text follows it).
    mutating func extendText(_ id: Int32, with bytes: UnsafeBufferPointer<UInt8>) {
        let i = Int(id)
        let start = textStarts[i]
        let count = textCounts[i]
        if start + count != textBytes.count {
            let existing = Array(textBytes[start..<(start + count)])
            textStarts[i] = textBytes.count
            textBytes.append(contentsOf: existing)
        }
        textBytes.append(contentsOf: bytes)
        textCounts[i] += bytes.count
    }

    public func textContent(of node: Node) -> String {
        if records[Int(node.index)].kind == .text { return text(of: node) }
        let end = subtreeEnd(of: node)
        var bytes: [UInt8] = []
        var i = node.index + 1
        while i < end {
            if records[Int(i)].kind == .text {
                withTextBytes(Int(records[Int(i)].textID)) { bytes.append(contentsOf: $0) }
            }
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The children of `node` serialised back to markup, text and attribute values escaped.
    public func innerMarkup(of node: Node) -> String {
        var out = ""
        for child in children(of: node) {
            appendMarkup(of: child, to: &out)
        }
        return out
    }

    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ]

    private func appendMarkup(of node: Node, to out: inout String) {
        switch kind(of: node) {
        case .text:
            out += escapeMarkup(text(of: node), quotes: false)
        case .comment, .document:
            break
        case .element:
            let tag = name(of: node)
            out += "<" + tag
            for attribute in attributes(of: node) {
                let qualified = attribute.prefix.map { $0 + ":" + attribute.name } ?? attribute.name
                out += " " + qualified + "=\"" + escapeMarkup(attribute.value, quotes: true) + "\""
            }
            let children = self.children(of: node)
            if children.isEmpty && (!isHTML || Self.voidElements.contains(tag)) {
                out += isHTML ? ">" : "/>"
                return
            }
            out += ">"
            for child in children { appendMarkup(of: child, to: &out) }
            out += "</" + tag + ">"
        }
    }
}

func asciiLowercased(_ s: String) -> String {
    var needs = false
    for b in s.utf8 where b >= 0x41 && b <= 0x5A {
        needs = true
        break
    }
    guard needs else { return s }
    return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
}

/// `s` with `&`, `<` and `>` written as entities (and `"` too when `quotes`, for a double-quoted attribute value).
public func escapeMarkup(_ s: String, quotes: Bool) -> String {
    var needs = false
    for b in s.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || (quotes && b == 0x22) {
        needs = true
        break
    }
    guard needs else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count + 16)
    for ch in s.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"" where quotes: out += "&quot;"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out
}
