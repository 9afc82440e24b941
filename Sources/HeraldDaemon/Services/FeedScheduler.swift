import Foundation
import Logging
import ServiceLifecycle

/// Polls every configured feed on its interval: one task per feed, at most `limits.concurrent_feeds` polling at
/// once. The first poll of every feed happens at start. A reload replaces the tasks of new, changed and removed
/// feeds and leaves the others alone.
actor FeedScheduler: Service {
    private let engine: HeraldEngine
    private let logger: Logger
    private let onChange: @Sendable () async -> Void
    private var tasks: [String: (feed: HeraldConfig.FeedConfig, interval: Duration, task: Task<Void, Never>)] = [:]
    private var limiter: AsyncLimiter
    private var fatal: (any Error)?
    private var fatalContinuation: AsyncStream<Void>.Continuation?

    init(engine: HeraldEngine, logger: Logger, onChange: @escaping @Sendable () async -> Void) {
        self.engine = engine
        self.logger = logger
        self.onChange = onChange
        self.limiter = AsyncLimiter(limit: engine.config.limits.concurrentFeeds)
    }

    func run() async throws {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        fatalContinuation = continuation
        apply(engine.config)
        await withGracefulShutdownHandler {
            for await _ in stream { break }
        } onGracefulShutdown: {
            continuation.finish()
        }
        let running = tasks.values.map(\.task)
        tasks.removeAll()
        for task in running { task.cancel() }
        for task in running { await task.value }
        if let fatal { throw fatal }
    }

    /// Starts, restarts or stops feed tasks to match `config`.
    func apply(_ config: HeraldConfig) {
        let wanted = Dictionary(uniqueKeysWithValues: config.feeds.map { ($0.id, $0) })
        for (id, entry) in tasks {
            if let feed = wanted[id], feed == entry.feed, config.interval(of: feed) == entry.interval { continue }
            if wanted[id] == nil { logger.info("feed removed", metadata: ["feed": "\(id)"]) }
            entry.task.cancel()
            tasks[id] = nil
        }
        limiter = AsyncLimiter(limit: config.limits.concurrentFeeds)
        for feed in config.feeds where tasks[feed.id] == nil {
            tasks[feed.id] = (feed, config.interval(of: feed), startTask(for: feed))
        }
    }

    private func startTask(for feed: HeraldConfig.FeedConfig) -> Task<Void, Never> {
        let engine = self.engine
        let limiter = self.limiter
        let logger = self.logger
        let onChange = self.onChange
        return Task {
            var delay: Double = 0
            while !Task.isCancelled {
                if delay > 0 {
                    do {
                        try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                    } catch {
                        return
                    }
                }
                do {
                    let report = try await limiter.run { try await engine.poll(feed) }
                    delay = max(0.05, report.nextPoll.timeIntervalSinceNow)
                    await onChange()
                } catch is CancellationError {
                    return
                } catch {
                    logger.critical("stopping: \(error)", metadata: ["feed": "\(feed.id)"])
                    self.fail(error)
                    return
                }
            }
        }
    }

    private func fail(_ error: any Error) {
        if fatal == nil { fatal = error }
        fatalContinuation?.finish()
    }
}
