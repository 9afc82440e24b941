/// A file attached to an entry (podcast audio, image, ...).
public struct FeedEnclosure: Sendable, Codable, Hashable {
    /// The absolute URL of the file.
    public var url: String
    /// The MIME type, when given.
    public var type: String?
    /// The size in bytes, when given and numeric.
    public var length: Int64?

    /// Creates an enclosure.
    public init(url: String, type: String? = nil, length: Int64? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}
