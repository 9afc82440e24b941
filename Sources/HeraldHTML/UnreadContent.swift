#if canImport(Glibc)
import Glibc
#endif

/// Parts of an HTML page that `MarkupParser.parseHTML` may leave out because the caller never reads them.
///
/// On news pages about half the bytes are script and style text, and libxml2 (2.9) reads raw text one character
/// at a time; handing it the page without those bodies halves the parse. The elements themselves stay (empty), so
/// the document's structure is unchanged.
public struct HTMLOmissions: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The text of `<script>` elements, except JSON-LD (a `type` containing "ld+json").
    public static let scriptText = HTMLOmissions(rawValue: 1)
    /// The text of `<style>` elements.
    public static let styleText = HTMLOmissions(rawValue: 2)
    /// Comments.
    public static let comments = HTMLOmissions(rawValue: 4)
    /// Everything inside `<svg>` elements (paths, shapes, their text); the svg element stays, empty.
    public static let svgContent = HTMLOmissions(rawValue: 8)
    /// What an article extractor never reads: all of the above.
    public static let unreadByExtraction: HTMLOmissions = [.scriptText, .styleText, .comments, .svgContent]
}

/// The attributes a caller reads; `MarkupParser.parseHTML` given one leaves every other attribute out (on news
/// pages link targets, image sources, data-* blobs and event handlers are a fifth of what libxml2 would read).
public struct HTMLAttributeFilter: Sendable {
    struct Entry {
        var name: [UInt8]
        /// Element names the attribute is kept on; empty for any element.
        var elements: [[UInt8]]
    }

    /// Entries by name length.
    let byLength: [[Entry]]

    /// - Parameter keeping: lowercase attribute names, each with the element names it is read on (empty: any).
    public init(keeping: [String: [String]]) {
        var byLength: [[Entry]] = Array(repeating: [], count: 33)
        for (name, elements) in keeping where !name.isEmpty && name.utf8.count <= 32 {
            byLength[name.utf8.count].append(
                Entry(
                    name: Array(asciiLowercased(name).utf8),
                    elements: elements.map { Array(asciiLowercased($0).utf8) }))
        }
        self.byLength = byLength
    }
}

/// Cuts the parts named by `HTMLOmissions` out of an HTML byte stream before libxml2 sees it.
///
/// The scan follows the tokenizer of libxml2's HTML parser closely enough to find the same raw-text elements and
/// comments: start tags are a letter after "<", attribute values may be quoted, end tags and markup
/// declarations run to the next ">", a script or style body ends at "</script" or "</style" in any case. Where the
/// two might disagree it stops cutting and leaves the rest of the page as it is: an unterminated comment, quote or
/// raw-text element, a "--!>" inside a comment, an end tag such as "</scripts", a raw-text body that starts with
/// a tag, a NUL byte anywhere, or a charset in which "<" is not always the byte 0x3C. A comment is cut only where
/// its neighbours cannot run together (`commentCanGo`), svg content only when it is plain SVG (`svgClose`).
/// Leaving bytes in is always safe; only a cut could lose content.
enum UnreadContent {
    /// The page without the omitted parts, or nil when nothing was cut (use the original bytes).
    static func omit(
        _ omissions: HTMLOmissions, attributes: HTMLAttributeFilter? = nil, from input: UnsafeBufferPointer<UInt8>,
        charset: String
    ) -> [UInt8]? {
        guard !omissions.isEmpty || attributes != nil, let base = input.baseAddress, input.count > 0,
            isASCIICompatible(charset), memchr(base, 0, input.count) == nil
        else { return nil }
        var scan = Scan(base: base, count: input.count, omissions: omissions, attributes: attributes)
        scan.run()
        guard scan.cutAny else { return nil }
        scan.out.append(contentsOf: UnsafeBufferPointer(start: base + scan.kept, count: input.count - scan.kept))
        return scan.out
    }

