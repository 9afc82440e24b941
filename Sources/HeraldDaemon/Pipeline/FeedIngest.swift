import Foundation
import HeraldExtract
import HeraldFeeds
import HeraldFetch
import HeraldHTML
import HeraldStore
import Logging

/// How a feed is polled.
enum PollMode: Sendable, Equatable {
    /// A scheduled poll: conditional GET (unless validators are due for an unconditional check), new entries only.
    case scheduled
    /// A re-ingest: validators ignored, every entry's page fetched and extracted again.
    case reingest
    /// Re-ingest only the entries whose link is one of these URLs.
    case reingestURLs(Set<String>)
}

/// A fatal state-writing error: the daemon must stop (fsync failures are never retried).
struct FatalStateError: Error, CustomStringConvertible {
    var underlying: any Error
    var description: String { "cannot write state: \(underlying)" }
}

/// The pipeline for one feed: fetch → parse → pick entries → fetch pages → extract → hash → record, then the
/// schedule (``PollPlanner``) and the feed-level events it calls for.
struct FeedIngest: Sendable {
    let config: HeraldConfig
    let fetcher: Fetcher
    let ledger: ArticleLedger
    let workers: BlockingWorkers
    let logger: Logger
    var now: @Sendable () -> Date = { Date() }
    var random: @Sendable () -> Double = { Double.random(in: -1...1) }

    static let feedAccept =
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"

    /// Polls one feed. Network, HTTP and parse problems are recorded (`feed.failed` with a `reason_code`); only
    /// state-writing errors escape, as `FatalStateError`.
    func poll(_ feed: HeraldConfig.FeedConfig, mode: PollMode) async throws -> PollReport {
        do {
            let report = try await pollFeed(feed, mode: mode)
            await ledger.release(feedID: feed.id)
            return report
        } catch {
            await ledger.release(feedID: feed.id)
            throw error
        }
    }

    private func pollFeed(_ feed: HeraldConfig.FeedConfig, mode: PollMode) async throws -> PollReport {
        var report = PollReport(feedID: feed.id)
        let started = now()
        let policy = SchedulePolicy(config: config, feed: feed)
        let schedule = await ledger.schedule(for: feed, policy: policy)

        // Woken for page retries before the feed itself is due (or the feed is gone): only the retries.
        if mode == .scheduled, schedule.gone || (schedule.nextPoll.map { $0 > started.addingTimeInterval(1) } ?? false) {
            try await retryPages(feed, report: &report)
            report.nextPoll = await nextDue(feed, schedule: schedule)
            return report
        }

        let conditional = mode == .scheduled && PollPlanner.sendsValidators(schedule, policy: policy, now: started)
        var request = FetchRequest(url: schedule.pollURL, kind: .feed)
        request.allowFileScheme = schedule.pollURL.lowercased().hasPrefix("file:")
        request.accept = Self.feedAccept
        if conditional {
            request.etag = schedule.etag
            request.lastModified = schedule.lastModified
        }

        var outcome: PollOutcome? = nil
        var response: FetchResponse? = nil
        var parsed: Feed? = nil
        do {
            let fetched = try await fetcher.fetch(request)
            response = fetched
            switch try await read(fetched, feed: feed) {
            case .outcome(let known): outcome = known
            case .document(let document): parsed = document
            }
        } catch let error as FetchError where error.code == .cancelled {
            throw CancellationError()
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as FetchError {
            outcome = .failed(FailureReasons.of(error, url: schedule.pollURL))
        }

        if let parsed, let response {
            do {
                try await ingestEntries(parsed, feed: feed, mode: mode, report: &report, started: started)
            } catch let error as FatalStateError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw FatalStateError(underlying: error)
            }
            outcome = .fetched(
                status: response.status, newEntryDates: report.newEntryDates,
                hints: ServerHints(response: response, feed: parsed),
                sameETag: response.etag != nil && response.etag == schedule.etag)
        }
        let result = outcome ?? .notModified(hints: ServerHints())
        if case .failed(let failure) = result {
            report.failure = failure.message
            report.reasonCode = failure.code
            logger.warning(
                "feed poll failed",
                metadata: ["feed": "\(feed.id)", "reason_code": "\(failure.code)", "reason": "\(failure.message)"])
        }

        let movedTo = response?.permanentURL.flatMap { $0 == schedule.pollURL ? nil : $0 }
        var (next, events) = PollPlanner.plan(
            schedule, outcome: result, conditional: conditional, movedTo: movedTo, policy: policy, polledAt: started,
            now: now(), random: random())
        // Validators are kept only for a document that was read: after a parse failure the next poll must fetch
        // it again, not accept a 304 for a document Herald never understood.
        if let response, case .fetched = result {
            next.etag = response.etag
            next.lastModified = response.lastModified
        }
        do {
            try await ledger.recordSchedule(next, events: events, title: parsed?.title)
        } catch {
            throw FatalStateError(underlying: error)
        }
        report.notModified = response?.status == 304
        if mode == .scheduled { try await retryPages(feed, report: &report) }
        report.nextPoll = await nextDue(feed, schedule: next)
        let ms = Int(now().timeIntervalSince(started) * 1000)
        logger.info(
            "feed polled",
            metadata: [
                "feed": "\(feed.id)", "status": "\(response.map { "\($0.status)" } ?? (report.reasonCode ?? "error"))",
                "ms": "\(ms)", "entries": "\(report.entries)", "created": "\(report.created)",
                "updated": "\(report.updated)", "duplicates": "\(report.duplicates)",
                "next": "\(report.nextPoll.map(Timestamp.string) ?? "never (gone)")",
            ])
        return report
    }

