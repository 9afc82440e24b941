/// Why a cursor cannot be used with the log as it is now.
public struct ChangeLogCursorError: Error, Sendable, CustomStringConvertible {
    /// The kind of mismatch.
    public enum Code: String, Sendable {
        /// The cursor belongs to another epoch (the log was reset, restored, or lost events in a crash), or is
        /// ahead of the log: the reader must resync from the start.
        case epochChanged
        /// The cursor is older than the oldest retained event: the events after it were deleted by retention.
        case expired
    }

    /// The kind of mismatch.
    public var code: Code
    /// What happened and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
