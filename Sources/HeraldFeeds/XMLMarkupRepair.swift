import HeraldHTML

/// One linear pass over an ASCII-compatible XML document that fixes what would otherwise make libxml2 lose text
/// or whole entries, the way an HTML tree builder recovers:
///
/// - every document type declaration is removed (its internal subset included; quotes, comments and processing
///   instructions inside it are skipped whole, so `<?x a>b?>` or `<!-- ' -->` cannot end or extend it early);
/// - C0 control characters other than TAB, LF and CR are dropped, and so are character references to them or to
///   code points XML forbids;
/// - a `&` that does not start a reference becomes `&amp;`, a `<` that cannot start markup becomes `&lt;` (in text
///   and in quoted attribute values);
/// - a start tag keeps at most `MarkupDocument.maximumAttributesPerElement` attributes;
/// - structure: an end tag closes the nearest open element of that name (exactly, else ignoring ASCII case),
///   closing any left open inside it; an end tag matching no open element is dropped; an `<item>` or `<entry>`
///   closes an open one (and anything unclosed since its feed container), so one unclosed element costs no later
///   entries.
///
/// The open-element stack is capped at `maximumTrackedDepth` (libxml2 refuses deeper documents anyway), so the
/// pass stays linear. Nothing is inserted at the end: a truncated document still looks truncated.
struct XMLMarkupRepair {
    static let maximumTrackedDepth = 512

    private let bytes: [UInt8]
    private var out: [UInt8] = []
    private var copiedUpTo = 0
    private var changed = false
    /// Open elements: the byte range of each qualified name in `bytes`.
    private var open: [Range<Int>] = []
    private var tracking = true
    private(set) var droppedAttributes = 0
    private(set) var droppedControls = 0
    private(set) var escaped = 0
    private(set) var structureFixes = 0
    private(set) var removedDoctype = false
    /// Open-element entries looked at while matching tags (the pass's work beyond one look at each byte).
    private var stackSteps = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The repaired bytes and what was done (nil bytes when nothing changed).
    struct Result {
        var bytes: [UInt8]?
        var droppedAttributes: Int
        var droppedControls: Int
        var escaped: Int
        var structureFixes: Int
        /// Work done: input bytes plus open-element entries compared; linear in the input.
        var steps: Int
    }

    static func repair(_ bytes: [UInt8]) -> Result {
        var pass = XMLMarkupRepair(bytes)
        pass.run()
        var result = Result(
            bytes: nil, droppedAttributes: pass.droppedAttributes, droppedControls: pass.droppedControls,
            escaped: pass.escaped, structureFixes: pass.structureFixes, steps: bytes.count + pass.stackSteps)
        if pass.changed {
            pass.out.append(contentsOf: pass.bytes[pass.copiedUpTo...])
            result.bytes = pass.out
        }
        return result
    }

    // MARK: - Editing

    /// Replaces `bytes[range]` by `replacement` in the output. Edits come in order and never overlap (a range
    /// starting before what was already written is a bug; it is clamped rather than trapping).
    private mutating func replace(_ range: Range<Int>, with replacement: [UInt8]) {
        if !changed {
            changed = true
            out.reserveCapacity(bytes.count + 256)
        }
        assert(range.lowerBound >= copiedUpTo, "overlapping edits")
        let lower = max(range.lowerBound, copiedUpTo)
        guard lower <= range.upperBound else { return }
        out.append(contentsOf: bytes[copiedUpTo..<lower])
        out.append(contentsOf: replacement)
        copiedUpTo = range.upperBound
    }

    /// Inserts `insertion` before `position`.
    private mutating func insert(_ insertion: [UInt8], at position: Int) {
        replace(position..<position, with: insertion)
    }

    // MARK: - Scanning

    private func at(_ k: Int, _ s: StaticString, ignoringCase: Bool = false) -> Bool {
        let len = s.utf8CodeUnitCount
        guard k + len <= bytes.count else { return false }
        for j in 0..<len {
            let want = s.utf8Start[j]
            let have = ignoringCase ? bytes[k + j] | (want >= 0x61 && want <= 0x7A ? 0x20 : 0) : bytes[k + j]
            if have != want { return false }
        }
        return true
    }