    /// When the scheduler should come back to a feed: its next poll, or an earlier page retry.
    private func nextDue(_ feed: HeraldConfig.FeedConfig, schedule: FeedSchedule) async -> Date? {
        let retry = await ledger.nextRetry(feedID: feed.id)
        switch (schedule.gone ? nil : schedule.nextPoll, retry) {
        case (.some(let a), .some(let b)): return min(a, b)
        case (.some(let a), nil): return a
        case (nil, .some(let b)): return b
        case (nil, nil): return nil
        }
    }

    /// What a response gave: an outcome for the schedule at once, or a feed document to ingest.
    private enum Reading {
        case outcome(PollOutcome)
        case document(Feed)
    }

    /// Reads a response: 304, 410 and errors are outcomes; a 2xx body is parsed (on a worker thread, within
    /// `limits.parse_timeout`).
    private func read(_ response: FetchResponse, feed: HeraldConfig.FeedConfig) async throws -> Reading {
        if response.status == 304 { return .outcome(.notModified(hints: ServerHints(response: response, feed: nil))) }
        if response.status == 410 { return .outcome(.gone(status: 410)) }
        guard (200..<300).contains(response.status) else {
            return .outcome(.failed(FailureReasons.of(status: response.status, response: response)))
        }
        let body = response.body
        let url = response.effectiveURL
        let contentType = response.contentType
        let maxEntries = config.limits.maxEntriesPerFeed
        let budget = ParseBudget(duration: config.limits.parseTimeout)
        let result: Result<Feed, any Error>
        do {
            result = .success(try await workers.run(onCancel: { budget.cancel() }) {
                try FeedParser.parse(body, url: url, contentType: contentType, maxEntries: maxEntries, budget: budget)
            })
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let feedDocument):
            // libxml2 recovers what it can from a document cut short, but ingesting half a feed would hide the
            // problem: a truncated document is a failed poll (other recoverable faults are only warnings).
            if feedDocument.isTruncated {
                let detail = feedDocument.warnings.first.map { " (\($0))" } ?? ""
                return .outcome(.failed(PollFailureInfo(
                    code: "truncated", message: "the feed document is truncated: its root element is never closed\(detail)",
                    failureClass: .transient, status: response.status)))
            }
            for warning in feedDocument.warnings {
                logger.warning("feed warning", metadata: ["feed": "\(feed.id)", "warning": "\(warning)"])
            }
            return .document(feedDocument)
        case .failure(let error):
            if error is CancellationError { throw error }
            return .outcome(.failed(
                FailureReasons.parse(error, url: url, status: response.status, parseTimeout: config.limits.parseTimeout)))
        }
    }

    // MARK: Entries

    /// Picks the entries to ingest, fetches their pages, records them, and notes which entries the document holds.
    private func ingestEntries(
        _ parsed: Feed, feed: HeraldConfig.FeedConfig, mode: PollMode, report: inout PollReport, started: Date
    ) async throws {
        let lookups = parsed.entries.map {
            EntryLookup(key: $0.key, link: $0.link, fingerprint: Self.fingerprint($0))
        }
        let verdicts = await ledger.classify(feedID: feed.id, entries: lookups)
        var selected: [(FeedEntry, String)] = []  // entry, the key it is recorded under
        var seenOnly: [(key: String, articleID: String)] = []
        var present = Set<String>()
        let firstPoll = await ledger.isNew(feedID: feed.id)
        for (entry, verdict) in zip(parsed.entries, verdicts) {
            present.insert(verdict.key)
            switch mode {
            case .scheduled:
                if verdict.isNew || verdict.changed { selected.append((entry, verdict.key)) }
            case .reingest:
                selected.append((entry, verdict.key))
            case .reingestURLs(let urls):
                if let link = entry.link, urls.contains(link) { selected.append((entry, verdict.key)) }
            }
        }
        if firstPoll && mode == .scheduled {
            // Subscribing to a feed with a long history fetches only its newest pages; the rest are remembered.
            let backlog = feed.backlog ?? config.backlog
            let newestFirst = selected.enumerated().sorted { a, b in
                let da = a.element.0.published ?? a.element.0.updated
                let db = b.element.0.published ?? b.element.0.updated
                switch (da, db) {
                case (.some(let x), .some(let y)) where x != y: return x > y
                case (.some, .none): return true
                case (.none, .some): return false
                default: return a.offset < b.offset
                }
            }.map(\.element)
            selected = Array(newestFirst.prefix(backlog))
            for (entry, key) in newestFirst.dropFirst(backlog) {
                _ = entry
                seenOnly.append((key, ArticleBuilder.articleID(feedID: feed.id, entryKey: key)))
            }
        }
        report.entries = selected.count
        report.newEntryDates = zip(parsed.entries, verdicts).filter { $0.1.isNew }.map { $0.0.published ?? $0.0.updated }

        // Pages are fetched a few at a time; results are recorded in feed order.
        let limit = max(1, config.limits.concurrentPages)
        var candidates = [ArticleCandidate?](repeating: nil, count: selected.count)
        var failures = 0
        try await withThrowingTaskGroup(of: (Int, ArticleCandidate, Bool).self) { group in
            var next = 0
            func launch(_ index: Int) {
                let (entry, key) = selected[index]
                group.addTask {
                    let (candidate, failed) = try await buildCandidate(feed: feed, entry: entry, key: key)
                    return (index, candidate, failed)
                }
            }
            while next < selected.count && next < limit {
                launch(next)
                next += 1
            }
            while let (index, candidate, failed) = try await group.next() {
                candidates[index] = candidate
                if failed { failures += 1 }
                if next < selected.count {
                    launch(next)
                    next += 1
                }
            }
        }
        report.pageFailures = failures
        let ready = candidates.compactMap { $0 }
        // Noted first: when articles follow, their record writes the feed's state once for both.
        try await ledger.noteDocument(
            feedID: feed.id, url: feed.url, presentKeys: present, seenOnly: seenOnly, now: now(),
            retention: PollSchedule.seconds(config.entryRetention), save: ready.isEmpty)
        for outcome in try await ledger.record(ready) {
            report.add(outcome)
        }
    }

    /// Fetches the pages of entries whose earlier attempt failed and whose retry is due; a page that arrives
    /// updates its article (`herald.article.updated`, `source: page`).
    private func retryPages(_ feed: HeraldConfig.FeedConfig, report: inout PollReport) async throws {
        let due = await ledger.dueRetries(feedID: feed.id, now: now(), limit: max(1, config.limits.concurrentPages) * 2)
        guard !due.isEmpty else { return }
        for (key, entry) in due {
            guard let link = entry.url, let retry = entry.pageRetry else { continue }
            let page = await fetchPage(feed: feed, link: link)
            guard let old = await ledger.storedArticle(hash: entry.contentHash) else {
                try await ledger.setPageRetry(feedID: feed.id, key: key, retry: nil)
                continue
            }
            switch page {
            case .success(let extracted, let finalURL):
                var candidate = ArticleCandidate(
                    feedID: feed.id, feedURL: feed.url, entryKey: key, fingerprint: entry.fingerprint ?? "",
                    record: ArticleBuilder.withPage(old, extracted: extracted, finalURL: finalURL, now: now()))
                candidate.aliases = Self.aliases(link: link, finalURL: finalURL, page: extracted)
                for outcome in try await ledger.record([candidate]) { report.add(outcome) }
                logger.info("page fetched on retry", metadata: ["feed": "\(feed.id)", "entry": "\(key)", "attempt": "\(retry.attempts + 1)"])
            case .failed(let reason, let retryable):
                let attempts = retry.attempts + 1
                let next: FeedState.PageRetry? = retryable && attempts < config.pageRetries
                    ? FeedState.PageRetry(attempts: attempts, next: now().addingTimeInterval(retryDelay(after: attempts)), reason: reason)
                    : nil
                if next == nil {
                    logger.notice("giving up on the page; the article keeps the feed's text", metadata: ["feed": "\(feed.id)", "entry": "\(key)", "reason": "\(reason)"])
                }
                try await ledger.setPageRetry(feedID: feed.id, key: key, retry: next)
            }
        }
    }

    /// The wait before the next attempt at a page after `attempts` failed ones: the first delay, tripled each time.
    func retryDelay(after attempts: Int) -> TimeInterval {
        PollSchedule.seconds(config.pageRetryDelay) * pow(3, Double(max(0, attempts - 1)))
    }

    enum PageResult: Sendable {
        case success(ExtractedArticle, finalURL: String)
        /// `retryable`: a network or server failure that may pass (not a refusal by policy or robots.txt).
        case failed(String, retryable: Bool)
    }

    /// Fetches and extracts one page, within the link rules and robots.txt.
    func fetchPage(feed: HeraldConfig.FeedConfig, link: String) async -> PageResult {
        switch PageLinkPolicy.decide(link: link, feedURL: feed.url, allowPrivateNetworks: config.allowPrivateNetworks) {
        case .refuse(let reason):
            return .failed("page not fetched: \(reason)", retryable: false)
        case .fetch(let url, let policy, let trustedHost, let allowFile):
            if config.robots, !allowFile,
                let refusal = await robotsRefusal(url, addressPolicy: policy, trustedHost: trustedHost)
            {
                return .failed(refusal, retryable: false)
            }
            var request = FetchRequest(url: url, kind: .page)
            request.addressPolicy = policy
            request.trustedHost = trustedHost
            request.allowFileScheme = allowFile
            request.accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
            do {
                let response = try await fetcher.fetch(request)
                guard (200..<300).contains(response.status) else {
                    let status = response.status
                    return .failed(
                        "page fetch failed: HTTP \(status)\(Self.reasonPhrase(status))",
                        retryable: status == 408 || status == 429 || status >= 500)
                }
                let input = ExtractionInput(html: response.body, url: response.effectiveURL, httpContentType: response.contentType)
                let budget = ParseBudget(duration: config.limits.parseTimeout)
                let article = try await workers.run(onCancel: { budget.cancel() }) {
                    try ArticleExtractor.extract(input, budget: budget)
                }
                if article.text.isEmpty { return .failed("the page had no extractable text", retryable: true) }
                return .success(article, finalURL: response.effectiveURL)
            } catch let error as FetchError {
                let retryable = [.dns, .connect, .timeout, .network, .tls].contains(error.code)
                return .failed("page fetch failed: \(error)", retryable: retryable)
            } catch is CancellationError {
                return .failed("page extraction cancelled", retryable: false)
            } catch {
                return .failed(
                    "page extraction stopped: \(error) (limits.parse_timeout is \(DurationText.format(config.limits.parseTimeout)))",
                    retryable: false)
            }
        }
    }

    /// Why robots.txt refuses a page URL to Herald, nil when it allows it (or cannot be read: see
    /// ``RobotsVerdict/unavailable(reason:)``).
    private func robotsRefusal(_ url: String, addressPolicy: AddressPolicy, trustedHost: String?) async -> String? {
        let verdict = await fetcher.robotsVerdict(
            for: url, userAgentToken: config.robotsToken, addressPolicy: addressPolicy, trustedHost: trustedHost)
        if case .disallowed(let rule) = verdict {
            return "page not fetched: the site's robots.txt disallows it for \(config.robotsToken) (rule \"\(rule)\")"
        }
        return nil
    }

    /// Fetches and extracts one entry's page; falls back to the feed's own text. Returns whether the page failed.
    func buildCandidate(feed: HeraldConfig.FeedConfig, entry: FeedEntry, key: String) async throws -> (ArticleCandidate, Bool) {
        var extracted: ExtractedArticle? = nil
        var finalURL: String? = nil
        var fallbackReason: String? = nil
        var retry: FeedState.PageRetry? = nil
        if let link = entry.link {
            switch await fetchPage(feed: feed, link: link) {
            case .success(let article, let url):
                extracted = article
                finalURL = url
            case .failed(let reason, let retryable):
                if Task.isCancelled { throw CancellationError() }
                fallbackReason = reason
                if retryable && config.pageRetries > 1 {
                    retry = FeedState.PageRetry(attempts: 1, next: now().addingTimeInterval(retryDelay(after: 1)), reason: reason)
                }
            }
        } else {
            fallbackReason = "the entry has no link"
        }
        if let fallbackReason {
            logger.info("using the feed's text", metadata: ["feed": "\(feed.id)", "entry": "\(entry.key)", "reason": "\(fallbackReason)"])
        }
        var keyed = entry
        keyed.key = key
        // Building the record turns the feed's HTML into text: CPU work, so on a worker too.
        let page = extracted
        let url = finalURL
        let keyedEntry = keyed
        let reason = fallbackReason
        let record = try await workers.run {
            ArticleBuilder.record(feed: feed, entry: keyedEntry, extracted: page, finalURL: url, fallbackReason: reason)
        }
        var candidate = ArticleCandidate(
            feedID: feed.id, feedURL: feed.url, entryKey: key, fingerprint: Self.fingerprint(entry), record: record)
        candidate.pageRetry = retry
        candidate.aliases = entry.link.map { Self.aliases(link: $0, finalURL: finalURL, page: extracted) } ?? []
        return (candidate, fallbackReason != nil && entry.link != nil)
    }

    /// The canonical URLs an article is known by.
    static func aliases(link: String, finalURL: String?, page: ExtractedArticle?) -> [String] {
        var all = [ArticleURL.canonical(link)]
        for url in [finalURL, page?.canonicalURL].compactMap({ $0 }) where url.lowercased().hasPrefix("http") {
            all.append(ArticleURL.canonical(url))
        }
        return Array(Set(all)).sorted()
    }

    /// What the feed says about an entry that, when it changes, means the page may have changed.
    static func fingerprint(_ entry: FeedEntry) -> String {
        let date = (entry.updated ?? entry.published).map { Timestamp.string($0) } ?? "-"
        return date + " " + (entry.title ?? "")
    }

    static func reasonPhrase(_ status: Int) -> String {
        FailureReasons.phrase(status).map { " \($0)" } ?? ""
    }
}

/// One entry of a fetched document, as the ledger needs it to tell new from known.
struct EntryLookup: Sendable {
    var key: String
    var link: String?
    var fingerprint: String
}

/// The ledger's answer for one entry.
struct EntryVerdict: Sendable, Equatable {
    /// The key the entry is recorded under (a known entry's key when its link matched one).
    var key: String
    var isNew: Bool
    /// Known, and its date or title changed in the feed (its page is fetched again).
    var changed: Bool
}
