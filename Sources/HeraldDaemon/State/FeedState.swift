import Foundation

/// What Herald remembers about one feed: validators, poll times, errors and the entries it has seen.
///
/// Stored as `<state>/feeds/<feed id>.json`.
public struct FeedState: Codable, Sendable, Equatable {
    /// One entry of the feed that has been ingested (or recognised as a duplicate).
    public struct Entry: Codable, Sendable, Equatable {
        /// Stable article id (see `ArticleIdentity`).
        public var articleID: String
        /// Content hash of the latest text.
        public var contentHash: String
        /// The entry's link, if any.
        public var url: String?
        /// When Herald first saw the entry.
        public var firstSeen: String
        /// Set when the entry's text was already stored under another article (exactly, or nearly).
        public var duplicateOf: String?
        /// For a near-duplicate: the estimated similarity to the original (the entry keeps its own article file).
        public var similarity: Double?
        /// The feed's updated/published date and title for the entry when last processed; a change makes a
        /// scheduled poll fetch the page again.
        public var fingerprint: String?

        enum CodingKeys: String, CodingKey {
            case articleID = "article_id", contentHash = "content_hash", url, firstSeen = "first_seen"
            case duplicateOf = "duplicate_of", fingerprint, similarity
        }
    }

    /// Feed id from the configuration.
    public var id: String
    /// URL polled.
    public var url: String
    /// Title the feed gave itself.
    public var title: String?
    /// ETag of the last 200 response.
    public var etag: String?
    /// Last-Modified of the last 200 response.
    public var lastModified: String?
    /// Start of the last poll (RFC 3339).
    public var lastPoll: String?
    /// End of the last successful poll.
    public var lastSuccess: String?
    /// When the next poll is due.
    public var nextPoll: String?
    /// Failed polls in a row.
    public var consecutiveErrors: Int = 0
    /// Reason of the last failure, kept after recovery for reference.
    public var lastError: String?
    /// True between `feed.failed` and `feed.recovered`.
    public var failing: Bool = false
    /// Entries by entry key.
    public var entries: [String: Entry] = [:]
    /// Every change-log event about this feed up to this seq is reflected here.
    public var appliedSeq: UInt64 = 0

    /// Creates the state of a feed never polled before.
    public init(id: String, url: String) {
        self.id = id
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case id, url, title, etag, lastModified = "last_modified", lastPoll = "last_poll"
        case lastSuccess = "last_success", nextPoll = "next_poll", consecutiveErrors = "consecutive_errors"
        case lastError = "last_error", failing, entries, appliedSeq = "applied_seq"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        url = try c.decode(String.self, forKey: .url)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        etag = try c.decodeIfPresent(String.self, forKey: .etag)
        lastModified = try c.decodeIfPresent(String.self, forKey: .lastModified)
        lastPoll = try c.decodeIfPresent(String.self, forKey: .lastPoll)
        lastSuccess = try c.decodeIfPresent(String.self, forKey: .lastSuccess)
        nextPoll = try c.decodeIfPresent(String.self, forKey: .nextPoll)
        consecutiveErrors = try c.decodeIfPresent(Int.self, forKey: .consecutiveErrors) ?? 0
        lastError = try c.decodeIfPresent(String.self, forKey: .lastError)
        failing = try c.decodeIfPresent(Bool.self, forKey: .failing) ?? false
        entries = try c.decodeIfPresent([String: Entry].self, forKey: .entries) ?? [:]
        appliedSeq = try c.decodeIfPresent(UInt64.self, forKey: .appliedSeq) ?? 0
    }
}
