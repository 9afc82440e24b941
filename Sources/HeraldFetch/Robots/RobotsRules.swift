/// The rules of one robots.txt file (RFC 9309), parsed once and matched many times.
///
/// - Groups start with one or more `User-agent` lines; a `User-agent` line after a rule starts a new group.
///   Rules before the first `User-agent` line belong to no group and are ignored.
/// - A crawler uses the groups whose product token equals its own (case-insensitively; a line's value is read
///   up to the first character that cannot be in a token, so `Herald/1.0` names `herald`), all of them merged;
///   when none names it, the `*` groups; when there are none either, nothing is disallowed.
/// - `Allow`/`Disallow` patterns match the path and query from their start; `*` matches any run of characters
///   and a final `$` anchors the end. The longest matching pattern wins, and `Allow` wins a tie. An empty
///   `Disallow` disallows nothing. `/robots.txt` itself is always allowed.
/// - `Crawl-delay` (seconds, decimals allowed) is read from the chosen groups; the largest wins.
public struct RobotsRules: Sendable, Equatable {
    /// One `Allow` or `Disallow` line.
    public struct Rule: Sendable, Equatable {
        /// Whether the line was `Allow`.
        public var allows: Bool
        /// The pattern, percent-escapes uppercased and non-ASCII bytes escaped.
        public var pattern: String
    }

    struct Group: Sendable, Equatable {
        var agents: [String] = []
        var rules: [Rule] = []
        var crawlDelay: Duration?
    }

    /// The largest robots.txt read; RFC 9309 asks for at least 500 KiB, the rest is ignored.
    public static let maximumBytes = 512 * 1024

    private(set) var groups: [Group] = []

    /// Parses the bytes of a robots.txt file (UTF-8; invalid bytes are replaced). Never fails: lines that are
    /// not understood are skipped, as the RFC says.
    public init(parsing bytes: [UInt8]) {
        let text = String(decoding: bytes.prefix(RobotsRules.maximumBytes), as: UTF8.self)
        var current: Group?
        var lastWasAgent = false
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingRobotsSpace().lowercased()
            let value = String(line[line.index(after: colon)...].trimmingRobotsSpace())
            switch key {
            case "user-agent":
                if !lastWasAgent {
                    if let group = current { groups.append(group) }
                    current = Group()
                }
                current?.agents.append(RobotsRules.productToken(value))
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                guard current != nil, !value.isEmpty else { continue }
                current?.rules.append(Rule(allows: key == "allow", pattern: RobotsRules.normalizedPath(value)))
            case "crawl-delay":
                lastWasAgent = false
                guard current != nil, let seconds = Double(value), seconds.isFinite, seconds >= 0 else { continue }
                current?.crawlDelay = .milliseconds(Int64(min(seconds, 86_400) * 1000))
            default:
                // Sitemap and unknown keys neither belong to a group nor end one.
                continue
            }
        }
        if let group = current { groups.append(group) }
    }

    /// Parses robots.txt text.
    public init(parsing text: String) {
        self.init(parsing: Array(text.utf8))
    }

    /// The verdict for a path (with its query, e.g. `/a/b?c=d`) for the crawler whose product token is given.
    public func verdict(for pathAndQuery: String, userAgentToken: String) -> RobotsVerdict {
        let path = RobotsRules.normalizedPath(pathAndQuery.isEmpty ? "/" : pathAndQuery)
        if path == "/robots.txt" { return .allowed }
        var best: Rule?
        for group in groups(for: userAgentToken) {
            for rule in group.rules where RobotsRules.matches(rule.pattern, path) {
                if let current = best {
                    let longer = rule.pattern.utf8.count > current.pattern.utf8.count
                    let tieWonByAllow = rule.pattern.utf8.count == current.pattern.utf8.count && rule.allows
                    if longer || tieWonByAllow { best = rule }
                } else {
                    best = rule
                }
            }
        }
        guard let best, !best.allows else { return .allowed }
        return .disallowed(rule: best.pattern)
    }

    /// The `Crawl-delay` for the crawler, if its groups give one.
    public func crawlDelay(userAgentToken: String) -> Duration? {
        groups(for: userAgentToken).compactMap(\.crawlDelay).max()
    }

    // MARK: - Matching

    func groups(for userAgentToken: String) -> [Group] {
        let token = RobotsRules.productToken(userAgentToken)
        let named = groups.filter { $0.agents.contains(token) }
        if !named.isEmpty || token == "*" { return named }
        return groups.filter { $0.agents.contains("*") }
    }

    /// The product token of a `User-agent` value or of our own User-Agent: lowercased, up to the first character
    /// outside `[a-z_-]` (`*` stays `*`).
    static func productToken(_ value: String) -> String {
        let trimmed = value.trimmingRobotsSpace()
        if trimmed.hasPrefix("*") { return "*" }
        let token = trimmed.prefix { $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-") }
        return token.lowercased()
    }

    /// Percent-escapes uppercased, bytes outside printable ASCII escaped, so that a rule and a URL written in
    /// different spellings compare equal.
    static func normalizedPath(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let bytes = Array(text.utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, bytes[index + 1].isHexDigit,
                bytes[index + 2].isHexDigit
            {
                out += [byte, bytes[index + 1].uppercasedHex, bytes[index + 2].uppercasedHex]
                index += 3
                continue
            }
            if byte <= 0x20 || byte >= 0x7f {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `pattern` (with `*` and a final `$`) matches a prefix of `path`, or all of it when anchored.
    ///
    /// Literal pieces between stars are placed at their leftmost possible position, which is correct for
    /// patterns whose only wildcard is `*`; the cost is linear in the path for each piece.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var patternBytes = Array(pattern.utf8)
        let anchored = patternBytes.last == UInt8(ascii: "$")
        if anchored { patternBytes.removeLast() }
        let pieces = patternBytes.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
        let text = Array(path.utf8)
        // The first piece must match at the start.
        let first = pieces[0]
        guard text.starts(with: first) else { return false }
        var position = first.count
        if pieces.count == 1 { return !anchored || position == text.count }
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = find(piece, in: text, from: position) else { return false }
            position = found + piece.count
        }
        let last = pieces[pieces.count - 1]
        if anchored {
            // The last piece must end the path, at or after the current position.
            return text.count - last.count >= position && text[(text.count - last.count)...].elementsEqual(last)
        }
        return last.isEmpty || find(last, in: text, from: position) != nil
    }

    private static func find(_ needle: ArraySlice<UInt8>, in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count - start else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle.first!, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
    fileprivate var uppercasedHex: UInt8 { (0x61...0x66).contains(self) ? self - 0x20 : self }
}

extension StringProtocol {
    fileprivate func trimmingRobotsSpace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\u{FEFF}" {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return Substring(slice)
    }
}
