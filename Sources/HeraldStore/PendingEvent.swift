/// An event to append to the change log; the log assigns `seq`, `id`, `epoch` and `time`.
public struct PendingEvent: Sendable, Equatable {
    /// What happened, e.g. `article.added`.
    public var type: String
    /// What it happened to.
    public var subject: String
    /// Event-specific payload.
    public var data: JSONValue

    /// Creates a pending event.
    public init(type: String, subject: String, data: JSONValue = .null) {
        self.type = type
        self.subject = subject
        self.data = data
    }
}
