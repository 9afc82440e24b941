import Foundation
import HeraldFetch
import HeraldStore
import Logging
import Synchronization

/// What to re-ingest.
public enum ReingestScope: Sendable, Equatable, Codable, CustomStringConvertible {
    case all
    case feed(String)
    case url(String)

    public var description: String {
        switch self {
        case .all: return "all feeds"
        case .feed(let id): return "feed \(id)"
        case .url(let url): return "article \(url)"
        }
    }

    var eventData: JSONValue {
        switch self {
        case .all: return ["all": true]
        case .feed(let id): return ["feed": .string(id)]
        case .url(let url): return ["url": .string(url)]
        }
    }
}

/// The outcome of a re-ingest, as printed by `herald reingest`.
public struct ReingestResult: Sendable, Codable, Equatable {
    public var requestID: String
    public var scope: String
    public var totals: IngestTotals
    public var durationMilliseconds: Int
    public var startedSeq: UInt64
    public var completedSeq: UInt64
    public var failures: [String]

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", scope, totals, durationMilliseconds = "duration_ms"
        case startedSeq = "started_seq", completedSeq = "completed_seq", failures
    }
}

/// A re-ingest request that cannot be carried out (unknown feed, unknown URL).
public struct ReingestError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Everything a running Herald needs: configuration, state, change log, fetcher and the ingest pipeline.
///
/// Used by the daemon and, when no daemon runs, by one-shot commands such as `herald reingest`.
public final class HeraldEngine: Sendable {
    let store: StateStore
    let changeLog: ChangeLog
    let ledger: ArticleLedger
    let book: ScheduleBook
    let fetcher: Fetcher
    /// Threads for parsing and extraction, off the cooperative pool.
    let workers: BlockingWorkers
    let logger: Logger
    private let currentConfig: Mutex<HeraldConfig>
    /// The configured feed ids, kept with the configuration (asked for every status line).
    private let feedIDs: Mutex<Set<String>>
    private let counters = Mutex(Counters())

    struct Counters {
        var polls = 0
        var created = 0
        var updated = 0
        var duplicates = 0
    }

    /// Opens the state and the change log. The caller must hold the state lock.
    public init(config: HeraldConfig, logger: Logger) throws {
        self.store = StateStore(directory: config.stateDirectory)
        try store.prepare()
        self.changeLog = try ChangeLog.open(
            stateDirectory: config.stateDirectory, options: config.changeLogOptions, logger: logger)
        let near = config.nearDuplicates
        self.book = try ScheduleBook(directory: config.stateDirectory)
        self.ledger = ArticleLedger(
            store: store, changeLog: changeLog, book: book, logger: logger,
            nearDuplicates: near.enabled ? NearDuplicateDetector(threshold: near.threshold, minimumWords: near.minimumWords) : nil)
        var fetchConfig = FetchConfiguration(userAgent: config.userAgent)
        fetchConfig.maxBodyBytes = config.limits.maxBodyBytes
        fetchConfig.connectTimeout = config.limits.connectTimeout
        fetchConfig.totalTimeout = config.limits.totalTimeout
        fetchConfig.maxRedirects = config.limits.maxRedirects
        fetchConfig.perHostConnections = config.limits.perHostConnections
        fetchConfig.perHostDelay = config.limits.perHostDelay
        fetchConfig.perHostFeedDelay = config.limits.perHostFeedDelay
        self.fetcher = try Fetcher(configuration: fetchConfig, logger: logger)
        self.workers = BlockingWorkers(count: max(1, ProcessInfo.processInfo.activeProcessorCount), name: "parse")
        self.logger = logger
        self.currentConfig = Mutex(config)
        self.feedIDs = Mutex(Set(config.feeds.map(\.id)))
    }

    /// The configuration in force.
    public var config: HeraldConfig { currentConfig.withLock { $0 } }

    /// Replaces the configuration (feeds, intervals, limits that apply per poll).
    func replaceConfig(_ config: HeraldConfig) {
        currentConfig.withLock { $0 = config }
        feedIDs.withLock { $0 = Set(config.feeds.map(\.id)) }
    }

    var ingest: FeedIngest {
        FeedIngest(config: config, fetcher: fetcher, ledger: ledger, workers: workers, logger: logger)
    }

    /// Polls one feed (on schedule, or for a re-ingest).
    func poll(_ feed: HeraldConfig.FeedConfig, mode: PollMode = .scheduled) async throws -> PollReport {
        let report = try await ingest.poll(feed, mode: mode)
        count(report)
        return report
    }

    private func count(_ report: PollReport) {
        counters.withLock {
            $0.polls += 1
            $0.created += report.created
            $0.updated += report.updated
            $0.duplicates += report.duplicates
        }
    }

