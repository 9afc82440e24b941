/// An error from HeraldSimilarity: a sketch or a serialized index that cannot be used.
public struct SimilarityError: Error, Sendable, CustomStringConvertible {
    /// The broad kind of failure.
    public enum Code: String, Sendable {
        /// A sketch has the wrong number of values or an unreadable encoding.
        case invalidSketch
        /// Serialized index bytes are truncated, from another format version, or inconsistent.
        case corruptIndex
        /// A parameter is out of range (threshold, band layout, id length).
        case invalidArgument
    }

    /// The broad kind of failure.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error with the given code and message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
