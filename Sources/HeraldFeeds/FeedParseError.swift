/// Why a document could not be read as a feed.
public struct FeedParseError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// The body was empty or only whitespace.
        case empty
        /// The document is readable but is not a feed (an HTML page, an unrelated XML or JSON document).
        case notAFeed
        /// The document is too broken to recover anything from.
        case malformed
        /// The bytes could not be decoded in the declared or detected character encoding.
        case invalidEncoding
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, worded for a person.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// "code: message".
    public var description: String { "\(code.rawValue): \(message)" }
}
