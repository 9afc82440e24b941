import Foundation

/// What one poll (or re-ingest) of a feed did.
public struct PollReport: Sendable, Equatable {
    public var feedID: String
    public var entries = 0
    public var created = 0
    public var updated = 0
    public var duplicates = 0
    public var unchanged = 0
    /// Pages that could not be fetched or extracted (the feed's text was kept).
    public var pageFailures = 0
    /// The server answered 304 Not Modified.
    public var notModified = false
    /// Why the poll failed, if it did, and its `reason_code`.
    public var failure: String?
    public var reasonCode: String?
    /// When the scheduler should come back to the feed (its next poll or an earlier page retry); nil: gone.
    public var nextPoll: Date?
    /// Publication dates of the entries not seen before (nil for undated ones), for the adaptive interval.
    var newEntryDates: [Date?] = []

    public init(feedID: String) {
        self.feedID = feedID
    }

    mutating func add(_ outcome: RecordOutcome) {
        switch outcome {
        case .created: created += 1
        case .updated: updated += 1
        case .duplicate: duplicates += 1
        case .unchanged: unchanged += 1
        }
    }
}

/// Totals over several poll reports (used by re-ingest).
public struct IngestTotals: Sendable, Equatable, Codable {
    public var feeds = 0
    public var failedFeeds = 0
    public var entries = 0
    public var created = 0
    public var updated = 0
    public var duplicates = 0
    public var unchanged = 0
    public var pageFailures = 0

    public init() {}

    mutating func add(_ report: PollReport) {
        feeds += 1
        if report.failure != nil { failedFeeds += 1 }
        entries += report.entries
        created += report.created
        updated += report.updated
        duplicates += report.duplicates
        unchanged += report.unchanged
        pageFailures += report.pageFailures
    }

    enum CodingKeys: String, CodingKey {
        case feeds, failedFeeds = "failed_feeds", entries, created, updated, duplicates, unchanged
        case pageFailures = "page_failures"
    }
}
