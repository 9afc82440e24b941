import Foundation

/// Resolves the references found in feeds against a base, tolerating what real feeds contain
/// (surrounding whitespace, unescaped spaces and non-ASCII characters, broken bases).
enum FeedURL {
    /// Whether `s` starts with a URI scheme ("http:", "mailto:", "tag:", ...).
    static func hasScheme(_ s: String) -> Bool {
        var sawLetter = false
        for b in s.utf8 {
            if b == UInt8(ascii: ":") { return sawLetter }
            let isLetter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
            let isOther = (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: ".")
            if isLetter { sawLetter = true } else if !(isOther && sawLetter) { return false }
        }
        return false
    }

    /// Whether `s` is an absolute URL with a host (http://example.com/...).
    static func isAbsoluteWithHost(_ s: String) -> Bool {
        guard hasScheme(s), let colon = s.firstIndex(of: ":") else { return false }
        return s[colon...].hasPrefix("://")
    }

    /// Whether `s` looks like a web link (used for RSS guids that may double as links).
    static func looksLikeWebURL(_ s: String) -> Bool {
        let lower = s.prefix(8).lowercased()
        return (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && !s.contains(" ")
    }

    /// Percent-encodes the bytes that are not allowed in a URI reference, leaving existing escapes alone.
    static func escapeInvalid(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        var changed = false
        let hex = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            let allowed: Bool
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: allowed = true
            default: allowed = "-._~:/?#[]@!$&'()*+,;=%".utf8.contains(b)
            }
            if allowed {
                out.append(b)
            } else {
                changed = true
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : s
    }

    /// Resolves `reference` against `base`. Absolute references are returned trimmed but otherwise untouched;
    /// relative ones without a usable base are returned as given (trimmed).
    static func resolve(_ reference: String, against base: String?) -> String {
        let ref = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        if hasScheme(ref) { return ref }
        guard let base, !base.isEmpty else { return ref }
        let baseText = base.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hasScheme(baseText), let baseURL = URL(string: escapeInvalid(baseText)) else { return ref }
        if ref.isEmpty {
            // An empty reference is the base itself (minus its fragment).
            if let hash = baseText.firstIndex(of: "#") { return String(baseText[..<hash]) }
            return baseText
        }
        guard let url = URL(string: escapeInvalid(ref), relativeTo: baseURL) else { return ref }
        return url.absoluteString
    }
}
