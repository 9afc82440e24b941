import Foundation

/// When and how one feed is polled: validators, the URL in use, the current interval and why, errors and the
/// server's requests. Small on purpose: it is rewritten after every poll, 304s included, while the feed's entries
/// (``FeedState``) are written only when they change.
///
/// Stored as one JSON line per change in `<state>/schedule.ndjson` (see ``ScheduleJournal``).
public struct FeedSchedule: Codable, Sendable, Equatable {
    /// Feed id from the configuration.
    public var id: String
    /// The URL the configuration gave when this record was last touched (a change resets `currentURL`).
    public var configuredURL: String
    /// The URL polled now, when a permanent redirect (301/308) moved the feed; nil: the configured URL.
    public var movedTo: String?
    /// ETag and Last-Modified of the last 200 response.
    public var etag: String?
    public var lastModified: String?
    /// False once an unconditional fetch showed that the server's 304s (or unchanged ETag) hid new entries; the
    /// feed is then always fetched without validators.
    public var validatorsTrusted = true
    /// Why the validators are not trusted (for `herald status`).
    public var validatorsNote: String?
    /// Start of the last poll, of the last successful one, of the last one sent without validators.
    public var lastPoll: Date?
    public var lastSuccess: Date?
    public var lastUnconditional: Date?
    /// When the server last answered 304.
    public var lastNotModified: Date?
    /// The HTTP status of the last response (304 included), nil after a network failure.
    public var lastStatus: Int?
    /// When the next poll is due.
    public var nextPoll: Date?
    /// The current interval in seconds and why it has that value.
    public var interval: Double
    public var intervalReason: String
    /// The floor the feed or the server asked for (ttl, sy:updatePeriod, Cache-Control, Expires), seconds.
    public var requestedInterval: Double?
    public var requestedBy: String?
    /// Retry-After: never poll before this instant.
    public var notBefore: Date?
    /// Failed polls in a row, since when, and the last failure.
    public var consecutiveErrors = 0
    public var failingSince: Date?
    public var lastError: String?
    public var lastReasonCode: String?
    /// True between `feed.failed` and `feed.recovered`.
    public var failing = false
    /// Set by 410 Gone: the feed is not polled until its URL changes or `reingest --feed` asks for it.
    public var gone = false
    /// First-seen instants (seconds since 1970) of the feed's most recent new entries, newest last, bounded.
    public var arrivals: [Double] = []
    /// When the feed last brought a new article.
    public var lastNewArticle: Date?
    /// Bumped at every change; a journal line older than the record in memory is ignored.
    public var revision: UInt64 = 0
    /// Every feed-level event (failed, recovered, moved, gone) up to this seq is reflected here.
    public var appliedSeq: UInt64 = 0

    /// The most arrivals kept (enough for the adaptive window at the busiest feeds).
    static let maxArrivals = 64

    /// A feed never polled before.
    public init(id: String, configuredURL: String, interval: Double, reason: String) {
        self.id = id
        self.configuredURL = configuredURL
        self.interval = interval
        self.intervalReason = reason
    }

    /// The URL to poll.
    public var pollURL: String { movedTo ?? configuredURL }

    enum CodingKeys: String, CodingKey {
        case id, configuredURL = "configured_url", movedTo = "moved_to", etag, lastModified = "last_modified"
        case validatorsTrusted = "validators_trusted", validatorsNote = "validators_note", lastPoll = "last_poll"
        case lastSuccess = "last_success", lastUnconditional = "last_unconditional"
        case lastNotModified = "last_not_modified", lastStatus = "last_status", nextPoll = "next_poll", interval
        case intervalReason = "interval_reason", requestedInterval = "requested_interval"
        case requestedBy = "requested_by", notBefore = "not_before", consecutiveErrors = "consecutive_errors"
        case failingSince = "failing_since", lastError = "last_error", lastReasonCode = "reason_code", failing, gone
        case arrivals, lastNewArticle = "last_new_article", revision, appliedSeq = "applied_seq"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        configuredURL = try c.decode(String.self, forKey: .configuredURL)
        movedTo = try c.decodeIfPresent(String.self, forKey: .movedTo)
        etag = try c.decodeIfPresent(String.self, forKey: .etag)
        lastModified = try c.decodeIfPresent(String.self, forKey: .lastModified)
        validatorsTrusted = try c.decodeIfPresent(Bool.self, forKey: .validatorsTrusted) ?? true
        validatorsNote = try c.decodeIfPresent(String.self, forKey: .validatorsNote)
        lastPoll = try c.decodeIfPresent(Date.self, forKey: .lastPoll)
        lastSuccess = try c.decodeIfPresent(Date.self, forKey: .lastSuccess)
        lastUnconditional = try c.decodeIfPresent(Date.self, forKey: .lastUnconditional)
        lastNotModified = try c.decodeIfPresent(Date.self, forKey: .lastNotModified)
        lastStatus = try c.decodeIfPresent(Int.self, forKey: .lastStatus)
        nextPoll = try c.decodeIfPresent(Date.self, forKey: .nextPoll)
        interval = try c.decodeIfPresent(Double.self, forKey: .interval) ?? 900
        intervalReason = try c.decodeIfPresent(String.self, forKey: .intervalReason) ?? ""
        requestedInterval = try c.decodeIfPresent(Double.self, forKey: .requestedInterval)
        requestedBy = try c.decodeIfPresent(String.self, forKey: .requestedBy)
        notBefore = try c.decodeIfPresent(Date.self, forKey: .notBefore)
        consecutiveErrors = try c.decodeIfPresent(Int.self, forKey: .consecutiveErrors) ?? 0
        failingSince = try c.decodeIfPresent(Date.self, forKey: .failingSince)
        lastError = try c.decodeIfPresent(String.self, forKey: .lastError)
        lastReasonCode = try c.decodeIfPresent(String.self, forKey: .lastReasonCode)
        failing = try c.decodeIfPresent(Bool.self, forKey: .failing) ?? false
        gone = try c.decodeIfPresent(Bool.self, forKey: .gone) ?? false
        arrivals = try c.decodeIfPresent([Double].self, forKey: .arrivals) ?? []
        lastNewArticle = try c.decodeIfPresent(Date.self, forKey: .lastNewArticle)
        revision = try c.decodeIfPresent(UInt64.self, forKey: .revision) ?? 0
        appliedSeq = try c.decodeIfPresent(UInt64.self, forKey: .appliedSeq) ?? 0
    }
}