    /// Charsets whose bytes below 0x80 are always ASCII (so "<", "/", ">" and letters in tag position mean
    /// themselves); UTF-16/32, UTF-7, ISO-2022 and EBCDIC are not among them.
    static func isASCIICompatible(_ charset: String) -> Bool {
        let name = asciiLowercased(charset)
        for prefix in asciiCompatiblePrefixes where name.hasPrefix(prefix) { return true }
        return false
    }

    private static let asciiCompatiblePrefixes = [
        "utf-8", "utf8", "us-ascii", "ascii", "windows-125", "cp125", "iso-8859", "iso8859", "latin", "koi8", "euc",
        "shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "cp932", "gb2312", "gbk", "gb18030", "big5", "cp936",
        "cp949", "ks_c_5601", "tis-620", "windows-874", "macintosh", "x-mac",
    ]

    private struct Scan {
        let base: UnsafePointer<UInt8>
        let count: Int
        let omissions: HTMLOmissions
        let attributes: HTMLAttributeFilter?
        var out: [UInt8] = []
        /// `base[kept..<count]` has not been copied to `out` yet.
        var kept = 0
        var cutAny = false
        var i = 0
        /// Index just after the last DOCTYPE declaration.
        var doctypeEnd = -1
        /// Bytes `svgClose` may still scan in all; set to twice the page.
        var svgScanBudget = 0

        init(base: UnsafePointer<UInt8>, count: Int, omissions: HTMLOmissions, attributes: HTMLAttributeFilter?) {
            self.base = base
            self.count = count
            self.omissions = omissions
            self.attributes = attributes
            svgScanBudget = 2 * count
        }

        /// Drops `base[from..<to]` from the output.
        mutating func cut(_ from: Int, _ to: Int) {
            guard to > from else { return }
            if !cutAny {
                out.reserveCapacity(count)
                cutAny = true
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + kept, count: from - kept))
            kept = to
        }

        mutating func run() {
            while i < count {
                guard let lt = find(0x3C, from: i) else { return }
                i = lt
                guard i + 1 < count else { return }
                let next = base[i + 1]
                if next == 0x21 {  // "<!"
                    if !markupDeclaration() { return }
                } else if next == 0x3F {  // "<?": a processing instruction runs to ">"
                    guard let gt = find(0x3E, from: i + 2) else { return }
                    i = gt + 1
                } else if next == 0x2F {  // "</"
                    guard i + 2 < count, isLetter(base[i + 2]) else {
                        i += 2
                        continue
                    }
                    guard let gt = find(0x3E, from: i + 2) else { return }
                    i = gt + 1
                } else if isLetter(next) {
                    if !startTag() { return }
                } else {
                    i += 1  // a "<" that starts nothing is text
                }
            }
        }

        /// At "<!": a comment, a DOCTYPE, or text. False when the rest of the page must be left alone.
        mutating func markupDeclaration() -> Bool {
            if i + 3 < count && base[i + 2] == 0x2D && base[i + 3] == 0x2D {
                guard let end = find(sequence: "-->", from: i + 4) else { return false }
                if find(sequence: "--!>", from: i + 4, before: end + 3) != nil { return false }
                if omissions.contains(.comments) && commentCanGo(at: i, end: end + 3) { cut(i, end + 3) }
                i = end + 3
                return true
            }
            if matchesIgnoringCase("doctype", at: i + 2) {
                guard let gt = find(0x3E, from: i + 2) else { return false }
                i = gt + 1
                doctypeEnd = i
                return true
            }
            i += 1  // "<!" followed by anything else is text to libxml2
            return true
        }

        /// A start tag as libxml2 reads it.
        struct StartTag {
            var nameStart: Int
            var nameEnd: Int
            /// Index after ">" or "/>".
            var end: Int
            var selfClosed: Bool
            var typeValue: Range<Int>?
        }

