import Foundation
import Logging
import ServiceLifecycle

/// The one owner of every feed's polls: a due-time queue (``SchedulerCore``) instead of a task per feed, at most
/// `limits.concurrent_feeds` polls at once, at most one poll per feed at a time. Scheduled polls and requested ones
/// (`herald reingest`) go through it alike. A reload changes only what changed.
actor FeedScheduler: Service, PollRunner {
    private let engine: HeraldEngine
    private let logger: Logger
    private let onChange: @Sendable () async -> Void
    private let clock: @Sendable () -> Date
    private var core: SchedulerCore
    private var polls: [String: Task<Void, Never>] = [:]
    private var waiting: [UInt64: CheckedContinuation<PollReport, any Error>] = [:]
    private var requestedModes: [UInt64: PollMode] = [:]
    private var nextTicket: UInt64 = 1
    private var wake: CheckedContinuation<Void, Never>?
    private var timer: Task<Void, Never>?
    private var stopping = false
    private var fatal: (any Error)?
    private var lastStatus = Date.distantPast

    init(
        engine: HeraldEngine, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() },
        onChange: @escaping @Sendable () async -> Void
    ) {
        self.engine = engine
        self.logger = logger
        self.onChange = onChange
        self.clock = clock
        let config = engine.config
        self.core = SchedulerCore(
            limit: config.limits.concurrentFeeds, spreadPerThousand: PollSchedule.seconds(config.firstPollSpread))
    }

    func run() async throws {
        await apply(engine.config)
        await withGracefulShutdownHandler {
            await self.loop()
        } onGracefulShutdown: {
            Task { await self.stop() }
        }
        let running = Array(polls.values)
        for task in running { task.cancel() }
        for task in running { await task.value }
        for (_, continuation) in waiting { continuation.resume(throwing: CancellationError()) }
        waiting.removeAll()
        if let fatal { throw fatal }
    }

    private func loop() async {
        while !stopping {
            let now = clock()
            let (starts, wakeAt) = core.take(now: now)
            for start in starts { launch(start) }
            await sleep(until: wakeAt)
        }
    }

    /// Waits until `date` or until something changes (a poll ends, a request or reload arrives, shutdown).
    private func sleep(until date: Date?) async {
        timer?.cancel()
        timer = nil
        if let date {
            let delay = max(0, date.timeIntervalSince(clock()))
            timer = Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(Int64(min(delay, 86_400) * 1000) + 1))
                if !Task.isCancelled { await self?.kick() }
            }
        }
        await withCheckedContinuation { continuation in
            if stopping {
                continuation.resume()
            } else {
                wake = continuation
            }
        }
    }

    private func kick() {
        wake?.resume()
        wake = nil
    }

    private func stop() {
        stopping = true
        kick()
    }

    /// Brings the feed set and the concurrency limit in line with `config` (at start and on reload).
    func apply(_ config: HeraldConfig) async {
        let saved = await engine.ledger.savedDues(for: config.feeds)
        core.spreadPerThousand = PollSchedule.seconds(config.firstPollSpread)
        let (removed, dropped) = core.apply(
            feeds: config.feeds, limit: config.limits.concurrentFeeds, saved: { saved[$0.id] }, now: clock())
        for id in removed { logger.info("feed removed", metadata: ["feed": "\(id)"]) }
        for ticket in dropped {
            requestedModes[ticket] = nil
            waiting.removeValue(forKey: ticket)?.resume(
                throwing: ReingestError(message: "the feed was removed from the configuration before its re-ingest ran"))
        }
        kick()
    }

    /// Polls the given feeds outside their schedule (re-ingest) and returns their reports; each waits for a poll
    /// of the same feed in flight.
    func runRequested(_ work: [(HeraldConfig.FeedConfig, PollMode)]) async throws -> [PollReport] {
        try await withThrowingTaskGroup(of: PollReport.self) { group in
            for (feed, mode) in work {
                group.addTask { try await self.request(feed.id, mode: mode) }
            }
            var reports: [PollReport] = []
            for try await report in group { reports.append(report) }
            return reports
        }
    }

    private func request(_ id: String, mode: PollMode) async throws -> PollReport {
        if stopping { throw CancellationError() }
        let ticket = nextTicket
        nextTicket += 1
        return try await withCheckedThrowingContinuation { continuation in
            guard core.request(id, ticket: ticket) else {
                continuation.resume(throwing: ReingestError(message: "no feed with id \"\(id)\" is scheduled"))
                return
            }
            waiting[ticket] = continuation
            requestedModes[ticket] = mode
            kick()
        }
    }

    private func launch(_ start: SchedulerCore.Start) {
        let engine = self.engine
        let mode = start.ticket.flatMap { requestedModes.removeValue(forKey: $0) } ?? .scheduled
        let feed = start.feed
        let ticket = start.ticket
        polls[feed.id] = Task {
            let result: Result<PollReport, any Error>
            do {
                result = .success(try await engine.poll(feed, mode: mode))
            } catch {
                result = .failure(error)
            }
            await self.finished(feed, ticket: ticket, result: result)
        }
    }

    private func finished(_ feed: HeraldConfig.FeedConfig, ticket: UInt64?, result: Result<PollReport, any Error>) async {
        polls[feed.id] = nil
        switch result {
        case .success(let report):
            core.finished(feed.id, nextDue: report.nextPoll)
            if let ticket { waiting.removeValue(forKey: ticket)?.resume(returning: report) }
            // The status line (systemd's STATUS=) at most once a second, not after each of thousands of polls.
            let now = clock()
            if now.timeIntervalSince(lastStatus) >= 1 {
                lastStatus = now
                await onChange()
            }
        case .failure(let error):
            // Nothing is written for a cancelled poll; the feed keeps its saved schedule.
            core.finished(feed.id, nextDue: clock().addingTimeInterval(60))
            if let ticket { waiting.removeValue(forKey: ticket)?.resume(throwing: error) }
            if !(error is CancellationError) && !stopping {
                logger.critical("stopping: \(error)", metadata: ["feed": "\(feed.id)"])
                if fatal == nil { fatal = error }
                stop()
            }
        }
        kick()
    }
}

/// Runs requested polls (re-ingest): the daemon's scheduler, or a plain limiter when no daemon runs.
protocol PollRunner: Sendable {
    func runRequested(_ work: [(HeraldConfig.FeedConfig, PollMode)]) async throws -> [PollReport]
}
