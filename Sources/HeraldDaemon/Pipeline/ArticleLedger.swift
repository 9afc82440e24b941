import Foundation
import HeraldSimilarity
import HeraldStore
import Logging
import Synchronization

/// What happened to one candidate article.
public enum RecordOutcome: Sendable, Equatable {
    case created
    case updated(previousHash: String)
    case duplicate(originalID: String)
    case unchanged
}

/// Event types written by the daemon.
enum EventType {
    static let articleCreated = "herald.article.created"
    static let articleUpdated = "herald.article.updated"
    static let articleDuplicate = "herald.article.duplicate"
    static let feedFailed = "herald.feed.failed"
    static let feedRecovered = "herald.feed.recovered"
    static let reingestStarted = "herald.reingest.started"
    static let reingestCompleted = "herald.reingest.completed"
}

/// The single place that decides what a fetched article means (new, changed, duplicate, unchanged) and records it.
///
/// Order of writes, so that state and log never disagree:
/// 1. the article file is written to `articles/.staging/` (invisible to readers of `articles/`);
/// 2. the event is appended to the change log and made durable (group commit);
/// 3. the staged file is moved to `articles/ab/<hash>.json`, and the feed state is written with `applied_seq`.
/// At start, `recover()` replays every event after the lowest `applied_seq` into the feed states, publishes staged
/// files whose event is durable, and deletes the rest (their event never reached the disk).
///
/// An actor: decisions are taken one at a time against the in-memory state, which is ahead of the disk by at most
/// the events still waiting for their fsync. State is written only once the events it reflects are durable.
actor ArticleLedger {
    struct HashOwner {
        var articleID: String
        var feedID: String
        var entryKey: String
    }

    let store: StateStore
    let changeLog: ChangeLog
    let logger: Logger
    let nearDuplicates: NearDuplicateDetector?
    /// The sketches of original articles (nil when near-duplicate detection is off).
    private var nearIndex: NearDuplicateIndex?
    /// Set while the index is being rebuilt in the background; an incomplete index is never saved.
    private var nearIndexRebuild: (task: Task<Void, Never>, finished: CompletionFlag)?
    private var feeds: [String: FeedState] = [:]
    /// Content hash → the article whose file holds that text.
    private var owners: [String: HashOwner] = [:]
    /// Article id → its current content hash and feed (for near-duplicate originals).
    private var articles: [String: (feedID: String, hash: String)] = [:]

    init(store: StateStore, changeLog: ChangeLog, logger: Logger, nearDuplicates: NearDuplicateDetector? = nil) {
        self.store = store
        self.changeLog = changeLog
        self.logger = logger
        self.nearDuplicates = nearDuplicates
        self.nearIndex = nearDuplicates.map { NearDuplicateIndex(threshold: $0.threshold) }
    }

    // MARK: Recovery

    /// What `recover()` did.
    struct RecoveryReport: Equatable {
        var replayedEvents = 0
        var publishedFiles = 0
        var discardedFiles = 0
        var feeds = 0
        var articles = 0
    }

    /// Loads all feed states, replays the log after what they applied, and settles staged article files.
    /// Call once, before anything else.
    func recover() throws -> RecoveryReport {
        var report = RecoveryReport()
        for state in try store.loadAllFeeds() { feeds[state.id] = state }
        let meta = try store.loadLedgerMeta()
        let reader = ChangeLogReader(stateDirectory: store.directory)
        // Events deleted by retention cannot be replayed; the state already reflected them when they were.
        let start = max(feeds.values.map(\.appliedSeq).reduce(meta.appliedSeq, min), try reader.firstRetainedSeq() - 1)
        var touched = Set<String>()
        if start < changeLog.lastSeq {
            for entry in try reader.read(after: start) {
                guard var event = try? StateJSON.decode(ChangeEvent.self, from: entry.line),
                    !event.type.hasPrefix("herald.log.")
                else { continue }
                event.data = try reader.resolvedData(of: event)
                if let feedID = replay(event) {
                    touched.insert(feedID)
                    report.replayedEvents += 1
                }
                if let hash = event.data["content_hash"]?.stringValue, Self.announcesFile(event),
                    !store.articleExists(hash: hash)
                {
                    if store.stagedArticleExists(hash: hash) {
                        try store.publishStagedArticle(hash: hash)
                        report.publishedFiles += 1
                    } else {
                        logger.error("the article file of event \(event.seq) is missing", metadata: ["hash": "\(hash)"])
                    }
                }
            }
        }
        report.discardedFiles = try store.discardStagedArticles()
        for id in touched.sorted() {
            feeds[id]?.appliedSeq = changeLog.lastSeq
            if let state = feeds[id] { try store.saveFeed(state) }
        }
        try store.saveLedgerMeta(LedgerMeta(appliedSeq: changeLog.lastSeq))
        for state in feeds.values {
            for (key, entry) in state.entries where entry.duplicateOf == nil || entry.similarity != nil {
                owners[entry.contentHash] = HashOwner(articleID: entry.articleID, feedID: state.id, entryKey: key)
                if entry.duplicateOf == nil { articles[entry.articleID] = (state.id, entry.contentHash) }
            }
        }
        recoverNearDuplicateIndex()
        report.feeds = feeds.count
        report.articles = owners.count
        if report.replayedEvents > 0 || report.publishedFiles > 0 || report.discardedFiles > 0 {
            logger.notice(
                "state recovered from the change log",
                metadata: [
                    "replayed": "\(report.replayedEvents)", "published": "\(report.publishedFiles)",
                    "discarded": "\(report.discardedFiles)",
                ])
        }
        return report
    }

    /// Whether an event announces an article file of its own (created, updated, near-duplicate).
    static func announcesFile(_ event: ChangeEvent) -> Bool {
        switch event.type {
        case EventType.articleCreated, EventType.articleUpdated: return true
        case EventType.articleDuplicate: return event.data["kind"]?.stringValue == "near"
        default: return false
        }
    }

    /// Brings the near-duplicate index up to the log: load the saved index and add the articles announced since;
    /// without a usable saved index, rebuild it from the article files in the background.
    private func recoverNearDuplicateIndex() {
        guard let near = nearDuplicates, let index = nearIndex else { return }
        let saved = NearDuplicateFile.load(store, threshold: near.threshold)
        guard let saved else {
            let originals = articles
            let store = self.store
            let logger = self.logger
            guard !originals.isEmpty else { return }
            logger.notice("rebuilding the near-duplicate index in the background", metadata: ["articles": "\(originals.count)"])
            let finished = CompletionFlag()
            let task = Task.detached(priority: .background) {
                for (id, article) in originals {
                    if Task.isCancelled { return }
                    guard let record = try? store.loadArticle(hash: article.hash), let sketch = near.sketch(record.text)
                    else { continue }
                    index.insert(id: id, sketch: sketch)
                }
                finished.set()
                logger.notice("near-duplicate index rebuilt", metadata: ["articles": "\(index.count)"])
            }
            nearIndexRebuild = (task, finished)
            return
        }
        saved.index.reserveCapacity(max(saved.index.count, articles.count) + 1024)
        nearIndex = saved.index
        let reader = ChangeLogReader(stateDirectory: store.directory)
        let from = max(saved.appliedSeq, ((try? reader.firstRetainedSeq()) ?? 1) - 1)
        guard from < changeLog.lastSeq, let entries = try? reader.read(after: from) else { return }
        for entry in entries {
            guard let event = try? StateJSON.decode(ChangeEvent.self, from: entry.line),
                event.type == EventType.articleCreated || event.type == EventType.articleUpdated,
                let id = event.data["article_id"]?.stringValue, let article = articles[id],
                let record = try? store.loadArticle(hash: article.hash), let sketch = near.sketch(record.text)
            else { continue }
            saved.index.insert(id: id, sketch: sketch)
        }
    }

    /// Applies one logged event to the feed states; returns the feed it touched.
    private func replay(_ event: ChangeEvent) -> String? {
        guard let feedID = event.data["feed_id"]?.stringValue else { return nil }
        var state = feeds[feedID] ?? FeedState(id: feedID, url: "")
        guard event.seq > state.appliedSeq else { return nil }
        let key = event.data["entry_key"]?.stringValue
        let hash = event.data["content_hash"]?.stringValue
        let fingerprint = event.data["fingerprint"]?.stringValue
        switch event.type {
        case EventType.articleCreated, EventType.articleDuplicate:
            guard let key, let hash, let articleID = event.data["article_id"]?.stringValue else { return nil }
            let original = event.type == EventType.articleDuplicate ? event.data["original_id"]?.stringValue : nil
            let similarity = event.data["kind"]?.stringValue == "near" ? event.data["similarity"]?.doubleValue : nil
            state.entries[key] = FeedState.Entry(
                articleID: articleID, contentHash: hash, url: event.data["url"]?.stringValue, firstSeen: event.time,
                duplicateOf: original, similarity: similarity, fingerprint: fingerprint)
        case EventType.articleUpdated:
            guard let key, let hash else { return nil }
            state.entries[key]?.contentHash = hash
            state.entries[key]?.fingerprint = fingerprint
        case EventType.feedFailed:
            state.failing = true
            state.lastError = event.data["reason"]?.stringValue
            state.consecutiveErrors = Int(event.data["consecutive_errors"]?.intValue ?? Int64(state.consecutiveErrors))
        case EventType.feedRecovered:
            state.failing = false
            state.consecutiveErrors = 0
        default:
            return nil
        }
        state.appliedSeq = event.seq
        feeds[feedID] = state
        return feedID
    }

    // MARK: Queries

    /// The state of a feed.
    func feedState(id: String, url: String) throws -> FeedState {
        if let cached = feeds[id] {
            if cached.url != url { feeds[id]?.url = url }
            return feeds[id]!
        }
        let state = FeedState(id: id, url: url)
        feeds[id] = state
        return state
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

    /// Number of feeds currently failing among `ids`.
    func failingCount(of ids: [String]) -> Int {
        ids.filter { feeds[$0]?.failing == true }.count
    }

    // MARK: Recording

    /// Appends one event and waits until it is durable.
    @discardableResult
    func emit(_ type: String, subject: String, data: JSONValue) async throws -> ChangeEvent {
        try await changeLog.append([PendingEvent(type: type, subject: subject, data: data)])[0]
    }

    /// Records a batch of fetched and extracted articles (one feed poll): one group of events, one wait for the
    /// log, then files and feed state.
    func record(_ candidates: [ArticleCandidate]) async throws -> [RecordOutcome] {
        var outcomes: [RecordOutcome] = []
        var pending: [PendingEvent] = []
        var toPublish: [String] = []
        var touched = Set<String>()
        for candidate in candidates {
            let (outcome, event, publish) = try decide(candidate)
            outcomes.append(outcome)
            if let event { pending.append(event) }
            if let publish { toPublish.append(publish) }
            touched.insert(candidate.feedID)
        }
        if !pending.isEmpty {
            let events = try changeLog.enqueue(pending)
            let last = events.last!.seq
            for id in touched {
                let applied = max(feeds[id]?.appliedSeq ?? 0, last)
                feeds[id]?.appliedSeq = applied
            }
            try await changeLog.waitDurable(through: last)
            for hash in toPublish where store.stagedArticleExists(hash: hash) {
                try store.publishStagedArticle(hash: hash)
            }
        }
        for id in touched.sorted() { try await saveDurably(id) }
        return outcomes
    }

    /// Takes the decision for one candidate against the in-memory state and updates it; stages the article file.
    private func decide(_ candidate: ArticleCandidate) throws -> (RecordOutcome, PendingEvent?, String?) {
        let feedID = candidate.feedID
        if feeds[feedID] == nil { feeds[feedID] = FeedState(id: feedID, url: candidate.feedURL) }
        let hash = candidate.record.contentHash
        let path = StateStore.articleRelativePath(hash: hash)
        var data = candidate.eventData(path: path)

        if let known = feeds[feedID]!.entries[candidate.entryKey] {
            if known.contentHash == hash {
                if known.fingerprint != candidate.fingerprint {
                    feeds[feedID]!.entries[candidate.entryKey]!.fingerprint = candidate.fingerprint
                }
                return (.unchanged, nil, nil)
            }
            // The same entry now has other text: an update.
            data["article_id"] = .string(known.articleID)
            data["previous_hash"] = .string(known.contentHash)
            data["previous_path"] = .string(StateStore.articleRelativePath(hash: known.contentHash))
            var publish: String? = nil
            if owners[hash] == nil && !store.articleExists(hash: hash) {
                var record = candidate.record
                record.id = known.articleID
                record.previousHash = known.contentHash
                try store.stageArticle(record)
                owners[hash] = HashOwner(articleID: known.articleID, feedID: feedID, entryKey: candidate.entryKey)
                publish = hash
            }
            feeds[feedID]!.entries[candidate.entryKey]!.contentHash = hash
            feeds[feedID]!.entries[candidate.entryKey]!.fingerprint = candidate.fingerprint
            if known.duplicateOf == nil {
                articles[known.articleID] = (feedID, hash)
                if let near = nearDuplicates, let sketch = near.sketch(candidate.record.text) {
                    nearIndex?.insert(id: known.articleID, sketch: sketch)
                }
            }
            let event = PendingEvent(type: EventType.articleUpdated, subject: "articles/\(known.articleID)", data: .object(data))
            return (.updated(previousHash: known.contentHash), event, publish)
        }

        let original: HashOwner? = owners[hash] ?? existingOwner(hash: hash)
        if let original {
            data["kind"] = "exact"
            data["similarity"] = 1.0
            data["original_id"] = .string(original.articleID)
            data["original_feed_id"] = .string(original.feedID)
            data["original_path"] = .string(path)
            feeds[feedID]!.entries[candidate.entryKey] = FeedState.Entry(
                articleID: candidate.record.id, contentHash: hash, url: candidate.record.url,
                firstSeen: candidate.record.fetchedAt, duplicateOf: original.articleID, fingerprint: candidate.fingerprint)
            let event = PendingEvent(
                type: EventType.articleDuplicate, subject: "articles/\(candidate.record.id)", data: .object(data))
            return (.duplicate(originalID: original.articleID), event, nil)
        }

        let sketch = nearDuplicates?.sketch(candidate.record.text)
        if let sketch, let match = nearIndex?.bestMatch(for: sketch, excluding: candidate.record.id),
            let original = articles[match.id]
        {
            // The same story, slightly changed: keep this copy's own text, and say whose copy it is.
            data["kind"] = "near"
            data["similarity"] = .double((match.similarity * 1000).rounded() / 1000)
            data["original_id"] = .string(match.id)
            data["original_feed_id"] = .string(original.feedID)
            data["original_path"] = .string(StateStore.articleRelativePath(hash: original.hash))
            try store.stageArticle(candidate.record)
            owners[hash] = HashOwner(articleID: candidate.record.id, feedID: feedID, entryKey: candidate.entryKey)
            feeds[feedID]!.entries[candidate.entryKey] = FeedState.Entry(
                articleID: candidate.record.id, contentHash: hash, url: candidate.record.url,
                firstSeen: candidate.record.fetchedAt, duplicateOf: match.id, similarity: match.similarity,
                fingerprint: candidate.fingerprint)
            let event = PendingEvent(
                type: EventType.articleDuplicate, subject: "articles/\(candidate.record.id)", data: .object(data))
            return (.duplicate(originalID: match.id), event, hash)
        }

        try store.stageArticle(candidate.record)
        owners[hash] = HashOwner(articleID: candidate.record.id, feedID: feedID, entryKey: candidate.entryKey)
        articles[candidate.record.id] = (feedID, hash)
        if let sketch { nearIndex?.insert(id: candidate.record.id, sketch: sketch) }
        feeds[feedID]!.entries[candidate.entryKey] = FeedState.Entry(
            articleID: candidate.record.id, contentHash: hash, url: candidate.record.url,
            firstSeen: candidate.record.fetchedAt, duplicateOf: nil, fingerprint: candidate.fingerprint)
        let event = PendingEvent(type: EventType.articleCreated, subject: "articles/\(candidate.record.id)", data: .object(data))
        return (.created, event, hash)
    }

    /// An article file published earlier under an older text of an updated article: still an original.
    private func existingOwner(hash: String) -> HashOwner? {
        guard let record = try? store.loadArticle(hash: hash) else { return nil }
        let owner = HashOwner(articleID: record.id, feedID: record.feedID, entryKey: record.entryKey)
        owners[hash] = owner
        return owner
    }

    /// Writes a feed's state once every event it reflects is durable.
    private func saveDurably(_ id: String) async throws {
        while let state = feeds[id] {
            let durable = changeLog.durableSeq
            if durable >= state.appliedSeq {
                // Every event about this feed is durable and reflected in memory, so the file may claim all of
                // them: recovery then starts from here instead of the beginning of the log.
                feeds[id]!.appliedSeq = durable
                try store.saveFeed(feeds[id]!)
                return
            }
            try await changeLog.waitDurable(through: state.appliedSeq)
        }
    }

    /// Records a successful poll; emits `herald.feed.recovered` when the feed was failing.
    func recordSuccess(
        feedID: String, url: String, title: String?, etag: String?, lastModified: String?, polledAt: Date,
        nextPoll: Date
    ) async throws {
        var feed = try feedState(id: feedID, url: url)
        if feed.failing {
            let event = try changeLog.enqueue([
                PendingEvent(
                    type: EventType.feedRecovered, subject: "feeds/\(feedID)",
                    data: [
                        "feed_id": .string(feedID), "url": .string(url),
                        "failed_polls": .int(Int64(feed.consecutiveErrors)),
                        "last_error": feed.lastError.map(JSONValue.string) ?? .null,
                    ])
            ])[0]
            feed.appliedSeq = event.seq
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
        feeds[feedID] = feed
        try await saveDurably(feedID)
    }

    /// Records a failed poll; emits `herald.feed.failed` when the feed starts failing or the reason changes.
    func recordFailure(feedID: String, url: String, reason: String, polledAt: Date, nextPoll: Date) async throws {
        var feed = try feedState(id: feedID, url: url)
        feed.consecutiveErrors += 1
        let changed = !feed.failing || feed.lastError != reason
        feed.failing = true
        feed.lastError = reason
        feed.lastPoll = Timestamp.string(polledAt)
        feed.nextPoll = Timestamp.string(nextPoll)
        if changed {
            let event = try changeLog.enqueue([
                PendingEvent(
                    type: EventType.feedFailed, subject: "feeds/\(feedID)",
                    data: [
                        "feed_id": .string(feedID), "url": .string(url), "reason": .string(reason),
                        "consecutive_errors": .int(Int64(feed.consecutiveErrors)),
                        "next_poll": .string(feed.nextPoll ?? ""),
                    ])
            ])[0]
            feed.appliedSeq = event.seq
        }
        feeds[feedID] = feed
        try await saveDurably(feedID)
    }

    /// Writes the global applied seq and the near-duplicate index (at clean shutdown), so the next start replays
    /// nothing.
    func checkpoint() throws {
        let durable = changeLog.durableSeq
        if let nearIndex {
            if let rebuild = nearIndexRebuild, !rebuild.finished.isSet {
                // Half an index saved as complete would hide the rest for good: leave it to the next start.
                rebuild.task.cancel()
            } else {
                try NearDuplicateFile.save(nearIndex, appliedSeq: durable, to: store)
            }
        }
        try store.saveLedgerMeta(LedgerMeta(appliedSeq: durable))
    }
}

/// A flag one task sets and others read.
final class CompletionFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }

    var isSet: Bool { value.load(ordering: .acquiring) }
}