    /// Index just past `terminator` at or after `k`, or the end of the input.
    private func skip(to terminator: StaticString, from k: Int) -> Int {
        var j = k
        let first = terminator.utf8Start[0]
        while j < bytes.count {
            if bytes[j] == first, at(j, terminator) { return j + terminator.utf8CodeUnitCount }
            j += 1
        }
        return bytes.count
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    @inline(__always)
    private static func isForbiddenControl(_ b: UInt8) -> Bool { b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D }

    @inline(__always)
    private static func isNameStart(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return (l >= 0x61 && l <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80
    }

    @inline(__always)
    private static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    private mutating func run() {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                i = markup(at: i)
            } else if b == UInt8(ascii: "&") {
                i = reference(at: i)
            } else if Self.isForbiddenControl(b) {
                replace(i..<(i + 1), with: [])
                droppedControls += 1
                i += 1
            } else {
                i += 1
            }
        }
    }

    /// Drops forbidden controls in `range` (inside comments, CDATA, processing instructions).
    private mutating func dropControls(in range: Range<Int>) {
        for k in range where Self.isForbiddenControl(bytes[k]) {
            replace(k..<(k + 1), with: [])
            droppedControls += 1
        }
    }

    /// Handles `&` at `i`: a well-formed reference stays (a forbidden character reference goes), anything else is
    /// escaped. Returns the index after it.
    private mutating func reference(at i: Int) -> Int {
        let n = bytes.count
        var j = i + 1
        if j < n, bytes[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < n, bytes[j] | 0x20 == UInt8(ascii: "x") {
                hex = true
                j += 1
            }
            let digitsStart = j
            var value: UInt32 = 0
            while j < n, j - digitsStart < 10 {
                let c = bytes[j]
                let digit: UInt32
                if c >= 0x30 && c <= 0x39 {
                    digit = UInt32(c - 0x30)
                } else if hex, (c | 0x20) >= 0x61, (c | 0x20) <= 0x66 {
                    digit = UInt32((c | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                value = min(value &* (hex ? 16 : 10) &+ digit, 0x7FFF_FFFF)
                j += 1
            }
            if j > digitsStart, j < n, bytes[j] == UInt8(ascii: ";") {
                let allowed =
                    value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value <= 0xD7FF)
                    || (value >= 0xE000 && value <= 0xFFFD) || (value >= 0x10000 && value <= 0x10FFFF)
                if !allowed {
                    replace(i..<(j + 1), with: [])
                    droppedControls += 1
                }
                return j + 1
            }
        } else if j < n, Self.isNameStart(bytes[j]) {
            while j < n, j - i <= 64, Self.isNameByte(bytes[j]) { j += 1 }
            if j < n, bytes[j] == UInt8(ascii: ";") { return j + 1 }
        }
        replace(i..<(i + 1), with: Array("&amp;".utf8))
        escaped += 1
        return i + 1
    }

    /// Handles `<` at `i`; returns the index after the construct.
    private mutating func markup(at i: Int) -> Int {
        let n = bytes.count
        guard i + 1 < n else {
            replace(i..<(i + 1), with: Array("&lt;".utf8))
            escaped += 1
            return n
        }
        let next = bytes[i + 1]
        if next == UInt8(ascii: "!") {
            if at(i, "<!--") {
                let end = skip(to: "-->", from: i + 4)
                dropControls(in: (i + 4)..<end)
                return end
            }
            if at(i, "<![CDATA[") {
                let end = skip(to: "]]>", from: i + 9)
                dropControls(in: (i + 9)..<end)
                return end
            }
            if at(i, "<!doctype", ignoringCase: true) {
                let end = doctypeEnd(from: i + 9)
                replace(i..<end, with: [])
                removedDoctype = true
                return end
            }
            // Some other declaration: libxml2 reports it; leave it.
            return i + 2
        }
        if next == UInt8(ascii: "?") {
            let end = skip(to: "?>", from: i + 2)
            dropControls(in: (i + 2)..<end)
            return end
        }
        if next == UInt8(ascii: "/") {
            return endTag(at: i)
        }
        if Self.isNameStart(next) {
            return startTag(at: i)
        }
        replace(i..<(i + 1), with: Array("&lt;".utf8))
        escaped += 1
        return i + 1
    }

    /// Index after the `>` that ends a DOCTYPE whose keyword ended before `k`.
    private func doctypeEnd(from k: Int) -> Int {
        var j = k
        var depth = 0
        let n = bytes.count
        while j < n {
            let b = bytes[j]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                j += 1
                while j < n, bytes[j] != b { j += 1 }
                j += 1
            } else if b == UInt8(ascii: "<"), at(j, "<!--") {
                j = skip(to: "-->", from: j + 4)
            } else if b == UInt8(ascii: "<"), at(j, "<?") {
                j = skip(to: "?>", from: j + 2)
            } else if b == UInt8(ascii: "[") {
                depth += 1
                j += 1
            } else if b == UInt8(ascii: "]") {
                depth = max(0, depth - 1)
                j += 1
            } else if b == UInt8(ascii: ">"), depth == 0 {
                return j + 1
            } else {
                j += 1
            }
        }
        return n
    }

    /// The qualified name starting at `k`: its byte range.
    private func name(at k: Int) -> Range<Int> {
        var j = k
        while j < bytes.count, Self.isNameByte(bytes[j]) { j += 1 }
        return k..<j
    }

    private func sameName(_ a: Range<Int>, _ b: Range<Int>, ignoringCase: Bool) -> Bool {
        guard a.count == b.count else { return false }
        var x = a.lowerBound
        var y = b.lowerBound
        while x < a.upperBound {
            let p = bytes[x]
            let q = bytes[y]
            if p != q {
                guard ignoringCase, p | 0x20 == q | 0x20, (p | 0x20) >= 0x61, (p | 0x20) <= 0x7A else { return false }
            }
            x += 1
            y += 1
        }
        return true
    }

    /// The local part of a qualified name and whether it has no prefix or the `atom` prefix.
    private func entryLike(_ name: Range<Int>) -> (isItem: Bool, isEntry: Bool) {
        var colon = -1
        for k in name where bytes[k] == UInt8(ascii: ":") { colon = k }
        let local = (colon < 0 ? name.lowerBound : colon + 1)..<name.upperBound
        if colon >= 0 {
            let prefix = name.lowerBound..<colon
            guard prefix.count == 4, at(prefix.lowerBound, "atom") else { return (false, false) }
        }
        let isItem = local.count == 4 && at(local.lowerBound, "item") && colon < 0
        let isEntry = local.count == 5 && at(local.lowerBound, "entry")
        return (isItem, isEntry)
    }

    private func isContainer(_ name: Range<Int>, forItem: Bool) -> Bool {
        var colon = -1
        for k in name where bytes[k] == UInt8(ascii: ":") { colon = k }
        let local = (colon < 0 ? name.lowerBound : colon + 1)..<name.upperBound
        if forItem {
            return (local.count == 7 && at(local.lowerBound, "channel")) || (local.count == 3 && at(local.lowerBound, "rss"))
                || (local.count == 3 && at(local.lowerBound, "RDF"))
        }
        return local.count == 4 && at(local.lowerBound, "feed")
    }

    /// Closing tags for the open elements above position `keep` (the stack keeps `0..<keep`), inserted at `position`.
    private mutating func close(downTo keep: Int, at position: Int) {
        guard keep < open.count else { return }
        var closing: [UInt8] = []
        for k in stride(from: open.count - 1, through: keep, by: -1) {
            closing.append(contentsOf: "</".utf8)
            closing.append(contentsOf: bytes[open[k]])
            closing.append(UInt8(ascii: ">"))
        }
        insert(closing, at: position)
        structureFixes += open.count - keep
        open.removeSubrange(keep...)
    }

    private mutating func startTag(at i: Int) -> Int {
        let n = bytes.count
        let tagName = name(at: i + 1)
        if tracking {
            let kind = entryLike(tagName)
            if kind.isItem || kind.isEntry {
                // Find an open entry of the same kind or the feed container, whichever is nearer.
                var k = open.count - 1
                while k >= 0 {
                    stackSteps += 1
                    if sameName(open[k], tagName, ignoringCase: false) {
                        close(downTo: k, at: i)
                        break
                    }
                    if isContainer(open[k], forItem: kind.isItem) {
                        close(downTo: k + 1, at: i)
                        break
                    }
                    k -= 1
                }
            }
        }
        // Attributes: count them, skip quoted values (which may hold '>').
        var j = tagName.upperBound
        var attributes = 0
        var cutFrom = -1
        while j < n {
            let b = bytes[j]
            if b == UInt8(ascii: ">") {
                if cutFrom >= 0 { replace(cutFrom..<j, with: []) }
                if tracking {
                    if open.count < Self.maximumTrackedDepth {
                        open.append(tagName)
                    } else {
                        tracking = false
                    }
                }
                return j + 1
            }
            if b == UInt8(ascii: "/"), j + 1 < n, bytes[j + 1] == UInt8(ascii: ">") {
                if cutFrom >= 0 { replace(cutFrom..<j, with: []) }
                return j + 2
            }
            if b == UInt8(ascii: "<") {
                // A tag that never ends: let libxml2 report it (past the attribute cap, without the rest).
                if cutFrom >= 0 { replace(cutFrom..<j, with: []) }
                return j
            }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                // A quoted value: bare "&" and "<" are escaped and forbidden controls dropped, as in text (not in
                // attributes past the cap, which are cut whole).
                var k = j + 1
                while k < n, bytes[k] != b {
                    // Past the cap nothing is edited: the whole run is cut at the end of the tag.
                    if cutFrom < 0 {
                        let c = bytes[k]
                        if c == UInt8(ascii: "&") {
                            k = reference(at: k)
                            continue
                        }
                        if c == UInt8(ascii: "<") {
                            replace(k..<(k + 1), with: Array("&lt;".utf8))
                            escaped += 1
                        } else if Self.isForbiddenControl(c) {
                            replace(k..<(k + 1), with: [])
                            droppedControls += 1
                        }
                    }
                    k += 1
                }
                if k >= n {
                    if cutFrom >= 0 { replace(cutFrom..<n, with: []) }
                    return n
                }
                j = k + 1
                continue
            }
            if Self.isNameStart(b) {
                attributes += 1
                if attributes > MarkupDocument.maximumAttributesPerElement, cutFrom < 0 {
                    cutFrom = j
                }
                if cutFrom >= 0 { droppedAttributes += 1 }
                while j < n, Self.isNameByte(bytes[j]) { j += 1 }
                continue
            }
            if cutFrom < 0, Self.isForbiddenControl(b) {
                replace(j..<(j + 1), with: [])
                droppedControls += 1
            }
            j += 1
        }
        if cutFrom >= 0 { replace(cutFrom..<n, with: []) }
        return n
    }