        /// Reads the start tag at `at` ("<" + letter), cutting unread attributes when `cutUnread`; nil when the page
        /// ends inside it or a quote never closes.
        mutating func readStartTag(at: Int, cutUnread: Bool) -> StartTag? {
            var j = at + 1
            while j < count && isNameByte(base[j]) { j += 1 }
            var tag = StartTag(nameStart: at + 1, nameEnd: j, end: j, selfClosed: false)
            let isScript = j - tag.nameStart == 6 && matchesIgnoringCase("script", at: tag.nameStart)
            // Attributes kept so far: past `maximumAttributesPerElement` the rest are cut too (libxml2 2.9 checks
            // each new attribute against all earlier ones, so a flood would take quadratic time before any event).
            var keptAttributes = 0
            // Attributes: name, optional "=" and a quoted or bare value; a bogus byte run is skipped to a blank.
            while true {
                while j < count && isBlank(base[j]) { j += 1 }
                guard j < count else { return nil }
                let c = base[j]
                if c == 0x3E {
                    tag.end = j + 1
                    return tag
                }
                if c == 0x2F && j + 1 < count && base[j + 1] == 0x3E {
                    tag.end = j + 2
                    tag.selfClosed = true
                    return tag
                }
                if isNameStart(c) {
                    let attrStart = j
                    while j < count && isNameByte(base[j]) { j += 1 }
                    let attrEnd = j
                    var valueRange: Range<Int>? = nil
                    var k = j
                    while k < count && isBlank(base[k]) { k += 1 }
                    if k < count && base[k] == 0x3D {
                        k += 1
                        while k < count && isBlank(base[k]) { k += 1 }
                        guard k < count else { return nil }
                        let q = base[k]
                        if q == 0x22 || q == 0x27 {
                            guard let close = find(q, from: k + 1) else { return nil }
                            valueRange = (k + 1)..<close
                            j = close + 1
                        } else {
                            let valueStart = k
                            while k < count && !isBlank(base[k]) && base[k] != 0x3E { k += 1 }
                            valueRange = valueStart..<k
                            j = k
                        }
                    }
                    if isScript && attrEnd - attrStart == 4 && matchesIgnoringCase("type", at: attrStart) {
                        tag.typeValue = valueRange
                    }
                    if cutUnread, let filter = attributes {
                        if !isKept(attrStart, attrEnd, element: tag.nameStart..<tag.nameEnd, by: filter)
                            || keptAttributes >= MarkupDocument.maximumAttributesPerElement
                        {
                            cut(attrStart, j)
                        } else {
                            keptAttributes += 1
                        }
                    }
                } else {
                    while j < count && !isBlank(base[j]) && base[j] != 0x3E
                        && !(base[j] == 0x2F && j + 1 < count && base[j + 1] == 0x3E)
                    {
                        j += 1
                    }
                }
            }
        }

        /// Whether the filter keeps the attribute named `base[start..<end]` on the element named `element`.
        func isKept(_ start: Int, _ end: Int, element: Range<Int>, by filter: HTMLAttributeFilter) -> Bool {
            let length = end - start
            guard length < filter.byLength.count else { return false }
            func matches(_ word: [UInt8], at: Int) -> Bool {
                word.withUnsafeBufferPointer { matchesIgnoringCase($0, at: at) }
            }
            for entry in filter.byLength[length] where matches(entry.name, at: start) {
                return entry.elements.isEmpty
                    || entry.elements.contains { $0.count == element.count && matches($0, at: element.lowerBound) }
            }
            return false
        }

        /// Whether the comment `base[start..<end]` can go without its neighbours running together: it follows the end
        /// of a tag (not a DOCTYPE), so no text, "<" or "&name" continues across it, and no "<!" follows it
        /// (libxml2 reads a DOCTYPE right after another differently).
        func commentCanGo(at start: Int, end: Int) -> Bool {
            // What follows a DOCTYPE in the middle of a page is read oddly by libxml2; keep things as they are.
            if start == doctypeEnd { return false }
            if start > 0 && base[start - 1] != 0x3E { return false }
            return !(end + 1 < count && base[end] == 0x3C && base[end + 1] == 0x21)
        }

