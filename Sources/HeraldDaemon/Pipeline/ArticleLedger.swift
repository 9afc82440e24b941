import Foundation
import HeraldStore
import Logging

/// What happened to one candidate article.
public enum RecordOutcome: Sendable, Equatable {
    case created
    case updated(previousHash: String)
    case duplicate(originalID: String)
    case unchanged
}

/// The single place that decides what a fetched article means (new, changed, duplicate, unchanged) and records
/// it: first the change-log event (appended and fsynced), then the article file, then the feed state.
///
/// An actor, so decisions about one content hash are never taken twice at once.
actor ArticleLedger {
    let store: StateStore
    let changeLog: ChangeLog
    let logger: Logger
    private var feeds: [String: FeedState] = [:]

    init(store: StateStore, changeLog: ChangeLog, logger: Logger) {
        self.store = store
        self.changeLog = changeLog
        self.logger = logger
    }

    /// The state of a feed, loaded once from disk.
    func feedState(id: String, url: String) throws -> FeedState {
        if let cached = feeds[id] { return cached }
        var state = try store.loadFeed(id) ?? FeedState(id: id, url: url)
        state.url = url
        feeds[id] = state
        return state
    }

    private func save(_ state: FeedState) throws {
        try store.saveFeed(state)
        feeds[state.id] = state
    }

    @discardableResult
    func emit(_ type: String, subject: String, data: JSONValue) throws -> ChangeEvent {
        let events = try changeLog.append([PendingEvent(type: type, subject: subject, data: data)])
        return events[0]
    }

    /// Records a fetched and extracted article.
    func record(_ candidate: ArticleCandidate) throws -> RecordOutcome {
        var feed = try feedState(id: candidate.feedID, url: candidate.feedURL)
        let hash = candidate.record.contentHash
        let path = StateStore.articleRelativePath(hash: hash)
        var data = candidate.eventData(path: path)

        if let known = feed.entries[candidate.entryKey] {
            if known.contentHash == hash {
                if known.fingerprint != candidate.fingerprint {
                    feed.entries[candidate.entryKey]?.fingerprint = candidate.fingerprint
                    try save(feed)
                }
                return .unchanged
            }
            // The same entry now has other text: an update.
            data["previous_hash"] = .string(known.contentHash)
            data["previous_path"] = .string(StateStore.articleRelativePath(hash: known.contentHash))
            try emit("article.updated", subject: "articles/\(known.articleID)", data: .object(data))
            if !store.articleExists(hash: hash) {
                var record = candidate.record
                record.id = known.articleID
                record.previousHash = known.contentHash
                try store.saveArticle(record)
            }
            feed.entries[candidate.entryKey]?.contentHash = hash
            feed.entries[candidate.entryKey]?.fingerprint = candidate.fingerprint
            try save(feed)
            return .updated(previousHash: known.contentHash)
        }

        if let existing = try store.loadArticle(hash: hash) {
            let entry = FeedState.Entry(
                articleID: existing.id == candidate.record.id ? existing.id : candidate.record.id, contentHash: hash,
                url: candidate.record.url, firstSeen: candidate.record.fetchedAt,
                duplicateOf: existing.id == candidate.record.id ? nil : existing.id, fingerprint: candidate.fingerprint)
            if existing.feedID == candidate.feedID && existing.entryKey == candidate.entryKey {
                // Our own article, written before a crash cut the feed-state write short: index it, say nothing twice.
                feed.entries[candidate.entryKey] = entry
                try save(feed)
                return .unchanged
            }
            data["kind"] = "exact"
            data["original_id"] = .string(existing.id)
            data["original_feed_id"] = .string(existing.feedID)
            data["original_path"] = .string(path)
            data["similarity"] = 1.0
            try emit("article.duplicate", subject: "articles/\(candidate.record.id)", data: .object(data))
            feed.entries[candidate.entryKey] = entry
            try save(feed)
            return .duplicate(originalID: existing.id)
        }

        try emit("article.created", subject: "articles/\(candidate.record.id)", data: .object(data))
        try store.saveArticle(candidate.record)
        feed.entries[candidate.entryKey] = FeedState.Entry(
            articleID: candidate.record.id, contentHash: hash, url: candidate.record.url,
            firstSeen: candidate.record.fetchedAt, duplicateOf: nil, fingerprint: candidate.fingerprint)
        try save(feed)
        return .created
    }

    /// Records a successful poll; emits `feed.recovered` when the feed was failing.
    func recordSuccess(
        feedID: String, url: String, title: String?, etag: String?, lastModified: String?, polledAt: Date,
        nextPoll: Date
    ) throws {
        var feed = try feedState(id: feedID, url: url)
        if feed.failing {
            try emit(
                "feed.recovered", subject: "feeds/\(feedID)",
                data: [
                    "feed_id": .string(feedID), "url": .string(url), "failed_polls": .int(Int64(feed.consecutiveErrors)),
                    "last_error": feed.lastError.map(JSONValue.string) ?? .null,
                ])
            logger.notice("feed recovered", metadata: ["feed": "\(feedID)", "failed_polls": "\(feed.consecutiveErrors)"])
        }
        feed.failing = false
        feed.consecutiveErrors = 0
        if let title { feed.title = title }
        if let etag { feed.etag = etag }
        if let lastModified { feed.lastModified = lastModified }
        feed.lastPoll = Timestamp.string(polledAt)
        feed.lastSuccess = Timestamp.string(Date())
        feed.nextPoll = Timestamp.string(nextPoll)
        try save(feed)
    }

    /// Records a failed poll; emits `feed.failed` when the feed starts failing or the reason changes.
    func recordFailure(feedID: String, url: String, reason: String, polledAt: Date, nextPoll: Date) throws {
        var feed = try feedState(id: feedID, url: url)
        feed.consecutiveErrors += 1
        let changed = !feed.failing || feed.lastError != reason
        feed.failing = true
        feed.lastError = reason
        feed.lastPoll = Timestamp.string(polledAt)
        feed.nextPoll = Timestamp.string(nextPoll)
        if changed {
            try emit(
                "feed.failed", subject: "feeds/\(feedID)",
                data: [
                    "feed_id": .string(feedID), "url": .string(url), "reason": .string(reason),
                    "consecutive_errors": .int(Int64(feed.consecutiveErrors)),
                    "next_poll": .string(feed.nextPoll ?? ""),
                ])
        }
        try save(feed)
    }

    /// Consecutive failures of a feed (for backoff).
    func consecutiveErrors(feedID: String, url: String) throws -> Int {
        try feedState(id: feedID, url: url).consecutiveErrors
    }

    /// Entries of all feeds whose link is `url`.
    func entries(withURL url: String) -> [(feedID: String, key: String)] {
        var found: [(String, String)] = []
        for (id, state) in feeds {
            for (key, entry) in state.entries where entry.url == url { found.append((id, key)) }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// Loads every feed state on disk into memory.
    func loadAll() throws {
        for state in try store.loadAllFeeds() where feeds[state.id] == nil {
            feeds[state.id] = state
        }
    }
}
