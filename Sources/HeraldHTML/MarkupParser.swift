internal import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// A document could not be parsed at all, or its parse was stopped.
public struct MarkupError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: Sendable, Equatable {
        /// Nothing usable could be read.
        case malformed
        /// The parse ran past its `ParseBudget` deadline.
        case timeBudgetExceeded
        /// The parse's `ParseBudget` was cancelled.
        case cancelled
        /// The document would hold more than the output limit (`MarkupDocument.outputLimit(forInputBytes:)`) or
        /// `MarkupDocument.maximumNodes`.
        case tooLarge
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for a person.
    public var message: String
    /// For a parse stopped part-way (budget, limits): the nodes built before it stopped.
    public internal(set) var nodesBuilt = 0
    /// Same as `message`.
    public var description: String { message }

    /// An error of `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A `.malformed` error.
    public init(message: String) {
        self.init(.malformed, message)
    }
}

private let libxml2Ready: Bool = {
    xmlInitParser()
    herald_xml_silence_errors()
    return true
}()

/// Parses HTML and XML with libxml2 into a `MarkupDocument`.
public enum MarkupParser {
    /// Parses HTML with libxml2's recovering HTML parser (no network).
    ///
    /// - Parameters:
    ///   - bytes: the page as received.
    ///   - encoding: an IANA charset name ("utf-8", "windows-1252", "shift_jis" …), nil for UTF-8.
    ///   - omitting: parts of the page the caller never reads, left out of the document (see `HTMLOmissions`).
    ///   - attributes: when given, the only attributes the document keeps.
    /// - Returns: the document; strings in it are UTF-8. Garbage input gives a small document.
    public static func parseHTML(
        _ bytes: [UInt8], encoding: String?, omitting: HTMLOmissions = [], attributes: HTMLAttributeFilter? = nil
    ) -> MarkupDocument {
        do {
            return try parseHTML(bytes, encoding: encoding, omitting: omitting, attributes: attributes, budget: nil)
        } catch {
            // Only the output and node limits can stop a parse without a budget: keep an empty document.
            var result = MarkupDocument(isHTML: true)
            result.beginDocument()
            return result
        }
    }