        /// At "<" + letter: reads the tag, cuts unread attributes, and after a script or style start tag its body,
        /// after an svg start tag its content, when asked to. False when the rest must be left alone.
        mutating func startTag() -> Bool {
            let kept = self.kept
            let cuts = out.count
            guard let tag = readStartTag(at: i, cutUnread: attributes != nil) else {
                // Attribute cuts made in a tag that never ends are taken back: the rest is left as it is.
                self.kept = kept
                out.removeSubrange(cuts...)
                return false
            }
            i = tag.end
            if tag.selfClosed { return true }
            let nameLength = tag.nameEnd - tag.nameStart
            if nameLength == 3 && omissions.contains(.svgContent) && matchesIgnoringCase("svg", at: tag.nameStart) {
                if let close = svgClose(from: tag.end) {
                    cut(tag.end, close)
                    i = close
                }
                return true
            }
            guard let kind = rawTextKind(tag.nameStart, tag.nameEnd) else { return true }
            guard let end = rawTextEnd(kind, from: tag.end) else { return false }
            let wanted: Bool
            switch kind {
            case .script:
                wanted = omissions.contains(.scriptText) && !(tag.typeValue.map(isJSONLD) ?? false)
            case .style:
                wanted = omissions.contains(.styleText)
            }
            if wanted { cut(tag.end, end) }
            i = end
            return true
        }

        /// Where a script or style body starting at `from` ends: at "</script" or "</style" in any case. An end
        /// tag that only starts with the name ("</scripts>") is one libxml2 would read differently: nil.
        func rawTextEnd(_ kind: RawKind, from: Int) -> Int? {
            let closer: StaticString = kind == .script ? "</script" : "</style"
            // libxml2 reads a tag right at the start of the body as markup: an end tag there ("<script></div>")
            // closes what it names, and a start tag may close the element ("<style><body>"). Only the element's own
            // end tag may start a body that is cut.
            if from + 1 < count && base[from] == 0x3C && !matchesIgnoringCase(closer, at: from) {
                let next = base[from + 1]
                if next == 0x2F || isLetter(next) || next == 0x5F || next == 0x3A { return nil }
            }
            guard let end = findIgnoringCase(closer, from: from) else { return nil }
            let after = end + closer.utf8CodeUnitCount
            guard after < count, !isNameByte(base[after]) else { return nil }
            return end
        }

        /// The "<" of the end tag closing an svg element whose content starts at `from`, when the content is plain
        /// SVG that libxml2 nests the way it is written; nil when unsure (HTML inside, stray end tags, comments
        /// that do not end, ...), and the content is then left in.
        mutating func svgClose(from: Int) -> Int? {
            // Every failed search rescans what follows; a page of unclosed <svg>s must not make that quadratic.
            guard svgScanBudget > 0 else { return nil }
            var open: [String] = ["svg"]
            var j = from
            defer { svgScanBudget -= j - from }
            while let lt = find(0x3C, from: j) {
                j = lt
                guard lt + 1 < count else { return nil }
                let next = base[lt + 1]
                if next == 0x21 {
                    guard lt + 3 < count, base[lt + 2] == 0x2D, base[lt + 3] == 0x2D,
                        let end = find(sequence: "-->", from: lt + 4),
                        find(sequence: "--!>", from: lt + 4, before: end + 3) == nil
                    else { return nil }
                    j = end + 3
                } else if next == 0x2F {
                    guard lt + 2 < count, isLetter(base[lt + 2]) else { return nil }
                    var k = lt + 2
                    while k < count && isNameByte(base[k]) { k += 1 }
                    let name = lowercasedName(lt + 2, k)
                    guard let depth = open.lastIndex(of: name), let gt = find(0x3E, from: k) else { return nil }
                    open.removeSubrange(depth...)
                    if open.isEmpty { return lt }
                    j = gt + 1
                } else if isLetter(next) {
                    guard let tag = readStartTag(at: lt, cutUnread: false) else { return nil }
                    let name = lowercasedName(tag.nameStart, tag.nameEnd)
                    guard Self.svgElements.contains(name) || name.hasPrefix("fe") else { return nil }
                    j = tag.end
                    if tag.selfClosed { continue }
                    if let kind = rawTextKind(tag.nameStart, tag.nameEnd) {
                        guard let end = rawTextEnd(kind, from: tag.end) else { return nil }
                        j = end
                    } else {
                        open.append(name)
                    }
                } else {
                    j = lt + 1
                }
            }
            j = count
            return nil
        }

