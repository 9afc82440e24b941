import Foundation
import HeraldStore

/// Herald's validated configuration, read from a YAML file (default `config/herald.yaml`).
public struct HeraldConfig: Sendable, Equatable {
    /// One feed to poll.
    public struct FeedConfig: Sendable, Equatable {
        /// Stable identifier, used in state file names and events (`[a-z0-9._-]`).
        public var id: String
        /// Absolute URL: http(s), or file:// for local sources written in the config.
        public var url: String
        /// A fixed poll interval for this feed (no adaptation); nil: adaptive, starting from the default interval.
        public var interval: Duration?
        /// Bounds of the adaptive interval for this feed; nil: the global `min_interval` / `max_interval`.
        public var minInterval: Duration? = nil
        public var maxInterval: Duration? = nil
        /// Entries whose pages are fetched on the feed's first poll; nil: the global `backlog`.
        public var backlog: Int? = nil
        /// Free-form labels copied into article records.
        public var tags: [String]
        /// Line of the feed in the config file (for messages).
        public var line: Int

        public init(
            id: String, url: String, interval: Duration? = nil, minInterval: Duration? = nil,
            maxInterval: Duration? = nil, backlog: Int? = nil, tags: [String] = [], line: Int = 0
        ) {
            self.id = id
            self.url = url
            self.interval = interval
            self.minInterval = minInterval
            self.maxInterval = maxInterval
            self.backlog = backlog
            self.tags = tags
            self.line = line
        }

        /// Whether `other` is the same feed with the same settings; where it stands in the file does not count.
        public func sameSchedule(as other: FeedConfig) -> Bool {
            var a = self
            a.line = other.line
            return a == other
        }
    }

    /// Limits applied to fetching and parsing.
    public struct Limits: Sendable, Equatable {
        /// Cap on decoded bytes of one response.
        public var maxBodyBytes: Int = 15 * 1024 * 1024
        /// Most entries taken from one feed document.
        public var maxEntriesPerFeed: Int = 1000
        /// Concurrent transfers per host.
        public var perHostConnections: Int = 4
        /// Feeds polled at the same time (each host still gets at most `perHostConnections` of them).
        public var concurrentFeeds: Int = 16
        /// Article pages fetched at the same time within one feed poll.
        public var concurrentPages: Int = 4
        /// TCP/TLS connect timeout.
        public var connectTimeout: Duration = .seconds(10)
        /// Timeout for a whole transfer.
        public var totalTimeout: Duration = .seconds(30)
        /// Redirects followed at most.
        public var maxRedirects: Int = 5
        /// Longest wait between polls of a feed failing for reasons that pass (timeouts, 5xx, 429).
        public var maxBackoff: Duration = .seconds(6 * 3600)
        /// Longest wait between polls of a feed failing for reasons that look permanent (404, not a feed, DNS for
        /// a day); such a feed is still polled at this interval, never dropped.
        public var permanentMaxBackoff: Duration = .seconds(86_400)
        /// The longest one feed or page may take to parse and extract; past it the document fails.
        public var parseTimeout: Duration = .seconds(10)
        /// Least time between the starts of two page requests to one host.
        public var perHostDelay: Duration = .seconds(1)
        /// Least time between the starts of two feed requests to one host (0: only the connection limit).
        public var perHostFeedDelay: Duration = .zero
    }

    /// How the change log is written, rotated and retained.
    public struct LogSettings: Sendable, Equatable {
        /// Start a new segment past this size.
        public var segmentMaxBytes: Int = 64 << 20
        /// Start a new segment when the active one is this old.
        public var segmentMaxAge: Duration = .seconds(86_400)
        /// Longest time the writer waits to gather events into one fsync.
        public var commitDelay: Duration = .milliseconds(2)
        /// Keep at most this many segments (nil: all).
        public var retainSegments: Int?
        /// Delete segments older than this (nil: never).
        public var retainAge: Duration?
    }

    /// Change-log settings.
    public var log = LogSettings()

    /// Near-duplicate detection across outlets (MinHash over word shingles).
    public struct NearDuplicateSettings: Sendable, Equatable {
        /// Whether articles are compared with earlier ones at all.
        public var enabled = true
        /// Estimated Jaccard similarity of 5-word shingles at or above which an article is a near-duplicate.
        public var threshold = 0.5
        /// Texts shorter than this many words are not compared (their sketches are too noisy).
        public var minimumWords = 40
    }

    /// Near-duplicate settings.
    public var nearDuplicates = NearDuplicateSettings()

    /// Directory holding state files and the change log.
    public var stateDirectory: String = "state"
    /// Contact put into the User-Agent (a URL or mailto:).
    public var contact: String?
    /// Explicit User-Agent; when nil one is built from the version and `contact`.
    public var userAgentOverride: String?
    /// The interval of a feed before Herald has learned how often it publishes.
    public var interval: Duration = .seconds(15 * 60)
    /// Bounds of the adaptive interval (each feed may override them).
    public var minInterval: Duration = .seconds(5 * 60)
    public var maxInterval: Duration = .seconds(86_400)
    /// First polls (new feeds, and feeds overdue at start) are spread over this much time per 1,000 feeds.
    public var firstPollSpread: Duration = .seconds(60)
    /// On a feed's first poll only this many of its newest entries get their pages fetched; older ones are
    /// remembered as seen.
    public var backlog: Int = 20
    /// Every feed is fetched without validators at least this often (0: never), to catch lying 304s.
    public var unconditionalEvery: Duration = .seconds(86_400)
    /// Fetch article pages only where the host's robots.txt allows Herald.
    public var robots: Bool = true
    /// Attempts at a page that failed (its article keeps the feed's text meanwhile), and the first wait.
    public var pageRetries: Int = 4
    public var pageRetryDelay: Duration = .seconds(10 * 60)
    /// Entries that left their feed are kept as compact tombstones (key hash and article id) this long.
    public var entryRetention: Duration = .seconds(180 * 86_400)
    /// Fraction of the interval added or removed at random (0...0.5).
    public var jitter: Double = 0.1
    /// Fetch pages that resolve to loopback, private or link-local addresses.
    public var allowPrivateNetworks: Bool = false
    /// Log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String = "info"
    /// Limits.
    public var limits = Limits()
    /// The feeds.
    public var feeds: [FeedConfig] = []
    /// Where the configuration was read from (absolute path), if from a file.
    public var sourcePath: String?

    /// The User-Agent sent with every request.
    public var userAgent: String {
        if let userAgentOverride { return userAgentOverride }
        let contactPart = contact.map { " (+\($0))" } ?? ""
        return "Herald/\(HeraldVersion.current)\(contactPart)"
    }

    /// Options for `ChangeLog.open`.
    public var changeLogOptions: ChangeLogOptions {
        var options = ChangeLogOptions()
        options.segmentMaxBytes = log.segmentMaxBytes
        options.segmentMaxAge = log.segmentMaxAge
        options.commitDelay = log.commitDelay
        options.retainSegments = log.retainSegments
        options.retainAge = log.retainAge
        return options
    }

    /// The poll interval of a feed.
    public func interval(of feed: FeedConfig) -> Duration { feed.interval ?? interval }

    public init() {}
}

/// Herald's version string.
public enum HeraldVersion {
    /// The version of this build.
    public static let current = "0.1.0"
}
