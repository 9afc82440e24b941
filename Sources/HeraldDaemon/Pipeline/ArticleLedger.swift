import Foundation
import HeraldFetch
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
    static let feedMoved = "herald.feed.moved"
    static let feedGone = "herald.feed.gone"
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
/// An actor on a thread of its own (``ThreadExecutor``): decisions are taken one at a time against the in-memory
/// state, which is ahead of the disk by at most the events still waiting for their fsync. State is written only
/// once the events it reflects are durable.
actor ArticleLedger {
    /// The ledger's own thread: its decisions and its blocking fsyncs never occupy the cooperative pool.
    private nonisolated let executor = ThreadExecutor(name: "ledger")
    /// The thread a group's syncs run on, so that the ledger answers (schedules, decisions for the next group)
    /// while the disk works.
    private nonisolated let syncThread = BlockingWorkers(count: 1, name: "ledger-sync")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The article whose file holds a text: its id and its feed (interned), in 16 bytes.
    struct HashOwner {
        var article: ArticleRef
        var feed: UInt32
    }

    let store: StateStore
    let changeLog: ChangeLog
    /// Every feed's schedule (validators, intervals, errors), journaled apart from the entries.
    let book: ScheduleBook
    let logger: Logger
    let nearDuplicates: NearDuplicateDetector?
    /// The sketches of original articles (nil when near-duplicate detection is off).
    private var nearIndex: NearDuplicateIndex?
    /// Set while the index is being rebuilt in the background; an incomplete index is never saved.
    private var nearIndexRebuild: (task: Task<Void, Never>, finished: CompletionFlag)?
    /// The entries of the feeds being worked on (loaded from their files on demand, released after each poll):
    /// memory follows the polls in flight, not every entry ever seen.
    private var feeds: [String: FeedState] = [:]
    /// Content hash → the article whose file holds that text (compact: one per stored text).
    private var owners: [HashKey: HashOwner] = [:]
    /// Original article → its feed (for near-duplicate originals; the text's hash is read from the feed's state).
    private var articles: [ArticleRef: UInt32] = [:]
    /// Feed ids, interned.
    private var feedNames = Interner()
    /// The earliest page retry of each feed that has one.
    private var retryIndex: [String: Date] = [:]

    init(
        store: StateStore, changeLog: ChangeLog, book: ScheduleBook, logger: Logger,
        nearDuplicates: NearDuplicateDetector? = nil
    ) {
        self.store = store
        self.changeLog = changeLog
        self.book = book
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
        // `ledger.json` is written at the end of every recovery and at clean shutdown (after every poll has
        // finished and saved): each time, every feed reflects every event up to it. So only later events can be
        // missing from a feed (written to the log before a crash, not yet to the feed's file), and replay starts
        // there; each event is applied only to a feed whose `applied_seq` is older. Events deleted by retention
        // cannot be replayed; the state already reflected them when they were.
        let start = max(meta.appliedSeq, try reader.firstRetainedSeq() - 1)
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
        var referenced = Set<String>()
        for state in feeds.values { for entry in state.entries.values { referenced.insert(entry.contentHash) } }
        let settled = try store.settleStagedArticles(isReferenced: referenced.contains)
        report.discardedFiles = settled.discarded
        report.publishedFiles += settled.published
        for (_, schedule) in replayedSchedules.sorted(by: { $0.key < $1.key }) { try book.update(schedule) }
        replayedSchedules = [:]
        for id in touched.sorted() {
            feeds[id]?.appliedSeq = changeLog.lastSeq
            if let state = feeds[id] { try store.saveFeed(state) }
        }
        try store.saveLedgerMeta(LedgerMeta(appliedSeq: changeLog.lastSeq))
        for state in feeds.values {
            for (_, entry) in state.entries where entry.duplicateOf == nil || entry.similarity != nil {
                setOwner(hash: entry.contentHash, articleID: entry.articleID, feedID: state.id)
                if entry.duplicateOf == nil { setArticle(entry.articleID, feedID: state.id) }
            }
            noteRetries(state)
        }
        recoverNearDuplicateIndex(originals: feeds.values.flatMap { state in
            state.entries.values.filter { $0.duplicateOf == nil }.map { (id: $0.articleID, hash: $0.contentHash) }
        })
        report.feeds = feeds.count
        report.articles = owners.count
        feeds.removeAll()
        aliasIndex.removeAll()
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
    private func recoverNearDuplicateIndex(originals: @autoclosure () -> [(id: String, hash: String)]) {
        guard let near = nearDuplicates, let index = nearIndex else { return }
        let saved = NearDuplicateFile.load(store, threshold: near.threshold)
        guard let saved else {
            let originals = originals()
            let store = self.store
            let logger = self.logger
            guard !originals.isEmpty else { return }
            logger.notice("rebuilding the near-duplicate index in the background", metadata: ["articles": "\(originals.count)"])
            let finished = CompletionFlag()
            let task = Task.detached(priority: .background) {
                for article in originals {
                    if Task.isCancelled { return }
                    guard let record = try? store.loadArticle(hash: article.hash), let sketch = near.sketch(record.text)
                    else { continue }
                    index.insert(id: article.id, sketch: sketch)
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
                let id = event.data["article_id"]?.stringValue, articles[ArticleRef(id)] != nil,
                let hash = event.data["content_hash"]?.stringValue,
                let record = try? store.loadArticle(hash: hash), let sketch = near.sketch(record.text)
            else { continue }
            saved.index.insert(id: id, sketch: sketch)
        }
    }

    /// Applies one logged event to the feed states and schedules; returns the feed it touched.
    private func replay(_ event: ChangeEvent) -> String? {
        guard let feedID = event.data["feed_id"]?.stringValue else { return nil }
        switch event.type {
        case EventType.feedFailed, EventType.feedRecovered, EventType.feedMoved, EventType.feedGone:
            return replaySchedule(event, feedID: feedID) ? feedID : nil
        default:
            break
        }
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
                duplicateOf: original, similarity: similarity, fingerprint: fingerprint,
                aliases: event.data["aliases"]?.arrayValue?.compactMap(\.stringValue))
        case EventType.articleUpdated:
            guard let key, let hash else { return nil }
            state.entries[key]?.contentHash = hash
            state.entries[key]?.fingerprint = fingerprint
            if event.data["source"]?.stringValue == "page" { state.entries[key]?.pageRetry = nil }
        default:
            return nil
        }
        state.appliedSeq = event.seq
        feeds[feedID] = state
        return feedID
    }

    /// Schedules changed by replay, saved once recovery is done.
    private var replayedSchedules: [String: FeedSchedule] = [:]

    /// Applies a feed-level event to the feed's schedule, when the schedule does not reflect it yet.
    private func replaySchedule(_ event: ChangeEvent, feedID: String) -> Bool {
        var schedule = replayedSchedules[feedID] ?? book.record(feedID)
            ?? FeedSchedule(id: feedID, configuredURL: event.data["url"]?.stringValue ?? "", interval: 900, reason: "")
        guard event.seq > schedule.appliedSeq else { return false }
        switch event.type {
        case EventType.feedFailed:
            schedule.failing = true
            schedule.lastError = event.data["reason"]?.stringValue
            schedule.lastReasonCode = event.data["reason_code"]?.stringValue
            schedule.consecutiveErrors = Int(event.data["consecutive_errors"]?.intValue ?? Int64(schedule.consecutiveErrors))
            if let next = event.data["next_poll"]?.stringValue.flatMap(Timestamp.date) { schedule.nextPoll = next }
        case EventType.feedRecovered:
            schedule.failing = false
            schedule.consecutiveErrors = 0
            schedule.failingSince = nil
        case EventType.feedMoved:
            if let to = event.data["to"]?.stringValue { schedule.movedTo = to }
        case EventType.feedGone:
            schedule.gone = true
            schedule.nextPoll = nil
        default:
            return false
        }
        schedule.appliedSeq = event.seq
        schedule.revision += 1
        replayedSchedules[feedID] = schedule
        return true
    }

    // MARK: Queries

    /// The state of a feed.
    func feedState(id: String, url: String) throws -> FeedState {
        if let cached = load(id) {
            if cached.url != url { feeds[id]?.url = url }
            return feeds[id]!
        }
        let state = FeedState(id: id, url: url)
        feeds[id] = state
        return state
    }


    /// The schedule of a feed: the journal's record (reset where the configured URL changed), else one seeded from
    /// a state file of the old layout, else a new one.
    func schedule(for feed: HeraldConfig.FeedConfig, policy: SchedulePolicy) -> FeedSchedule {
        if var s = book.record(feed.id) {
            if s.configuredURL != feed.url {
                // A new URL in the configuration: what was learned about the old one no longer applies.
                s.configuredURL = feed.url
                s.movedTo = nil
                s.etag = nil
                s.lastModified = nil
                s.gone = false
                s.validatorsTrusted = true
                s.validatorsNote = nil
                s.notBefore = nil
            }
            return s
        }
        var s = FeedSchedule(
            id: feed.id, configuredURL: feed.url, interval: policy.pinnedInterval ?? policy.startInterval,
            reason: policy.pinnedInterval == nil ? "starting interval" : "configured interval")
        if let state = feeds[feed.id], let legacy = state.legacy, state.url == feed.url {
            s.etag = legacy.etag
            s.lastModified = legacy.lastModified
            s.lastPoll = Timestamp.date(legacy.lastPoll)
            s.lastSuccess = Timestamp.date(legacy.lastSuccess)
            s.lastUnconditional = s.lastPoll
            s.nextPoll = Timestamp.date(legacy.nextPoll)
            s.consecutiveErrors = legacy.consecutiveErrors
            s.failing = legacy.failing
            s.lastError = legacy.lastError
            if s.failing { s.failingSince = s.lastPoll }
        }
        return s
    }

    /// The saved due time of each feed (nil due: never polled or overdue unknown), and whether it is gone; feeds
    /// whose stored URL differs from the configured one are left out (they start afresh).
    func savedDues(for feeds: [HeraldConfig.FeedConfig]) -> [String: (due: Date?, gone: Bool)] {
        var result: [String: (due: Date?, gone: Bool)] = [:]
        for feed in feeds {
            if let s = book.record(feed.id) {
                guard s.configuredURL == feed.url else { continue }
                let retry = nextRetry(feedID: feed.id)
                let due = [s.gone ? nil : s.nextPoll, retry].compactMap { $0 }.min()
                result[feed.id] = (due, s.gone && retry == nil)
            } else if let state = self.feeds[feed.id], state.url == feed.url, let legacy = state.legacy {
                result[feed.id] = (Timestamp.date(legacy.nextPoll), false)
            }
        }
        return result
    }

    /// Tells new entries of a fetched document from known ones. An entry whose key is unknown but whose link is a
    /// known entry's is that entry (feeds whose ids change on every fetch); once most entries of a document match
    /// that way, the feed's identity is marked `link`.
    func classify(feedID: String, entries: [EntryLookup]) -> [EntryVerdict] {
        guard let state = load(feedID) else {
            return entries.map { EntryVerdict(key: $0.key, isNew: true, changed: false) }
        }
        var verdicts: [EntryVerdict] = []
        verdicts.reserveCapacity(entries.count)
        var claimed = Set<String>()
        var byLink = 0
        for e in entries {
            if let known = state.entries[e.key] {
                claimed.insert(e.key)
                verdicts.append(EntryVerdict(
                    key: e.key, isNew: false, changed: known.fingerprint != nil && known.fingerprint != e.fingerprint))
            } else if state.tombstones[FeedState.tombstoneKey(e.key)] != nil {
                verdicts.append(EntryVerdict(key: e.key, isNew: false, changed: false))
            } else if let link = e.link, let known = aliasIndex[feedID]?[ArticleURL.canonical(link)],
                let entry = state.entries[known], !claimed.contains(known), !entries.contains(where: { $0.key == known })
            {
                claimed.insert(known)
                byLink += 1
                verdicts.append(EntryVerdict(
                    key: known, isNew: false, changed: entry.fingerprint != nil && entry.fingerprint != e.fingerprint))
            } else {
                verdicts.append(EntryVerdict(key: e.key, isNew: true, changed: false))
            }
        }
        if byLink >= 2, byLink * 2 >= entries.count, state.identity != "link" {
            feeds[feedID]!.identity = "link"
            logger.notice(
                "the feed's entry ids change while their links stay; entries are matched by link",
                metadata: ["feed": "\(feedID)", "matched_by_link": "\(byLink)"])
        }
        return verdicts
    }

    /// Whether the feed has never had an entry (its first poll).
    func isNew(feedID: String) -> Bool {
        guard let state = load(feedID) else { return true }
        return state.entries.isEmpty && state.tombstones.isEmpty
    }

    /// The stored article file for a content hash.
    func storedArticle(hash: String) -> ArticleRecord? {
        try? store.loadArticle(hash: hash)
    }

    /// Entries of all feeds whose link is `url`.
    func entries(withURL url: String) -> [(feedID: String, key: String)] {
        var found: [(String, String)] = []
        var all = (try? store.loadAllFeeds()) ?? []
        for (id, state) in feeds { all.removeAll { $0.id == id }; all.append(state) }
        for state in all {
            let id = state.id
            for (key, entry) in state.entries where entry.url == url { found.append((id, key)) }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// Number of feeds currently failing among `ids`.
    func failingCount(of ids: Set<String>) -> Int {
        book.failing().filter(ids.contains).count
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
        try await commit(events: pending, publish: toPublish, feeds: touched)
        return outcomes
    }

    // MARK: Group commit

    /// What the batches decided since the last commit began wait for: their staged files, their events (in the
    /// order they were decided), their feeds' states.
    private struct Group {
        var events: [PendingEvent] = []
        var publish: [String] = []
        var feeds = Set<String>()
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private var nextGroup = Group()
    private var committing = false
    /// Set by a failed commit: state writes never retry, every later commit fails with it.
    private var commitFailure: (any Error)?

    /// Makes a batch durable in the durable order, together with every batch decided while the previous group
    /// was being written: one `syncfs` for the group's staged files, its events appended and synced by the log,
    /// the staged files published, then the group's feed states written (contents, one `syncfs`, renames, one
    /// `syncfs`). While a group waits for the log, the ledger takes further decisions; they form the next group.
    private func commit(events: [PendingEvent], publish: [String], feeds touched: Set<String>) async throws {
        if let commitFailure { throw commitFailure }
        nextGroup.events += events
        nextGroup.publish += publish
        nextGroup.feeds.formUnion(touched)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            nextGroup.waiters.append(continuation)
            if !committing {
                committing = true
                Task { await self.commitGroups() }
            }
        }
    }

    private func commitGroups() async {
        while !nextGroup.waiters.isEmpty {
            let group = nextGroup
            nextGroup = Group()
            do {
                if let commitFailure { throw commitFailure }
                try await write(group)
                for waiter in group.waiters { waiter.resume() }
            } catch {
                if commitFailure == nil { commitFailure = error }
                for waiter in group.waiters { waiter.resume(throwing: error) }
            }
        }
        committing = false
    }

    private func write(_ group: Group) async throws {
        // The staged files are durable, contents and names, before any event names them.
        let store = self.store
        if !group.publish.isEmpty { try await syncThread.run { try store.syncStaging() } }
        if !group.events.isEmpty {
            let written = try changeLog.enqueue(group.events)
            try await changeLog.waitDurable(through: written.last!.seq)
            for hash in group.publish where store.stagedArticleExists(hash: hash) {
                try store.publishStagedArticle(hash: hash, durable: false)
            }
        }
        // Every event about these feeds is durable now and reflected in memory, so their files may claim all of
        // them (recovery then starts from here for them).
        let durable = changeLog.durableSeq
        var states: [FeedState] = []
        for id in group.feeds.sorted() {
            guard var state = feeds[id] else { continue }
            state.appliedSeq = max(state.appliedSeq, durable)
            feeds[id] = state
            states.append(state)
            noteRetries(state)
        }
        let written = states
        try await syncThread.run { try store.saveFeeds(written) }
    }

    /// Takes the decision for one candidate against the in-memory state and updates it; stages the article file.
    private func decide(_ input: ArticleCandidate) throws -> (RecordOutcome, PendingEvent?, String?) {
        var candidate = input
        let feedID = candidate.feedID
        if load(feedID) == nil { feeds[feedID] = FeedState(id: feedID, url: candidate.feedURL) }
        // The page may say that this new entry is an article the feed already has (its final URL, canonical
        // URL or og:url is a known alias): then it is that article.
        if feeds[feedID]!.entries[candidate.entryKey] == nil,
            let known = candidate.aliases.lazy.compactMap({ self.aliasIndex[feedID]?[$0] }).first,
            feeds[feedID]!.entries[known] != nil
        {
            candidate.entryKey = known
            candidate.record.entryKey = known
            candidate.record.id = feeds[feedID]!.entries[known]!.articleID
        }
        let hash = candidate.record.contentHash
        let path = StateStore.articleRelativePath(hash: hash)
        var data = candidate.eventData(path: path)
        defer {
            if var entry = feeds[feedID]!.entries[candidate.entryKey] {
                let merged = Array(Set((entry.aliases ?? []) + candidate.aliases)).sorted()
                entry.aliases = merged.isEmpty ? nil : merged
                entry.pageRetry = candidate.pageRetry
                entry.departed = nil
                feeds[feedID]!.entries[candidate.entryKey] = entry
                for alias in merged { aliasIndex[feedID, default: [:]][alias] = candidate.entryKey }
                if let url = entry.url { aliasIndex[feedID, default: [:]][ArticleURL.canonical(url)] = candidate.entryKey }
            }
        }

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
            if owner(hash) == nil && !store.articleExists(hash: hash) {
                var record = candidate.record
                record.id = known.articleID
                record.previousHash = known.contentHash
                try store.stageArticle(record)
                setOwner(hash: hash, articleID: known.articleID, feedID: feedID)
                publish = hash
            }
            feeds[feedID]!.entries[candidate.entryKey]!.contentHash = hash
            feeds[feedID]!.entries[candidate.entryKey]!.fingerprint = candidate.fingerprint
            if known.duplicateOf == nil {
                setArticle(known.articleID, feedID: feedID)
                if let near = nearDuplicates, let sketch = near.sketch(candidate.record.text) {
                    nearIndex?.insert(id: known.articleID, sketch: sketch)
                }
            }
            let event = PendingEvent(type: EventType.articleUpdated, subject: "articles/\(known.articleID)", data: .object(data))
            return (.updated(previousHash: known.contentHash), event, publish)
        }

        let original: (articleID: String, feedID: String)? = owner(hash) ?? existingOwner(hash: hash)
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
            let original = article(match.id)
        {
            // The same story, slightly changed: keep this copy's own text, and say whose copy it is.
            data["kind"] = "near"
            data["similarity"] = .double((match.similarity * 1000).rounded() / 1000)
            data["original_id"] = .string(match.id)
            data["original_feed_id"] = .string(original.feedID)
            data["original_path"] = .string(StateStore.articleRelativePath(hash: original.hash))
            try store.stageArticle(candidate.record)
            setOwner(hash: hash, articleID: candidate.record.id, feedID: feedID)
            feeds[feedID]!.entries[candidate.entryKey] = FeedState.Entry(
                articleID: candidate.record.id, contentHash: hash, url: candidate.record.url,
                firstSeen: candidate.record.fetchedAt, duplicateOf: match.id, similarity: match.similarity,
                fingerprint: candidate.fingerprint)
            let event = PendingEvent(
                type: EventType.articleDuplicate, subject: "articles/\(candidate.record.id)", data: .object(data))
            return (.duplicate(originalID: match.id), event, hash)
        }

        try store.stageArticle(candidate.record)
        setOwner(hash: hash, articleID: candidate.record.id, feedID: feedID)
        setArticle(candidate.record.id, feedID: feedID)
        if let sketch { nearIndex?.insert(id: candidate.record.id, sketch: sketch) }
        feeds[feedID]!.entries[candidate.entryKey] = FeedState.Entry(
            articleID: candidate.record.id, contentHash: hash, url: candidate.record.url,
            firstSeen: candidate.record.fetchedAt, duplicateOf: nil, fingerprint: candidate.fingerprint)
        let event = PendingEvent(type: EventType.articleCreated, subject: "articles/\(candidate.record.id)", data: .object(data))
        return (.created, event, hash)
    }

    /// An article file published earlier under an older text of an updated article: still an original.
    private func existingOwner(hash: String) -> (articleID: String, feedID: String)? {
        guard let record = try? store.loadArticle(hash: hash) else { return nil }
        setOwner(hash: hash, articleID: record.id, feedID: record.feedID)
        return (record.id, record.feedID)
    }

    private func owner(_ hash: String) -> (articleID: String, feedID: String)? {
        guard let key = HashKey(hex: hash), let owner = owners[key] else { return nil }
        return (owner.article.id, feedNames.string(owner.feed))
    }

    private func setOwner(hash: String, articleID: String, feedID: String) {
        guard let key = HashKey(hex: hash) else { return }  // not a SHA-256: found on disk instead
        owners[key] = HashOwner(article: ArticleRef(articleID), feed: feedNames.number(feedID))
    }

    /// An original article's feed and current content hash (read from the feed's state).
    private func article(_ id: String) -> (feedID: String, hash: String)? {
        guard let feed = articles[ArticleRef(id)] else { return nil }
        let feedID = feedNames.string(feed)
        guard let state = feeds[feedID] ?? (try? store.loadFeed(feedID)),
            let entry = state.entries.values.first(where: { $0.articleID == id && $0.duplicateOf == nil })
        else { return nil }
        return (feedID, entry.contentHash)
    }

    private func setArticle(_ id: String, feedID: String) {
        articles[ArticleRef(id)] = feedNames.number(feedID)
    }

    // MARK: Feeds in memory

    /// The state of a feed: from memory while it is worked on, else from its file (nil: never written).
    private func load(_ id: String) -> FeedState? {
        if let state = feeds[id] { return state }
        guard let state = try? store.loadFeed(id) else { return nil }
        feeds[id] = state
        indexAliases(state)
        return state
    }

    /// Forgets a feed's entries once its poll is done (everything is on disk by then).
    func release(feedID: String) {
        feeds[feedID] = nil
        aliasIndex[feedID] = nil
    }

    private func noteRetries(_ state: FeedState) {
        retryIndex[state.id] = state.entries.values.compactMap { $0.pageRetry?.next }.min()
    }

    /// Writes a feed's state once every event it reflects is durable.
    private func saveDurably(_ id: String) async throws {
        try await commit(events: [], publish: [], feeds: [id])
    }

    /// Records a poll's schedule: the feed-level events it calls for are made durable first, then the schedule
    /// (which then claims them in `applied_seq`) goes to the journal.
    func recordSchedule(_ schedule: FeedSchedule, events: [ScheduleEvent], title: String?) async throws {
        var schedule = schedule
        let feedID = schedule.id
        let pending = events.compactMap { Self.pendingEvent($0, schedule: schedule) }
        if !pending.isEmpty {
            let written = try changeLog.enqueue(pending)
            schedule.appliedSeq = written.last!.seq
            try await changeLog.waitDurable(through: schedule.appliedSeq)
        }
        for event in events {
            switch event {
            case .recovered(let polls, _, _):
                logger.notice("feed recovered", metadata: ["feed": "\(feedID)", "failed_polls": "\(polls)"])
            case .moved(let from, let to):
                logger.notice("feed moved permanently", metadata: ["feed": "\(feedID)", "from": "\(from)", "to": "\(to)"])
            case .gone(let url):
                logger.warning(
                    "feed is gone (HTTP 410); it is not polled until its URL changes or `herald reingest --feed` names it",
                    metadata: ["feed": "\(feedID)", "url": "\(url)"])
            case .validatorsDistrusted(let note):
                logger.warning("feed validators ignored: \(note)", metadata: ["feed": "\(feedID)"])
            case .failed:
                break
            }
        }
        try book.update(schedule)
        if let title, let state = load(feedID), state.title != title {
            feeds[feedID]!.title = title
            try await saveDurably(feedID)
        }
    }

    /// The change-log event for a schedule event (nil: state and log line only).
    static func pendingEvent(_ event: ScheduleEvent, schedule: FeedSchedule) -> PendingEvent? {
        let id = schedule.id
        let subject = "feeds/\(id)"
        switch event {
        case .failed(let reason, let code, let errors, let next):
            var data: [String: JSONValue] = [
                "feed_id": .string(id), "url": .string(schedule.pollURL), "reason": .string(reason),
                "reason_code": .string(code), "consecutive_errors": .int(Int64(errors)),
                "next_poll": next.map { .string(Timestamp.string($0)) } ?? .null,
            ]
            if let status = schedule.lastStatus { data["http_status"] = .int(Int64(status)) }
            return PendingEvent(type: EventType.feedFailed, subject: subject, data: .object(data))
        case .recovered(let polls, let lastError, let code):
            return PendingEvent(
                type: EventType.feedRecovered, subject: subject,
                data: [
                    "feed_id": .string(id), "url": .string(schedule.pollURL), "failed_polls": .int(Int64(polls)),
                    "last_error": lastError.map(JSONValue.string) ?? .null,
                    "reason_code": code.map(JSONValue.string) ?? .null,
                ])
        case .moved(let from, let to):
            return PendingEvent(
                type: EventType.feedMoved, subject: subject,
                data: ["feed_id": .string(id), "from": .string(from), "to": .string(to),
                       "configured_url": .string(schedule.configuredURL)])
        case .gone(let url):
            return PendingEvent(
                type: EventType.feedGone, subject: subject,
                data: ["feed_id": .string(id), "url": .string(url), "http_status": .int(410)])
        case .validatorsDistrusted:
            return nil
        }
    }

    // MARK: Entries

    /// Canonical URL → entry key, per feed: another entry reaching a known URL is the same article.
    private var aliasIndex: [String: [String: String]] = [:]

    private func indexAliases(_ state: FeedState) {
        var index: [String: String] = [:]
        for (key, entry) in state.entries {
            for alias in Self.aliases(of: entry) { index[alias] = key }
        }
        aliasIndex[state.id] = index
    }

    static func aliases(of entry: FeedState.Entry) -> [String] {
        (entry.aliases ?? []) + (entry.url.map { [ArticleURL.canonical($0)] } ?? [])
    }

    /// Notes which entries the feed's document holds now: entries that left it are marked, entries gone for a
    /// week become tombstones, expired tombstones are forgotten, entries seen but not ingested (the backlog of a
    /// first poll) become tombstones. Writes the feed's state only when something changed.
    func noteDocument(
        feedID: String, url: String, presentKeys: Set<String>, seenOnly: [(key: String, articleID: String)],
        now: Date, retention: TimeInterval, save: Bool = true
    ) async throws {
        let loaded = load(feedID)
        var state = loaded ?? FeedState(id: feedID, url: url)
        var changed = loaded == nil && !seenOnly.isEmpty
        for (key, entry) in state.entries {
            if presentKeys.contains(key) {
                if entry.departed != nil {
                    state.entries[key]!.departed = nil
                    changed = true
                }
            } else if let departed = entry.departed {
                if now.timeIntervalSince(departed) > FeedState.departedKeptInFull && entry.pageRetry == nil {
                    state.entries[key] = nil
                    state.tombstones[FeedState.tombstoneKey(key)] = FeedState.Tombstone(
                        articleID: entry.articleID, expires: departed.addingTimeInterval(retention))
                    changed = true
                }
            } else {
                state.entries[key]!.departed = now
                changed = true
            }
        }
        for (key, tomb) in state.tombstones where tomb.expires < now {
            state.tombstones[key] = nil
            changed = true
        }
        for item in seenOnly {
            state.tombstones[FeedState.tombstoneKey(item.key)] = FeedState.Tombstone(
                articleID: item.articleID, expires: now.addingTimeInterval(retention))
            changed = true
        }
        guard changed else { return }
        feeds[feedID] = state
        indexAliases(state)
        if save { try await saveDurably(feedID) }
    }

    /// Sets or clears the page retry of an entry.
    func setPageRetry(feedID: String, key: String, retry: FeedState.PageRetry?) async throws {
        guard load(feedID)?.entries[key] != nil, feeds[feedID]!.entries[key]!.pageRetry != retry else { return }
        feeds[feedID]!.entries[key]!.pageRetry = retry
        try await saveDurably(feedID)
    }

    /// Entries whose page retry is due.
    func dueRetries(feedID: String, now: Date, limit: Int) -> [(key: String, entry: FeedState.Entry)] {
        guard let due = retryIndex[feedID], due <= now, let state = load(feedID) else { return [] }
        return state.entries.filter { $0.value.pageRetry.map { $0.next <= now } ?? false }
            .sorted { $0.value.pageRetry!.next < $1.value.pageRetry!.next }
            .prefix(limit).map { ($0.key, $0.value) }
    }

    /// The earliest page retry of a feed.
    func nextRetry(feedID: String) -> Date? {
        retryIndex[feedID]
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
