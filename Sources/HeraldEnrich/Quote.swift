/// Who a quotation is attributed to.
public struct QuoteSpeaker: Sendable, Hashable, Codable {
    /// The speaker's entity id when the speaker is a named entity of the document, else nil.
    public let id: String?
    /// The speaker's fullest name (or the attribution phrase, e.g. "the ministry").
    public let name: String

    /// Creates a speaker.
    public init(id: String?, name: String) {
        self.id = id
        self.name = name
    }
}

/// A direct quotation and its attribution.
public struct Quote: Sendable, Hashable, Codable {
    /// The quoted words, without the quotation marks.
    public let text: String
    /// The speaker, or nil when the text attributes the quotation to no one.
    public let speaker: QuoteSpeaker?
    /// The reporting verb as written ("said", "told"), or "according to"; nil when none was found.
    public let verb: String?
    /// Offset (Unicode scalars) of the opening quotation mark.
    public let start: Int
    /// Offset just past the closing quotation mark.
    public let end: Int

    /// Creates a quotation.
    public init(text: String, speaker: QuoteSpeaker?, verb: String?, start: Int, end: Int) {
        self.text = text
        self.speaker = speaker
        self.verb = verb
        self.start = start
        self.end = end
    }
}