    private mutating func endTag(at i: Int) -> Int {
        let n = bytes.count
        let tagName = name(at: i + 2)
        var j = tagName.upperBound
        while j < n, Self.isSpace(bytes[j]) { j += 1 }
        guard !tagName.isEmpty, j < n, bytes[j] == UInt8(ascii: ">") else {
            if tagName.isEmpty {
                replace(i..<(i + 1), with: Array("&lt;".utf8))
                escaped += 1
                return i + 1
            }
            return j
        }
        let end = j + 1
        guard tracking else { return end }
        if let top = open.last, sameName(top, tagName, ignoringCase: false) {
            open.removeLast()
            return end
        }
        var match = -1
        for k in stride(from: open.count - 1, through: 0, by: -1) {
            stackSteps += 1
            if sameName(open[k], tagName, ignoringCase: false) {
                match = k
                break
            }
        }
        if match < 0 {
            for k in stride(from: open.count - 1, through: 0, by: -1) {
                stackSteps += 1
                if sameName(open[k], tagName, ignoringCase: true) {
                    match = k
                    break
                }
            }
        }
        if match < 0 {
            // Closes nothing that is open: drop it, as an HTML tree builder does.
            replace(i..<end, with: [])
            structureFixes += 1
            return end
        }
        let name = open[match]
        close(downTo: match + 1, at: i)
        // The end tag itself, spelt as its start tag was.
        var closing = Array("</".utf8)
        closing.append(contentsOf: bytes[name])
        closing.append(UInt8(ascii: ">"))
        if !sameName(name, tagName, ignoringCase: false) || end - i != closing.count {
            replace(i..<end, with: closing)
            structureFixes += 1
        }
        open.removeLast()
        return end
    }
}