    /// A one-line summary for systemd's STATUS=.
    func statusLine(failingFeeds: Int) -> String {
        let c = counters.withLock { $0 }
        return "\(config.feeds.count) feeds, \(failingFeeds) failing; \(c.polls) polls, \(c.created) created, "
            + "\(c.updated) updated, \(c.duplicates) duplicates; last seq \(changeLog.lastSeq)"
    }

    /// Re-fetches and re-extracts, ignoring validators; bracketed by `reingest.started` / `reingest.completed`,
    /// both durable before this returns.
    public func reingest(_ scope: ReingestScope) async throws -> ReingestResult {
        try await reingest(scope, runner: LimitedPollRunner(engine: self))
    }

    /// A re-ingest whose polls go through `runner` (the daemon's scheduler, so a feed is never polled twice at once).
    func reingest(_ scope: ReingestScope, runner: any PollRunner) async throws -> ReingestResult {
        let config = self.config
        var work: [(HeraldConfig.FeedConfig, PollMode)] = []
        switch scope {
        case .all:
            work = config.feeds.map { ($0, .reingest) }
        case .feed(let id):
            guard let feed = config.feeds.first(where: { $0.id == id }) else {
                throw ReingestError(message: "no feed with id \"\(id)\" in the configuration (known: \(config.feeds.map(\.id).joined(separator: ", ")))")
            }
            work = [(feed, .reingest)]
        case .url(let url):
            let matches = await ledger.entries(withURL: url)
            let feedIDs = Set(matches.map(\.feedID))
            work = config.feeds.filter { feedIDs.contains($0.id) }.map { ($0, .reingestURLs([url])) }
            guard !work.isEmpty else {
                throw ReingestError(message: "no stored article has the URL \(url); re-ingest its feed with --feed instead")
            }
        }
        let requestID = UUID().uuidString.lowercased()
        let clock = ContinuousClock()
        let start = clock.now
        let started = try await ledger.emit(
            EventType.reingestStarted, subject: "reingest/\(requestID)",
            data: ["request_id": .string(requestID), "scope": scope.eventData,
                   "feeds": .array(work.map { .string($0.0.id) })])
        logger.notice("re-ingest started", metadata: ["scope": "\(scope)", "request": "\(requestID)"])
        let reports = try await runner.runRequested(work).sorted { $0.feedID < $1.feedID }
        var totals = IngestTotals()
        for report in reports { totals.add(report) }
        let failures = reports.compactMap { r in r.failure.map { "\(r.feedID): \($0)" } }
        let elapsed = clock.now - start
        let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let completed = try await ledger.emit(
            EventType.reingestCompleted, subject: "reingest/\(requestID)",
            data: .object(
                (try StateJSON.decode([String: JSONValue].self, from: StateJSON.encode(totals))).merging([
                    "request_id": .string(requestID), "scope": scope.eventData, "duration_ms": .int(Int64(ms)),
                ]) { _, new in new }))
        logger.notice("re-ingest completed", metadata: ["request": "\(requestID)", "created": "\(totals.created)", "updated": "\(totals.updated)"])
        return ReingestResult(
            requestID: requestID, scope: "\(scope)", totals: totals, durationMilliseconds: ms,
            startedSeq: started.seq, completedSeq: completed.seq, failures: failures)
    }

    /// Number of feeds currently failing.
    func failingFeeds() async -> Int {
        await ledger.failingCount(of: feedIDs.withLock { $0 })
    }

    /// Brings the state in line with the change log (replay, staged files). Call once before any work.
    @discardableResult
    func start() async throws -> ArticleLedger.RecoveryReport {
        try await ledger.recover()
    }

    /// Stops the fetcher, flushes and closes the change log, and records that the state reflects all of it.
    public func close() async {
        fetcher.shutdown()
        workers.stop()
        do {
            try book.close()
            try changeLog.close()
            try await ledger.checkpoint()
        } catch {
            logger.error("could not close the change log cleanly: \(error)")
        }
    }
}

/// Runs requested polls when no daemon (and so no scheduler) runs: at most `concurrent_feeds` at once.
struct LimitedPollRunner: PollRunner {
    let engine: HeraldEngine

    func runRequested(_ work: [(HeraldConfig.FeedConfig, PollMode)]) async throws -> [PollReport] {
        let limiter = AsyncLimiter(limit: engine.config.limits.concurrentFeeds)
        return try await withThrowingTaskGroup(of: PollReport.self) { group in
            for (feed, mode) in work {
                group.addTask { try await limiter.run { try await engine.poll(feed, mode: mode) } }
            }
            var reports: [PollReport] = []
            for try await report in group { reports.append(report) }
            return reports
        }
    }
}
