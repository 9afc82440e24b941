internal import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// Builds a `MarkupDocument` from libxml2's XML SAX2 events, without libxml2's tree and without entities.
///
/// Safety comes from how entities are looked up: `getEntity` returns only the five predefined entities, and the
/// parser context's `userData` is the builder, not the context, which turns off libxml2's fallback lookup in the
/// entity table it keeps "for expat compatibility" (it still records internal-subset entities in a stand-in
/// document, but nothing ever reads them). So every other entity reference is dropped and nothing is ever
/// expanded, however the DOCTYPE is written. The builder also stops the parse (`xmlStopParser`) when the output
/// passes `MarkupDocument.outputLimit(forInputBytes:)` (ATTLIST defaults could otherwise multiply attributes),
/// when the node count reaches `MarkupDocument.maximumNodes`, or when the `ParseBudget` runs out; and it keeps at
/// most `MarkupDocument.maximumAttributesPerElement` attributes per element.
///
/// libxml2 2.9 drops predefined entity and character references once a document has had a well-formedness
/// error (it checks `wellFormed` before delivering them); the builder notes each error and sets the flag back,
/// so references after an error still reach the text.
struct StreamingXMLBuilder {
    var document = MarkupDocument(isHTML: false)
    /// Open elements; 0 is the document node.
    private var open: [Int32] = [0]
    /// Per node: last child.
    private var lastChild: [Int32] = [-1]
    private var nameCache = PointerTable()
    private var nameIndex: [String: Int32] = [:]
    private var attributeNameCache = PointerTable()
    private var namespaceIDs: [NamespaceKey: Int32] = [:]
    /// The text node that adjacent character events extend (its bytes are the last in the text store).
    private var pendingNode: Int32 = -1
    private var meter: BudgetMeter
    private let outputLimit: Int
    private(set) var stopReason: MarkupError?
    private(set) var errorCount = 0
    var ctxt: xmlParserCtxtPtr?

    private struct NamespaceKey: Hashable {
        var prefix: UInt
        var uri: UInt
    }

    init(expectedBytes: Int, budget: ParseBudget?) {
        meter = BudgetMeter(budget)
        outputLimit = MarkupDocument.outputLimit(forInputBytes: expectedBytes)
        // Feeds average about 60 input bytes per node.
        document.reserve(nodes: expectedBytes / 60, textBytes: expectedBytes / 2, attributes: expectedBytes / 200)
        lastChild.reserveCapacity(expectedBytes / 60)
        document.beginDocument()
    }

    /// Parses `bytes` and returns the builder's result: the document, the parse errors, and why it stopped early.
    static func parse(
        _ bytes: UnsafeBufferPointer<CChar>, options: Int32, budget: ParseBudget?
    ) throws(MarkupError) -> MarkupDocument {
        guard let base = bytes.baseAddress, let ctxt = xmlCreateMemoryParserCtxt(base, Int32(clamping: bytes.count))
        else { throw MarkupError(message: "libxml2 could not allocate a parser") }
        defer {
            // libxml2 makes a stand-in document to hold internal-subset declarations in SAX mode.
            if let doc = ctxt.pointee.myDoc {
                xmlFreeDoc(doc)
                ctxt.pointee.myDoc = nil
            }
            xmlFreeParserCtxt(ctxt)
        }
        let builder = UnsafeMutablePointer<StreamingXMLBuilder>.allocate(capacity: 1)
        builder.initialize(to: StreamingXMLBuilder(expectedBytes: bytes.count, budget: budget))
        defer {
            builder.deinitialize(count: 1)
            builder.deallocate()
        }
        builder.pointee.ctxt = ctxt
        var handler = xmlSAXHandler()
        handler.initialized = 0xDEED_BEAF  // XML_SAX2_MAGIC: namespace-aware events
        handler.startElementNs = { ctx, localname, prefix, uri, _, _, attributeCount, _, attributes in
            guard let builder = StreamingXMLBuilder.from(ctx), let localname else { return }
            builder.pointee.startElement(localname, prefix, uri, Int(attributeCount), attributes)
        }
        handler.endElementNs = { ctx, _, _, _ in
            StreamingXMLBuilder.from(ctx)?.pointee.endElement()
        }
        handler.characters = { ctx, chars, length in
            guard let builder = StreamingXMLBuilder.from(ctx), let chars, length > 0 else { return }
            builder.pointee.characters(UnsafeBufferPointer(start: chars, count: Int(length)))
        }
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = handler.characters
        handler.comment = { ctx, value in
            guard let builder = StreamingXMLBuilder.from(ctx), let value else { return }
            builder.pointee.comment(value)
        }
        handler.getEntity = { _, name in
            guard let name else { return nil }
            return xmlGetPredefinedEntity(name)
        }
        ctxt.pointee.sax.pointee = handler
        // Options after the handler: they adjust it (NOCDATA clears cdataBlock, NOERROR the error printers).
        _ = xmlCtxtUseOptions(ctxt, options)
        ctxt.pointee.userData = UnsafeMutableRawPointer(builder)
        _ = xmlParseDocument(ctxt)
        builder.pointee.noteError()
        if var reason = builder.pointee.stopReason {
            reason.nodesBuilt = builder.pointee.document.nodeCount
            throw reason
        }
        var document = builder.pointee.document
        if builder.pointee.errorCount > 0 {
            let last = ctxt.pointee.lastError
            var message = last.message.map { String(cString: $0) } ?? "not well-formed"
            while message.last == "\n" || message.last == " " { message.removeLast() }
            document.parseErrors = ["line \(last.line): \(message)"]
        }
        return document
    }

