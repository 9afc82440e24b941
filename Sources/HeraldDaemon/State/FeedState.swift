import Foundation

/// What Herald remembers about one feed's entries: those in the feed now or lately (in full) and those that left
/// it (as compact tombstones until `entry_retention` runs out), so an entry that comes back is not new.
///
/// Stored as `<state>/feeds/<feed id>.json`, written only when the entries change (never for a 304). How and when
/// the feed is polled lives in ``FeedSchedule``.
public struct FeedState: Codable, Sendable, Equatable {
    /// One entry of the feed that has been ingested (or recognised as a duplicate).
    public struct Entry: Codable, Sendable, Equatable {
        /// Stable article id (see ``ArticleIdentity``).
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
        /// Other URLs of the same article (canonical forms of the link, the final URL of the page, its
        /// `rel=canonical` and `og:url`): another entry reaching one of them is this article.
        public var aliases: [String]?
        /// When the entry was first missing from the feed's document (nil while it is in it).
        public var departed: Date?
        /// A page that failed and will be fetched again.
        public var pageRetry: PageRetry?

        public init(
            articleID: String, contentHash: String, url: String?, firstSeen: String, duplicateOf: String? = nil,
            similarity: Double? = nil, fingerprint: String? = nil, aliases: [String]? = nil
        ) {
            self.articleID = articleID
            self.contentHash = contentHash
            self.url = url
            self.firstSeen = firstSeen
            self.duplicateOf = duplicateOf
            self.similarity = similarity
            self.fingerprint = fingerprint
            self.aliases = aliases
        }

        enum CodingKeys: String, CodingKey {
            case articleID = "article_id", contentHash = "content_hash", url, firstSeen = "first_seen"
            case duplicateOf = "duplicate_of", fingerprint, similarity, aliases, departed, pageRetry = "page_retry"
        }
    }

    /// A failed page's next attempt.
    public struct PageRetry: Codable, Sendable, Equatable {
        /// Attempts made so far (the first fetch included).
        public var attempts: Int
        /// When the next attempt is due.
        public var next: Date
        /// Why the last attempt failed.
        public var reason: String
    }

    /// An entry that left the feed: enough to know it is not new if it comes back.
    public struct Tombstone: Codable, Sendable, Equatable {
        /// The article id it had.
        public var articleID: String
        /// When the tombstone is forgotten.
        public var expires: Date

        enum CodingKeys: String, CodingKey {
            case articleID = "article_id", expires
        }
    }

    /// Feed id from the configuration.
    public var id: String
    /// URL polled.
    public var url: String
    /// Title the feed gave itself.
    public var title: String?
    /// Entries by entry key.
    public var entries: [String: Entry] = [:]
    /// Entries that left the feed, by ``FeedState/tombstoneKey(_:)`` of their entry key.
    public var tombstones: [String: Tombstone] = [:]
    /// "link" once the feed's ids proved unstable (entries are then matched by their links first).
    public var identity: String?
    /// Every change-log event about this feed's entries up to this seq is reflected here.
    public var appliedSeq: UInt64 = 0

    /// Schedule fields written by versions before the schedule journal; read once to seed ``FeedSchedule``.
    public var legacy: LegacySchedule?

    /// Poll fields of the old single-file layout.
    public struct LegacySchedule: Sendable, Equatable {
        public var etag: String?
        public var lastModified: String?
        public var lastPoll: String?
        public var lastSuccess: String?
        public var nextPoll: String?
        public var consecutiveErrors: Int
        public var lastError: String?
        public var failing: Bool
    }

    /// Creates the state of a feed never polled before.
    public init(id: String, url: String) {
        self.id = id
        self.url = url
    }

    /// Entries in full kept this long after they left the feed; then they become tombstones.
    static let departedKeptInFull: TimeInterval = 7 * 86_400

    /// The tombstone key of an entry key: 16 hex digits of its SHA-256.
    static func tombstoneKey(_ entryKey: String) -> String {
        String(ArticleIdentity.sha256Hex(entryKey).prefix(16))
    }

    /// Whether an entry key was seen before (in full or as a tombstone).
    func knows(_ key: String) -> Bool {
        entries[key] != nil || tombstones[Self.tombstoneKey(key)] != nil
    }

    enum CodingKeys: String, CodingKey {
        case id, url, title, entries, tombstones, identity, appliedSeq = "applied_seq"
        case etag, lastModified = "last_modified", lastPoll = "last_poll", lastSuccess = "last_success"
        case nextPoll = "next_poll", consecutiveErrors = "consecutive_errors", lastError = "last_error", failing
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        url = try c.decode(String.self, forKey: .url)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        entries = try c.decodeIfPresent([String: Entry].self, forKey: .entries) ?? [:]
        tombstones = try c.decodeIfPresent([String: Tombstone].self, forKey: .tombstones) ?? [:]
        identity = try c.decodeIfPresent(String.self, forKey: .identity)
        appliedSeq = try c.decodeIfPresent(UInt64.self, forKey: .appliedSeq) ?? 0
        let nextPoll = try c.decodeIfPresent(String.self, forKey: .nextPoll)
        let etag = try c.decodeIfPresent(String.self, forKey: .etag)
        let lastPoll = try c.decodeIfPresent(String.self, forKey: .lastPoll)
        if nextPoll != nil || etag != nil || lastPoll != nil {
            legacy = LegacySchedule(
                etag: etag, lastModified: try c.decodeIfPresent(String.self, forKey: .lastModified),
                lastPoll: lastPoll, lastSuccess: try c.decodeIfPresent(String.self, forKey: .lastSuccess),
                nextPoll: nextPoll, consecutiveErrors: try c.decodeIfPresent(Int.self, forKey: .consecutiveErrors) ?? 0,
                lastError: try c.decodeIfPresent(String.self, forKey: .lastError),
                failing: try c.decodeIfPresent(Bool.self, forKey: .failing) ?? false)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(url, forKey: .url)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encode(entries, forKey: .entries)
        if !tombstones.isEmpty { try c.encode(tombstones, forKey: .tombstones) }
        try c.encodeIfPresent(identity, forKey: .identity)
        try c.encode(appliedSeq, forKey: .appliedSeq)
    }
}
