import Foundation
import HeraldExtract
import HeraldFeeds
import HeraldFetch
import HeraldStore
import Logging

/// How a feed is polled.
enum PollMode: Sendable {
    /// A scheduled poll: conditional GET, only entries not seen before.
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

/// The pipeline for one feed: fetch → parse → fetch pages → extract → hash → record.
struct FeedIngest: Sendable {
    let config: HeraldConfig
    let fetcher: Fetcher
    let ledger: ArticleLedger
    let logger: Logger

    /// Polls one feed. Network, HTTP and parse problems are recorded as `feed.failed`; only state-writing
    /// errors escape, as `FatalStateError`.
    func poll(_ feed: HeraldConfig.FeedConfig, mode: PollMode) async throws -> PollReport {
        var report = PollReport(feedID: feed.id)
        let started = Date()
        let state: FeedState
        do {
            state = try await ledger.feedState(id: feed.id, url: feed.url)
        } catch {
            throw FatalStateError(underlying: error)
        }
        var request = FetchRequest(url: feed.url)
        request.allowFileScheme = feed.url.lowercased().hasPrefix("file:")
        request.accept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
        if case .scheduled = mode, state.url == feed.url {
            request.etag = state.etag
            request.lastModified = state.lastModified
        }

        let parsed: Feed
        let response: FetchResponse
        do {
            response = try await fetcher.fetch(request)
            if response.notModified {
                report.notModified = true
                do {
                    report.nextPoll = try await recordSuccess(feed, title: nil, response: nil, started: started)
                } catch {
                    throw FatalStateError(underlying: error)
                }
                return report
            }
            guard (200..<300).contains(response.status) else {
                throw PollFailure("HTTP \(response.status)\(Self.reasonPhrase(response.status)) from \(feed.url)")
            }
            do {
                parsed = try FeedParser.parse(
                    response.body, url: response.effectiveURL, contentType: response.contentType,
                    maxEntries: config.limits.maxEntriesPerFeed)
            } catch {
                throw PollFailure("\(error)")
            }
            // libxml2 recovers what it can from a document cut short, but ingesting half a feed would hide the
            // problem: a truncated document is a failed poll (other recoverable faults are only warnings).
            if let truncation = parsed.warnings.first(where: { $0.contains("Premature end of data") }) {
                throw PollFailure("the feed document is truncated (\(truncation))")
            }
        } catch let error as FatalStateError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as FetchError where error.code == .cancelled {
            throw CancellationError()
        } catch {
            let reason = (error as? PollFailure)?.reason ?? "\(error)"
            report.failure = reason
            logger.warning("feed poll failed", metadata: ["feed": "\(feed.id)", "reason": "\(reason)"])
            let errors = (try? await ledger.consecutiveErrors(feedID: feed.id, url: feed.url)) ?? 0
            let next = Date().addingTimeInterval(PollSchedule.backoff(config: config, feed: feed, failures: errors + 1))
            report.nextPoll = next
            do {
                try await ledger.recordFailure(
                    feedID: feed.id, url: feed.url, reason: reason, polledAt: started, nextPoll: next)
            } catch {
                throw FatalStateError(underlying: error)
            }
            return report
        }
        for warning in parsed.warnings {
            logger.warning("feed warning", metadata: ["feed": "\(feed.id)", "warning": "\(warning)"])
        }

        let entries: [FeedEntry]
        switch mode {
        case .scheduled:
            // New entries, and known ones whose date or title changed in the feed.
            entries = parsed.entries.filter { entry in
                guard let known = state.entries[entry.key] else { return true }
                return known.fingerprint != nil && known.fingerprint != Self.fingerprint(entry)
            }
        case .reingest:
            entries = parsed.entries
        case .reingestURLs(let urls):
            entries = parsed.entries.filter { entry in entry.link.map { urls.contains($0) } ?? false }
        }
        report.entries = entries.count

        // Pages are fetched a few at a time; results are recorded in feed order.
        let limit = max(1, config.limits.concurrentPages)
        var candidates = [ArticleCandidate?](repeating: nil, count: entries.count)
        var failures = 0
        try await withThrowingTaskGroup(of: (Int, ArticleCandidate, Bool).self) { group in
            var next = 0
            func launch(_ index: Int) {
                let entry = entries[index]
                group.addTask {
                    let (candidate, failed) = try await buildCandidate(feed: feed, entry: entry)
                    return (index, candidate, failed)
                }
            }
            while next < entries.count && next < limit {
                launch(next)
                next += 1
            }
            while let (index, candidate, failed) = try await group.next() {
                candidates[index] = candidate
                if failed { failures += 1 }
                if next < entries.count {
                    launch(next)
                    next += 1
                }
            }
        }
        report.pageFailures = failures

        do {
            for candidate in candidates.compactMap({ $0 }) {
                report.add(try await ledger.record(candidate))
            }
            report.nextPoll = try await recordSuccess(feed, title: parsed.title, response: response, started: started)
        } catch {
            throw FatalStateError(underlying: error)
        }
        logger.info(
            "feed polled",
            metadata: [
                "feed": "\(feed.id)", "entries": "\(report.entries)", "created": "\(report.created)",
                "updated": "\(report.updated)", "duplicates": "\(report.duplicates)",
            ])
        return report
    }

