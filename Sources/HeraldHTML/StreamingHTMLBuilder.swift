internal import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// Builds a `MarkupDocument` straight from libxml2's HTML SAX events, without libxml2's own tree.
///
/// It gives the same document the tree walk (`DocumentBuilder`) gives, node for node (`StreamingHTMLBuilderTests`
/// checks this): libxml2's HTML parser does its implied-tag and auto-close repairs itself and reports them as
/// events. What libxml2's SAX2 tree builder adds is reproduced here: adjacent text merges, "ignorable" white space
/// is kept as text, text outside any element is dropped, valueless boolean attributes get their name as value,
/// and the parse stops at the tree builder's depth limit (256 open elements without XML_PARSE_HUGE).
/// Skipping libxml2's tree saves a malloc/free per node and per string, and a second walk. The builder lives in
/// memory of its own for the parse, which the callbacks reach through the parser context's `_private`.
struct StreamingHTMLBuilder {
    var document = MarkupDocument(isHTML: true)
    /// Open elements; 0 is the document node.
    private var open: [Int32] = [0]
    /// Per node: last child.
    private var lastChild: [Int32] = [-1]
    private var nameCache = PointerTable()
    private var nameIndex: [String: Int32] = [:]
    private var attributeNameCache = PointerTable()
    private var booleanAttributeIDs: Set<Int32> = []
    /// The text node that adjacent character events extend (its bytes are the last in the text store).
    private var pendingNode: Int32 = -1
    private var halted = false
    /// Budget, output and node limits (see `StreamingXMLBuilder`); `stopReason` says which one stopped the parse.
    private var meter = BudgetMeter(nil)
    private var outputLimit = MarkupDocument.maximumOutputBytes
    private(set) var stopReason: MarkupError?
    private var ctxt: htmlParserCtxtPtr?

    static let maximumDepth = 256

    /// - Parameter expectedBytes: the input's size, to reserve room for the document once instead of growing it.
    init(expectedBytes: Int = 0) {
        // On news pages (after the unread parts are cut) a node takes about 40 input bytes.
        document.reserve(nodes: expectedBytes / 40, textBytes: expectedBytes / 4, attributes: expectedBytes / 60)
        lastChild.reserveCapacity(expectedBytes / 40)
        document.beginDocument()
    }

    /// Parses `bytes` (decoded with `charset`) and returns the document.
    static func parse(
        _ bytes: UnsafeBufferPointer<CChar>, charset: String, options: Int32, budget: ParseBudget? = nil
    ) throws(MarkupError) -> MarkupDocument {
        let builder = UnsafeMutablePointer<StreamingHTMLBuilder>.allocate(capacity: 1)
        builder.initialize(to: StreamingHTMLBuilder(expectedBytes: bytes.count))
        builder.pointee.meter = BudgetMeter(budget)
        builder.pointee.outputLimit = MarkupDocument.outputLimit(forInputBytes: bytes.count)
        defer {
            builder.deinitialize(count: 1)
            builder.deallocate()
        }
        guard let ctxt = htmlNewParserCtxt() else { return builder.pointee.document }
        defer { htmlFreeParserCtxt(ctxt) }
        var handler = htmlSAXHandler()
        handler.initialized = 1
        handler.startElement = { ctx, name, attributes in
            guard let builder = StreamingHTMLBuilder.from(ctx), let name else { return }
            builder.pointee.startElement(name, attributes)
        }
        handler.endElement = { ctx, _ in
            StreamingHTMLBuilder.from(ctx)?.pointee.endElement()
        }
        handler.characters = { ctx, chars, length in
            guard let builder = StreamingHTMLBuilder.from(ctx), let chars, length > 0 else { return }
            builder.pointee.characters(UnsafeBufferPointer(start: chars, count: Int(length)))
        }
        // libxml2's HTML tree builder keeps "ignorable" white space as text (its handler is the characters one).
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = { ctx, chars, length in
            guard let builder = StreamingHTMLBuilder.from(ctx), let chars, length > 0 else { return }
            builder.pointee.characters(UnsafeBufferPointer(start: chars, count: Int(length)))
        }
        handler.comment = { ctx, value in
            guard let builder = StreamingHTMLBuilder.from(ctx), let value else { return }
            builder.pointee.comment(value)
        }
        ctxt.pointee.sax.pointee = handler
        ctxt.pointee._private = UnsafeMutableRawPointer(builder)
        builder.pointee.ctxt = ctxt
        if let doc = htmlCtxtReadMemory(ctxt, bytes.baseAddress, Int32(clamping: bytes.count), nil, charset, options) {
            xmlFreeDoc(doc)
        }
        if var reason = builder.pointee.stopReason {
            reason.nodesBuilt = builder.pointee.document.nodeCount
            throw reason
        }
        return builder.pointee.document
    }

