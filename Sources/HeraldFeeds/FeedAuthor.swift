import Foundation

/// A person credited with a feed or an entry.
public struct FeedAuthor: Sendable, Codable, Hashable {
    /// The display name.
    public var name: String?
    /// The e-mail address.
    public var email: String?
    /// A home page or profile URL.
    public var uri: String?

    /// Creates an author.
    public init(name: String? = nil, email: String? = nil, uri: String? = nil) {
        self.name = name
        self.email = email
        self.uri = uri
    }

    /// Whether no field is set.
    var isEmpty: Bool { name == nil && email == nil && uri == nil }

    /// Reads the free-form RSS styles "email (Name)", "Name <email>", a bare address or a bare name.
    static func parse(_ raw: String) -> FeedAuthor? {
        let s = FeedText.trimmed(raw)
        guard !s.isEmpty else { return nil }
        if s.hasSuffix(")"), let open = s.lastIndex(of: "(") {
            let outside = s[..<open].trimmingCharacters(in: .whitespaces)
            let inside = s[s.index(after: open)..<s.index(before: s.endIndex)].trimmingCharacters(in: .whitespaces)
            if outside.contains("@"), !inside.isEmpty {
                return FeedAuthor(name: inside, email: outside)
            }
            if inside.contains("@"), !outside.isEmpty {
                return FeedAuthor(name: outside, email: inside)
            }
        }
        if s.hasSuffix(">"), let open = s.lastIndex(of: "<") {
            let outside = s[..<open].trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let inside = s[s.index(after: open)..<s.index(before: s.endIndex)].trimmingCharacters(in: .whitespaces)
            if inside.contains("@") {
                return FeedAuthor(name: outside.isEmpty ? nil : outside, email: inside)
            }
        }
        if !s.contains(" "), s.contains("@") {
            return FeedAuthor(email: s.hasPrefix("mailto:") ? String(s.dropFirst(7)) : s)
        }
        return FeedAuthor(name: s)
    }
}
