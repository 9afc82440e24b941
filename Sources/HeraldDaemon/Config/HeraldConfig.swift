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
        /// Poll interval for this feed; nil means the default interval.
        public var interval: Duration?
        /// Free-form labels copied into article records.
        public var tags: [String]
        /// Line of the feed in the config file (for messages).
        public var line: Int
    }

    /// Limits applied to fetching and parsing.
    public struct Limits: Sendable, Equatable {
        /// Cap on decoded bytes of one response.
        public var maxBodyBytes: Int = 15 * 1024 * 1024
        /// Most entries taken from one feed document.
        public var maxEntriesPerFeed: Int = 1000
        /// Concurrent transfers per host.
        public var perHostConnections: Int = 4
        /// Feeds polled at the same time.
        public var concurrentFeeds: Int = 8
        /// Article pages fetched at the same time within one feed poll.
        public var concurrentPages: Int = 4
        /// TCP/TLS connect timeout.
        public var connectTimeout: Duration = .seconds(10)
        /// Timeout for a whole transfer.
        public var totalTimeout: Duration = .seconds(30)
        /// Redirects followed at most.
        public var maxRedirects: Int = 5
        /// Longest wait between polls of a failing feed.
        public var maxBackoff: Duration = .seconds(6 * 3600)
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
    /// Default poll interval.
    public var interval: Duration = .seconds(15 * 60)
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