    /// `parseHTML` within a budget.
    ///
    /// - Throws: `MarkupError` with code `.timeBudgetExceeded` or `.cancelled` when the budget runs out, `.tooLarge`
    ///   when the page would pass the output or node limit.
    public static func parseHTML(
        _ bytes: [UInt8], encoding: String?, omitting: HTMLOmissions = [], attributes: HTMLAttributeFilter? = nil,
        budget: ParseBudget?
    ) throws(MarkupError) -> MarkupDocument {
        _ = libxml2Ready
        if let exhausted = budget?.exhaustion() { throw ParseBudget.error(for: exhausted) }
        let options = htmlOptions
        var charset = encoding ?? "utf-8"
        if !supportsEncoding(charset) { charset = "utf-8" }
        if !omitting.isEmpty || attributes != nil,
            let shorter = bytes.withUnsafeBufferPointer({
                UnreadContent.omit(omitting, attributes: attributes, from: $0, charset: charset)
            })
        {
            return try parseHTML(shorter, encoding: charset, budget: budget)
        }
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(MarkupError) -> MarkupDocument in
                guard let base = buffer.baseAddress, buffer.count > 0 else {
                    var result = MarkupDocument(isHTML: true)
                    result.beginDocument()
                    return result
                }
                return try base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    chars throws(MarkupError) in
                    try StreamingHTMLBuilder.parse(
                        UnsafeBufferPointer(start: chars, count: buffer.count), charset: charset, options: options,
                        budget: budget)
                }
            }
        }
        return try result.get()
    }

    /// `parseHTML` by way of libxml2's tree (the builder `parseHTML` used before it streamed SAX events); kept to
    /// check that both give the same document.
    static func parseHTMLViaTree(_ bytes: [UInt8], encoding: String?) -> MarkupDocument {
        _ = libxml2Ready
        let options = htmlOptions
        var charset = encoding ?? "utf-8"
        if !supportsEncoding(charset) { charset = "utf-8" }
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                htmlReadMemory(chars, Int32(clamping: buffer.count), nil, charset, options)
            }
        }
        var result = MarkupDocument(isHTML: true)
        guard let doc else {
            result.beginDocument()
            return result
        }
        defer { xmlFreeDoc(doc) }
        DocumentBuilder.build(from: doc, into: &result)
        return result
    }

    static let htmlOptions = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue
    )

    /// Parses XML safely: no DTD loading, no network, no external entities, no entity substitution at all.
    ///
    /// Recovery is on: a document with errors still yields what could be read, with the errors in
    /// `MarkupDocument.errors`. Only the five predefined entities and character references are decoded; any other
    /// entity reference is dropped, whatever the internal subset declares (see `StreamingXMLBuilder`).
    /// - Parameter budget: stops the parse when it runs out (nil: no limit).
    /// - Throws: `MarkupError`: `.malformed` when no root element can be recovered, `.timeBudgetExceeded` or
    ///   `.cancelled` when the budget ran out, `.tooLarge` past the output or node limit.
    public static func parseXML(_ bytes: [UInt8], budget: ParseBudget? = nil) throws(MarkupError) -> MarkupDocument {
        _ = libxml2Ready
        guard !bytes.isEmpty else { throw MarkupError(message: "the document is empty") }
        if let exhausted = budget?.exhaustion() { throw ParseBudget.error(for: exhausted) }
        let options = Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
                | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
        )
        let result = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                Result { () throws(MarkupError) in
                    try StreamingXMLBuilder.parse(
                        UnsafeBufferPointer(start: chars, count: buffer.count), options: options, budget: budget)
                }
            }
        }
        let document = try result.get()
        guard document.documentElement != nil else {
            throw MarkupError(message: document.errors.first.map { "not well-formed XML (\($0))" } ?? "no root element")
        }
        return document
    }

    /// The code point of an HTML 4 named entity ("eacute" → 0xE9) from the table libxml2's HTML parser decodes
    /// with; nil for names it does not know. A table lookup: no parse.
    public static func htmlEntityCodePoint(named name: String) -> UInt32? {
        guard let entry = htmlEntityLookup(name) else { return nil }
        return UInt32(entry.pointee.value)
    }

    /// Whether libxml2 (through iconv) can decode this charset name.
    public static func supportsEncoding(_ name: String) -> Bool {
        _ = libxml2Ready
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }
}

extension MarkupDocument {
    mutating func beginDocument() {
        append(kind: .document, parent: -1, nameID: -1, namespaceID: -1, textID: -1)
    }

    @discardableResult
    mutating func append(kind: Kind, parent: Int32, nameID: Int32, namespaceID: Int32, textID: Int32) -> Int32 {
        let index = Int32(records.count)
        records.append(
            NodeRecord(
                kind: kind, nameID: nameID, namespaceID: namespaceID, parent: parent, textID: textID,
                attributeStart: Int32(attributeStore.count)))
        return index
    }
}

/// Walks a libxml2 tree once and fills the flat arrays of a `MarkupDocument`.
private struct DocumentBuilder {
    var nameCache: [UnsafeRawPointer: Int32] = [:]
    var nameIndex: [String: Int32] = [:]
    var namespaceCache: [UnsafeRawPointer: Int32] = [:]
    var lastChild: [Int32] = []

    static func build(from doc: xmlDocPtr, into result: inout MarkupDocument) {
        var builder = DocumentBuilder()
        result.beginDocument()
        builder.lastChild.append(-1)
        // Iterative pre-order walk: deep hostile nesting must not overflow the stack.
        var stack: [(node: xmlNodePtr?, parent: Int32)] = [(doc.pointee.children, 0)]
        while var entry = stack.popLast() {
            while let node = entry.node {
                let created = builder.visit(node, parent: entry.parent, into: &result)
                entry.node = node.pointee.next
                if let created, node.pointee.type == XML_ELEMENT_NODE, let child = node.pointee.children {
                    stack.append(entry)
                    entry = (child, created)
                }
            }
        }
    }

    mutating func link(_ index: Int32, parent: Int32, into result: inout MarkupDocument) {
        while lastChild.count <= Int(index) { lastChild.append(-1) }
        let previous = lastChild[Int(parent)]
        if previous < 0 {
            result.records[Int(parent)].firstChild = index
        } else {
            result.records[Int(previous)].nextSibling = index
        }
        lastChild[Int(parent)] = index
    }