        /// SVG element names libxml2 does not know as HTML (so treats as plain nested elements), plus style and
        /// script, whose bodies are raw text either way.
        static let svgElements: Set<String> = [
            "svg", "g", "path", "circle", "rect", "ellipse", "line", "polyline", "polygon", "text", "tspan",
            "textpath", "defs", "symbol", "use", "desc", "lineargradient", "radialgradient", "stop", "clippath",
            "mask", "pattern", "filter", "marker", "metadata", "animate", "animatetransform", "animatemotion", "set",
            "view", "switch", "style", "script", "image",
        ]

        func lowercasedName(_ start: Int, _ end: Int) -> String {
            String(
                decoding: UnsafeBufferPointer(start: base + start, count: min(end - start, 64)).lazy.map {
                    $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0
                }, as: UTF8.self)
        }

        enum RawKind { case script, style }

        func rawTextKind(_ start: Int, _ end: Int) -> RawKind? {
            switch end - start {
            case 6 where matchesIgnoringCase("script", at: start): return .script
            case 5 where matchesIgnoringCase("style", at: start): return .style
            default: return nil
            }
        }

        func isJSONLD(_ range: Range<Int>) -> Bool {
            guard range.count >= 7 else { return false }
            for k in range.lowerBound...(range.upperBound - 7) where matchesIgnoringCase("ld+json", at: k) {
                return true
            }
            return false
        }

        // MARK: - Byte helpers

        func find(_ byte: UInt8, from: Int) -> Int? {
            guard from < count, let p = memchr(base + from, Int32(byte), count - from) else { return nil }
            return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }

        func find(sequence: StaticString, from: Int, before limit: Int? = nil) -> Int? {
            let end = limit ?? count
            let length = sequence.utf8CodeUnitCount
            let first = sequence.utf8Start.pointee
            var at = from
            while end - at >= length, let p = memchr(base + at, Int32(first), end - at - length + 1) {
                let k = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + k, sequence.utf8Start, length) == 0 { return k }
                at = k + 1
            }
            return nil
        }

        /// Position of `needle` (lowercase ASCII, starting "</") matched without regard to case.
        func findIgnoringCase(_ needle: StaticString, from: Int) -> Int? {
            var at = from
            while let lt = find(0x3C, from: at) {
                if matchesIgnoringCase(needle, at: lt) { return lt }
                at = lt + 1
            }
            return nil
        }

        /// Whether the bytes at `at` are `word` (lowercase ASCII) in any case.
        func matchesIgnoringCase(_ word: StaticString, at: Int) -> Bool {
            matchesIgnoringCase(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount), at: at)
        }

        func matchesIgnoringCase(_ word: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
            guard count - at >= word.count else { return false }
            for k in 0..<word.count {
                let c = base[at + k]
                if (c &- 0x41 < 26 ? c | 0x20 : c) != word[k] { return false }
            }
            return true
        }

        @inline(__always) func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
        @inline(__always) func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        /// First byte of an attribute name to libxml2: a letter, "_", ":" or ".".
        @inline(__always) func isNameStart(_ c: UInt8) -> Bool { isLetter(c) || c == 0x5F || c == 0x3A || c == 0x2E }
        /// A letter, digit, "_", ":", "." or "-".
        @inline(__always) func isNameByte(_ c: UInt8) -> Bool {
            isLetter(c) || c &- 0x30 < 10 || c == 0x5F || c == 0x3A || c == 0x2E || c == 0x2D
        }
    }
}