    private func recordSuccess(_ feed: HeraldConfig.FeedConfig, title: String?, response: FetchResponse?, started: Date)
        async throws -> Date
    {
        let next = Date().addingTimeInterval(PollSchedule.nextInterval(config: config, feed: feed))
        try await ledger.recordSuccess(
            feedID: feed.id, url: feed.url, title: title, etag: response?.etag, lastModified: response?.lastModified,
            polledAt: started, nextPoll: next)
        return next
    }

    /// Fetches and extracts one entry's page; falls back to the feed's own text. Returns whether the page failed.
    func buildCandidate(feed: HeraldConfig.FeedConfig, entry: FeedEntry) async throws -> (ArticleCandidate, Bool) {
        var extracted: ExtractedArticle? = nil
        var finalURL: String? = nil
        var fallbackReason: String? = nil
        if let link = entry.link {
            switch PageLinkPolicy.decide(link: link, feedURL: feed.url, allowPrivateNetworks: config.allowPrivateNetworks) {
            case .refuse(let reason):
                fallbackReason = "page not fetched: \(reason)"
            case .fetch(let url, let policy, let allowFile):
                var request = FetchRequest(url: url)
                request.addressPolicy = policy
                request.allowFileScheme = allowFile
                request.accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
                do {
                    let response = try await fetcher.fetch(request)
                    if (200..<300).contains(response.status) {
                        finalURL = response.effectiveURL
                        let article = ArticleExtractor.extract(
                            ExtractionInput(html: response.body, url: response.effectiveURL, httpContentType: response.contentType))
                        if article.text.isEmpty {
                            fallbackReason = "the page had no extractable text"
                        } else {
                            extracted = article
                        }
                    } else {
                        fallbackReason = "page fetch failed: HTTP \(response.status)\(Self.reasonPhrase(response.status))"
                    }
                } catch where error.code == .cancelled {
                    throw CancellationError()
                } catch {
                    fallbackReason = "page fetch failed: \(error)"
                }
            }
        } else {
            fallbackReason = "the entry has no link"
        }
        if let fallbackReason {
            logger.info("using the feed's text", metadata: ["feed": "\(feed.id)", "entry": "\(entry.key)", "reason": "\(fallbackReason)"])
        }
        let record = ArticleBuilder.record(
            feed: feed, entry: entry, extracted: extracted, finalURL: finalURL, fallbackReason: fallbackReason)
        let candidate = ArticleCandidate(
            feedID: feed.id, feedURL: feed.url, entryKey: entry.key, fingerprint: Self.fingerprint(entry), record: record)
        return (candidate, fallbackReason != nil && entry.link != nil)
    }

    /// What the feed says about an entry that, when it changes, means the page may have changed.
    static func fingerprint(_ entry: FeedEntry) -> String {
        let date = (entry.updated ?? entry.published).map { Timestamp.string($0) } ?? "-"
        return date + " " + (entry.title ?? "")
    }

    static func reasonPhrase(_ status: Int) -> String {
        let phrases: [Int: String] = [
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 410: "Gone",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout",
        ]
        return phrases[status].map { " \($0)" } ?? ""
    }
}

/// A poll failure with a reason for people.
struct PollFailure: Error, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}
