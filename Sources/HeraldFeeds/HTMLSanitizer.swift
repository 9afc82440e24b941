import HeraldHTML

/// HTML from a feed made safe to render, and its visible text.
public struct SanitizedHTML: Sendable, Codable, Equatable {
    /// The markup with everything active removed (see `HTMLSanitizer`).
    public var html: String
    /// The visible text: block elements separated by a line break, white space collapsed within them.
    public var text: String

    /// Creates a value.
    public init(html: String, text: String) {
        self.html = html
        self.text = text
    }
}

/// Removes what can run or reach out from feed HTML, by allow-list.
///
/// The fragment is parsed with libxml2's HTML parser (as a browser would tokenise it: entities decoded, tags
/// closed) and written back out keeping only:
/// - elements on `keptElements`; the content of `droppedElements` (scripts, styles, iframes, objects, embeds,
///   forms and their controls, svg and math, templates, head-only elements) goes with them; any other element is
///   replaced by its children;
/// - attributes on `keptAttributes` (so no `on*` handler, `style`, `srcdoc`, `formaction` …); URL attributes keep
///   only relative references and the schemes `http`, `https`, `mailto`, `tel`, `ftp`, plus `data:image/…` (not
///   SVG) on `img`/`source`; the scheme is read as a browser does, ignoring ASCII white space and controls inside
///   it (`jav&#x09;ascript:`);
/// - no comments (conditional comments included), processing instructions or doctype.
/// Everything written out is escaped again, so the output parses to the same tree.
enum HTMLSanitizer {
    static let droppedElements: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "form", "input",
        "button", "select", "textarea", "option", "optgroup", "datalist", "keygen", "output", "svg", "math",
        "template", "noscript", "noembed", "noframes", "xml", "base", "link", "meta", "title", "head", "portal",
        "dialog", "canvas", "slot", "isindex", "marquee", "bgsound", "xmp", "plaintext", "listing",
    ]

    static let keptElements: Set<String> = [
        "a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
        "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "section", "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "time", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
    ]

    static let keptAttributes: Set<String> = [
        "href", "src", "srcset", "alt", "title", "width", "height", "colspan", "rowspan", "cite", "datetime", "lang",
        "dir", "start", "reversed", "type", "span", "align", "valign", "border", "cellpadding", "cellspacing",
        "poster", "controls", "abbr", "scope", "headers", "hreflang", "media", "sizes", "label", "kind", "srclang",
        "open", "value", "face", "size", "color", "clear", "nowrap", "summary", "loop", "muted",
    ]

    static let urlAttributes: Set<String> = ["href", "src", "cite", "poster", "srcset"]

    static let attributeFilter = HTMLAttributeFilter(
        keeping: Dictionary(uniqueKeysWithValues: keptAttributes.map { ($0, []) }))

    static let voidElements: Set<String> = [
        "area", "br", "col", "hr", "img", "source", "track", "wbr",
    ]

    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ]

    static let safeSchemes: Set<String> = ["http", "https", "mailto", "tel", "ftp"]

    /// Sanitises an HTML fragment.
    /// - Throws: the parser's `MarkupError` when the budget runs out.
    static func sanitize(_ html: String, budget: ParseBudget? = nil) throws(MarkupError) -> SanitizedHTML {
        if !FeedText.mayContainMarkup(html) && !html.utf8.contains(UInt8(ascii: "<")) {
            let text = FeedText.collapsed(html) ?? ""
            return SanitizedHTML(html: escapeMarkup(html, quotes: false), text: text)
        }
        // Inside an unknown element, libxml2 adds no implied <p> around leading text; the wrapper is not kept.
        // The attribute filter cuts every other attribute before libxml2 reads it (and caps floods of kept ones).
        let doc = try MarkupParser.parseHTML(
            Array("<herald-fragment>".utf8) + Array(html.utf8), encoding: "utf-8", attributes: attributeFilter,
            budget: budget)
        var writer = Writer(doc: doc)
        writer.walk()
        return SanitizedHTML(html: writer.html, text: writer.plainText())
    }

    /// Whether `value` is an acceptable URL for attribute `attribute` of element `element`.
    static func isSafeURL(_ value: String, attribute: String, element: String) -> Bool {
        // The scheme as a browser reads it: leading spaces/controls skipped, tabs and newlines inside ignored.
        var scheme: [UInt8] = []
        var sawColon = false
        for b in value.utf8 {
            if b <= 0x20 { continue }
            if b == UInt8(ascii: ":") {
                sawColon = true
                break
            }
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") { break }
            scheme.append(b | 0x20)
            if scheme.count > 32 { break }
        }
        guard sawColon, !scheme.isEmpty else { return true }  // a relative reference
        let name = String(decoding: scheme, as: UTF8.self)
        if safeSchemes.contains(name) { return true }
        if name == "data", attribute == "src" || attribute == "srcset", element == "img" || element == "source" {
            let compact = String(decoding: value.utf8.filter { $0 > 0x20 }, as: UTF8.self).lowercased()
            return compact.hasPrefix("data:image/") && !compact.hasPrefix("data:image/svg")
        }
        return false
    }

    /// Walks the parsed fragment once, writing the kept markup and collecting the text.
    struct Writer {
        let doc: MarkupDocument
        var html = ""
        var lines: [String] = []
        var line = ""

        init(doc: MarkupDocument) {
            self.doc = doc
        }

        mutating func walk() {
            // Iterative: hostile nesting must not overflow the stack. An entry with `close` set writes an end tag.
            var stack: [(node: MarkupDocument.Node, close: String?)] = doc.children(of: doc.root).reversed().map {
                ($0, nil)
            }
            while let (node, close) = stack.popLast() {
                if let close {
                    html += "</" + close + ">"
                    if HTMLSanitizer.blockElements.contains(close) { breakLine() }
                    continue
                }
                switch doc.kind(of: node) {
                case .text:
                    let text = doc.text(of: node)
                    html += escapeMarkup(text, quotes: false)
                    line += text
                case .comment, .document:
                    continue
                case .element:
                    let name = doc.name(of: node)
                    if HTMLSanitizer.droppedElements.contains(name) { continue }
                    let children = doc.children(of: node)
                    guard HTMLSanitizer.keptElements.contains(name) else {
                        // Unknown or structural (html, body): keep the content only.
                        for child in children.reversed() { stack.append((child, nil)) }
                        continue
                    }
                    if HTMLSanitizer.blockElements.contains(name) { breakLine() }
                    html += "<" + name
                    for attribute in doc.attributes(of: node) {
                        let attributeName = attribute.name
                        guard attribute.prefix == nil, HTMLSanitizer.keptAttributes.contains(attributeName) else {
                            continue
                        }
                        if HTMLSanitizer.urlAttributes.contains(attributeName) {
                            let urls =
                                attributeName == "srcset"
                                ? attribute.value.split(separator: ",").map {
                                    String($0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first ?? "")
                                } : [attribute.value]
                            guard
                                urls.allSatisfy({
                                    HTMLSanitizer.isSafeURL($0, attribute: attributeName, element: name)
                                })
                            else { continue }
                        }
                        html += " " + attributeName + "=\"" + escapeMarkup(attribute.value, quotes: true) + "\""
                    }
                    html += ">"
                    if HTMLSanitizer.voidElements.contains(name) {
                        if name == "br" || name == "hr" { breakLine() }
                        continue
                    }
                    stack.append((node, name))
                    for child in children.reversed() { stack.append((child, nil)) }
                }
            }
        }

        mutating func breakLine() {
            if let collapsed = FeedText.collapsed(line) { lines.append(collapsed) }
            line = ""
        }

        mutating func plainText() -> String {
            breakLine()
            return lines.joined(separator: "\n")
        }
    }
}