    private static func from(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<StreamingHTMLBuilder>? {
        guard let ctx else { return nil }
        let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        return ctxt.pointee._private?.assumingMemoryBound(to: StreamingHTMLBuilder.self)
    }

    /// Whether the parse goes on: false once halted, or when the budget, the output limit or the node limit is hit
    /// (then the parser is stopped).
    @inline(__always)
    private mutating func proceed() -> Bool {
        if halted { return false }
        var reason: MarkupError?
        if meter.tick(), let exhausted = meter.exhausted {
            reason = ParseBudget.error(for: exhausted)
        } else if document.outputBytes > outputLimit {
            reason = MarkupError(.tooLarge, "the page expands past \(outputLimit) bytes of text and attributes")
        } else if document.records.count >= MarkupDocument.maximumNodes {
            reason = MarkupError(.tooLarge, "the page has more than \(MarkupDocument.maximumNodes) nodes")
        }
        guard let reason else { return true }
        halted = true
        stopReason = reason
        if let ctxt { xmlStopParser(ctxt) }
        return false
    }

    // MARK: - Events

    mutating func startElement(
        _ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        guard proceed() else { return }
        if open.count - 1 > Self.maximumDepth {
            // libxml2's tree builder refuses the element and halts the parser.
            halted = true
            return
        }
        let parent = open[open.count - 1]
        let nameID = internName(name)
        let index = append(kind: .element, parent: parent, nameID: nameID, textID: -1)
        if let attributes {
            var k = 0
            while let attributeName = attributes[k] {
                if k >= 2 * MarkupDocument.maximumAttributesPerElement {
                    while attributes[k] != nil {
                        document.droppedAttributes += 1
                        k += 2
                    }
                    break
                }
                let nameID = attributeNameID(attributeName)
                if let raw = attributes[k + 1] {
                    let length = strlen(UnsafeRawPointer(raw).assumingMemoryBound(to: CChar.self))
                    document.appendAttribute(
                        nameID: nameID, namespaceID: -1, value: UnsafeBufferPointer(start: raw, count: length))
                } else {
                    // libxml2 gives boolean HTML attributes without a value their own name as value.
                    var value = booleanAttributeIDs.contains(nameID) ? document.attributeNames[Int(nameID)] : ""
                    value.withUTF8 { document.appendAttribute(nameID: nameID, namespaceID: -1, value: $0) }
                }
                k += 2
            }
        }
        open.append(index)
    }

    mutating func endElement() {
        if halted { return }
        if open.count > 1 { open.removeLast() }
    }

    mutating func characters(_ chars: UnsafeBufferPointer<xmlChar>) {
        guard proceed() else { return }
        let parent = open[open.count - 1]
        if pendingNode >= 0 && lastChild[Int(parent)] == pendingNode {
            document.extendText(document.records[Int(pendingNode)].textID, with: chars)
            return
        }
        if parent == 0 { return }  // libxml2's tree builder drops text outside any element
        let textID = document.addText(chars)
        pendingNode = append(kind: .text, parent: parent, nameID: -1, textID: textID)
    }

    mutating func comment(_ value: UnsafePointer<xmlChar>) {
        guard proceed() else { return }
        let parent = open[open.count - 1]
        let length = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
        let textID = document.addText(UnsafeBufferPointer(start: value, count: length))
        append(kind: .comment, parent: parent, nameID: -1, textID: textID)
    }

    // MARK: - Helpers

    @discardableResult
    private mutating func append(kind: MarkupDocument.Kind, parent: Int32, nameID: Int32, textID: Int32) -> Int32 {
        let index = document.append(kind: kind, parent: parent, nameID: nameID, namespaceID: -1, textID: textID)
        lastChild.append(-1)
        let previous = lastChild[Int(parent)]
        if previous < 0 {
            document.records[Int(parent)].firstChild = index
        } else {
            document.records[Int(previous)].nextSibling = index
        }
        lastChild[Int(parent)] = index
        return index
    }

    private mutating func internName(_ pointer: UnsafePointer<xmlChar>) -> Int32 {
        let key = UnsafeRawPointer(pointer)
        if let id = nameCache.value(for: key) { return id }
        let name = asciiLowercased(string(pointer))
        let id: Int32
        if let existing = nameIndex[name] {
            id = existing
        } else {
            id = Int32(document.names.count)
            document.names.append(name)
            nameIndex[name] = id
        }
        nameCache.set(id, for: key)
        return id
    }

    private mutating func attributeNameID(_ pointer: UnsafePointer<xmlChar>) -> Int32 {
        let key = UnsafeRawPointer(pointer)
        if let id = attributeNameCache.value(for: key) { return id }
        let name = asciiLowercased(string(pointer))
        let id = document.internAttributeName(name)
        if Self.booleanAttributes.contains(name) { booleanAttributeIDs.insert(id) }
        attributeNameCache.set(id, for: key)
        return id
    }

    private func string(_ pointer: UnsafePointer<xmlChar>) -> String {
        let length = strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// libxml2's `htmlIsBooleanAttr` list.
    private static let booleanAttributes: Set<String> = [
        "checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref", "noresize", "noshade",
        "nowrap", "readonly", "selected",
    ]
}