    /// The builder from a callback's context, which is the builder itself (see `userData` above).
    private static func from(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<StreamingXMLBuilder>? {
        ctx?.assumingMemoryBound(to: StreamingXMLBuilder.self)
    }

    // MARK: - Stopping

    /// Counts a well-formedness error libxml2 flagged since the last event, and clears the flag (see the type's
    /// comment).
    @inline(__always)
    mutating func noteError() {
        guard let ctxt, ctxt.pointee.wellFormed == 0 else { return }
        errorCount += 1
        ctxt.pointee.wellFormed = 1
    }

    private mutating func stop(_ error: MarkupError) {
        if stopReason == nil { stopReason = error }
        if let ctxt { xmlStopParser(ctxt) }
    }

    /// Whether the parse should go on after one more event.
    @inline(__always)
    private mutating func proceed() -> Bool {
        if stopReason != nil { return false }
        noteError()
        if meter.tick(), let exhausted = meter.exhausted {
            stop(ParseBudget.error(for: exhausted))
            return false
        }
        if document.outputBytes > outputLimit {
            stop(MarkupError(.tooLarge, "the document expands past \(outputLimit) bytes of text and attributes"))
            return false
        }
        if document.records.count >= MarkupDocument.maximumNodes {
            stop(MarkupError(.tooLarge, "the document has more than \(MarkupDocument.maximumNodes) nodes"))
            return false
        }
        return true
    }

    // MARK: - Events

    mutating func startElement(
        _ localname: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
        _ attributeCount: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        guard proceed() else { return }
        let parent = open[open.count - 1]
        let nameID = elementNameID(localname, prefix, uri)
        let namespaceID = uri == nil ? -1 : self.namespaceID(prefix, uri)
        let index = append(kind: .element, parent: parent, nameID: nameID, namespaceID: namespaceID, textID: -1)
        if let attributes, attributeCount > 0 {
            let kept = min(attributeCount, MarkupDocument.maximumAttributesPerElement)
            document.droppedAttributes += attributeCount - kept
            for k in 0..<kept {
                guard let name = attributes[5 * k], let start = attributes[5 * k + 3], let end = attributes[5 * k + 4]
                else { continue }
                let attributePrefix = attributes[5 * k + 1]
                let attributeURI = attributes[5 * k + 2]
                let nameID = attributeNameID(name, attributePrefix, attributeURI)
                let namespaceID = attributeURI == nil ? -1 : self.namespaceID(attributePrefix, attributeURI)
                let value = UnsafeBufferPointer(start: start, count: end - start)
                if value.contains(0x26) {
                    // libxml2 leaves "&#38;" for "&amp;" in SAX2 attribute values (its tree builder decodes it).
                    let decoded = Self.decodingAmpersands(value)
                    decoded.withUnsafeBufferPointer {
                        document.appendAttribute(nameID: nameID, namespaceID: namespaceID, value: $0)
                    }
                } else {
                    document.appendAttribute(nameID: nameID, namespaceID: namespaceID, value: value)
                }
            }
        }
        open.append(index)
    }

    mutating func endElement() {
        noteError()
        if stopReason != nil { return }
        if open.count > 1 { open.removeLast() }
    }

    mutating func characters(_ chars: UnsafeBufferPointer<xmlChar>) {
        guard proceed() else { return }
        let parent = open[open.count - 1]
        if pendingNode >= 0 && lastChild[Int(parent)] == pendingNode {
            document.extendText(document.records[Int(pendingNode)].textID, with: chars)
            return
        }
        if parent == 0 { return }
        let textID = document.addText(chars)
        pendingNode = append(kind: .text, parent: parent, nameID: -1, namespaceID: -1, textID: textID)
    }

    mutating func comment(_ value: UnsafePointer<xmlChar>) {
        guard proceed() else { return }
        let parent = open[open.count - 1]
        let length = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
        let textID = document.addText(UnsafeBufferPointer(start: value, count: length))
        append(kind: .comment, parent: parent, nameID: -1, namespaceID: -1, textID: textID)
    }

    // MARK: - Helpers

    @discardableResult
    private mutating func append(
        kind: MarkupDocument.Kind, parent: Int32, nameID: Int32, namespaceID: Int32, textID: Int32
    ) -> Int32 {
        let index = document.append(
            kind: kind, parent: parent, nameID: nameID, namespaceID: namespaceID, textID: textID)
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

    /// The name as libxml2's tree builder stores it: the local name, or "prefix:local" for an undeclared prefix.
    private mutating func elementNameID(
        _ localname: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?
    ) -> Int32 {
        let undeclared = prefix != nil && uri == nil
        let key = UnsafeRawPointer(localname)
        if !undeclared, let id = nameCache.value(for: key) { return id }
        let name = undeclared ? string(prefix!) + ":" + string(localname) : string(localname)
        let id: Int32
        if let existing = nameIndex[name] {
            id = existing
        } else {
            id = Int32(document.names.count)
            document.names.append(name)
            nameIndex[name] = id
        }
        if !undeclared { nameCache.set(id, for: key) }
        return id
    }

    private mutating func attributeNameID(
        _ localname: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?
    ) -> Int32 {
        let undeclared = prefix != nil && uri == nil
        let key = UnsafeRawPointer(localname)
        if !undeclared, let id = attributeNameCache.value(for: key) { return id }
        let name = undeclared ? string(prefix!) + ":" + string(localname) : string(localname)
        let id = document.internAttributeName(name)
        if !undeclared { attributeNameCache.set(id, for: key) }
        return id
    }

    private mutating func namespaceID(_ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) -> Int32 {
        guard let uri else { return -1 }
        let key = NamespaceKey(
            prefix: prefix.map { UInt(bitPattern: $0) } ?? 0, uri: UInt(bitPattern: uri))
        if let id = namespaceIDs[key] { return id }
        let id = Int32(document.namespaces.count)
        document.namespaces.append((prefix: prefix.map(string), uri: string(uri)))
        namespaceIDs[key] = id
        return id
    }

    /// `value` with every "&#38;" turned back into "&".
    static func decodingAmpersands(_ value: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var i = 0
        while i < value.count {
            if value[i] == 0x26, i + 4 < value.count, value[i + 1] == 0x23, value[i + 2] == 0x33,
                value[i + 3] == 0x38, value[i + 4] == 0x3B
            {
                out.append(0x26)
                i += 5
            } else {
                out.append(value[i])
                i += 1
            }
        }
        return out
    }

    private func string(_ pointer: UnsafePointer<xmlChar>) -> String {
        let length = strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}