    mutating func appendText(_ text: String, kind: MarkupDocument.Kind, parent: Int32, into result: inout MarkupDocument)
        -> Int32
    {
        // Adjacent text nodes are merged so callers see one run of text.
        if kind == .text, parent >= 0, Int(parent) < lastChild.count {
            let previous = lastChild[Int(parent)]
            if previous >= 0 && result.records[Int(previous)].kind == .text {
                var text = text
                text.withUTF8 { result.extendText(result.records[Int(previous)].textID, with: $0) }
                return previous
            }
        }
        var text = text
        let textID = text.withUTF8 { result.addText($0) }
        let index = result.append(kind: kind, parent: parent, nameID: -1, namespaceID: -1, textID: textID)
        link(index, parent: parent, into: &result)
        return index
    }

    /// Adds `node` to the result; returns its index when it is an element whose children should follow.
    mutating func visit(_ node: xmlNodePtr, parent: Int32, into result: inout MarkupDocument) -> Int32? {
        switch node.pointee.type {
        case XML_ELEMENT_NODE:
            let nameID = internName(node.pointee.name, isHTML: result.isHTML, into: &result)
            let namespaceID = internNamespace(node.pointee.ns, into: &result)
            let index = result.append(
                kind: .element, parent: parent, nameID: nameID, namespaceID: namespaceID, textID: -1)
            link(index, parent: parent, into: &result)
            var attribute = node.pointee.properties
            while let a = attribute {
                let name = string(a.pointee.name)
                let nameID = result.internAttributeName(result.isHTML ? asciiLowercased(name) : name)
                let namespaceID = internNamespace(a.pointee.ns, into: &result)
                var value = attributeValue(a)
                value.withUTF8 { result.appendAttribute(nameID: nameID, namespaceID: namespaceID, value: $0) }
                attribute = a.pointee.next
            }
            return index
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content {
                _ = appendText(string(content), kind: .text, parent: parent, into: &result)
            }
            return nil
        case XML_COMMENT_NODE:
            if let content = node.pointee.content {
                _ = appendText(string(content), kind: .comment, parent: parent, into: &result)
            }
            return nil
        case XML_ENTITY_REF_NODE:
            // Entities are never substituted by the parser. An internal entity whose replacement text is
            // plain text is inlined; anything that would nest references or markup is dropped, so entity
            // bombs cannot expand.
            if let entity = UnsafeMutableRawPointer(node.pointee.children)?.assumingMemoryBound(to: xmlEntity.self),
                entity.pointee.etype == XML_INTERNAL_GENERAL_ENTITY, let content = entity.pointee.content
            {
                let text = string(content)
                if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C }) && text.utf8.count <= 4096 {
                    _ = appendText(text, kind: .text, parent: parent, into: &result)
                }
            }
            return nil
        default:
            return nil
        }
    }

    func attributeValue(_ attribute: xmlAttrPtr) -> String {
        guard let first = attribute.pointee.children else { return "" }
        if first.pointee.next == nil, first.pointee.type == XML_TEXT_NODE, let content = first.pointee.content {
            return string(content)
        }
        var value = ""
        var child: xmlNodePtr? = first
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content { value += string(content) }
            child = c.pointee.next
        }
        return value
    }

    mutating func internName(_ pointer: UnsafePointer<xmlChar>?, isHTML: Bool, into result: inout MarkupDocument)
        -> Int32
    {
        guard let pointer else { return -1 }
        let key = UnsafeRawPointer(pointer)
        if let id = nameCache[key] { return id }
        var name = string(pointer)
        if isHTML { name = asciiLowercased(name) }
        let id: Int32
        if let existing = nameIndex[name] {
            id = existing
        } else {
            id = Int32(result.names.count)
            result.names.append(name)
            nameIndex[name] = id
        }
        nameCache[key] = id
        return id
    }

    mutating func internNamespace(_ ns: xmlNsPtr?, into result: inout MarkupDocument) -> Int32 {
        guard let ns, let href = ns.pointee.href else { return -1 }
        let key = UnsafeRawPointer(ns)
        if let id = namespaceCache[key] { return id }
        let id = Int32(result.namespaces.count)
        result.namespaces.append((prefix: ns.pointee.prefix.map(string), uri: string(href)))
        namespaceCache[key] = id
        return id
    }
}

private func string(_ pointer: UnsafePointer<xmlChar>) -> String {
    let length = strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
}
