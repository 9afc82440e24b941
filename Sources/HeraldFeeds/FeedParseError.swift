import HeraldHTML

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
        /// The parse ran past the deadline of its `ParseBudget`.
        case timeBudgetExceeded
        /// The parse's `ParseBudget` was cancelled (shutdown).
        case cancelled
        /// The document would expand past the parser's output or node limit.
        case tooLarge
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

    /// The feed error for a parser error that is not about the document's form (budget, limits); nil otherwise.
    init?(stopping error: MarkupError) {
        switch error.code {
        case .malformed: return nil
        case .timeBudgetExceeded: self.init(.timeBudgetExceeded, "the feed took too long to parse: \(error.message)")
        case .cancelled: self.init(.cancelled, "parsing was cancelled: \(error.message)")
        case .tooLarge: self.init(.tooLarge, "the feed is too large to parse: \(error.message)")
        }
    }

    /// The error for a spent budget.
    init(_ exhaustion: ParseBudget.Exhaustion) {
        self.init(stopping: ParseBudget.error(for: exhaustion))!
    }

    /// "code: message".
    public var description: String { "\(code.rawValue): \(message)" }
}
