import Foundation
import HeraldStore
import Logging
import ServiceLifecycle
import UnixSignals

/// `herald run`: the long-running daemon, built from services in one `ServiceGroup`.
///
/// Services: the feed scheduler, the control socket, SIGHUP reload, and the systemd lifecycle (READY, WATCHDOG,
/// STATUS, STOPPING). SIGTERM and SIGINT shut the group down gracefully: polls in flight are cancelled (their
/// partial work is never written), the log and state are flushed, and the process exits 0.
public enum Daemon {
    /// Runs until SIGTERM/SIGINT, or until a fatal state error (then throws).
    public static func run(configPath: String, stateDirectoryOverride: String?, logger: Logger) async throws {
        signal(SIGPIPE, SIG_IGN)
        // A dozen threads (curl, workers, ledger, log and schedule writers, the pool) would each get a malloc arena
        // of their own, each keeping what it freed; two keep the resident size close to what the daemon holds.
        _ = glibcMallopt(mallocArenaMax, 2)
        // Catch SIGTERM/SIGINT from the first moment: one that arrives during start-up (recovery can take a while)
        // must still end in a graceful shutdown, not in the default action.
        let stopper = EarlyStop()
        let earlySignals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let earlyWatch = Task {
            for await _ in earlySignals { await stopper.request() }
        }
        defer { earlyWatch.cancel() }
        var config = try ConfigLoader.load(path: configPath)
        if let override = stateDirectoryOverride { config.stateDirectory = ConfigLoader.absolutePath(override) }
        let store = StateStore(directory: config.stateDirectory)
        try store.prepare()
        let lock = try StateLock.acquire(stateDirectory: config.stateDirectory, purpose: "daemon")
        defer { lock.release() }

        let engine = try HeraldEngine(config: config, logger: logger)
        do {
            try await engine.start()
        } catch {
            await engine.close()
            throw error
        }
        let notifier = SystemdNotifier()
        let status: @Sendable () async -> String = { engine.statusLine(failingFeeds: await engine.failingFeeds()) }
        let scheduler = FeedScheduler(engine: engine, logger: logger) {
            if notifier.isActive { notifier.notify("STATUS=\(await status())") }
        }
        let control = try ControlServer(path: store.controlSocketPath, logger: logger) { [scheduler] request in
            switch request.op {
            case "ping":
                return ControlResponse(ok: true, pid: getpid())
            case "reingest":
                guard let scope = request.scope else {
                    return ControlResponse(ok: false, error: "reingest needs one of all, feed or url")
                }
                do {
                    return ControlResponse(ok: true, reingest: try await engine.reingest(scope, runner: scheduler))
                } catch let error as ReingestError {
                    return ControlResponse(ok: false, error: error.message)
                } catch {
                    return ControlResponse(ok: false, error: "re-ingest failed: \(error)")
                }
            default:
                return ControlResponse(ok: false, error: "unknown operation \"\(request.op)\"")
            }
        }
        let reload = ReloadService(
            configPath: configPath, stateDirectory: config.stateDirectory, engine: engine, scheduler: scheduler,
            notifier: notifier, logger: logger)
        let lifecycle = LifecycleService(
            notifier: notifier, status: status, watchdog: SystemdNotifier.watchdogInterval())

        logger.notice(
            "herald \(HeraldVersion.current) starting",
            metadata: ["feeds": "\(config.feeds.count)", "state": "\(config.stateDirectory)", "pid": "\(getpid())"])
        var groupConfig = ServiceGroupConfiguration(
            services: [
                .init(service: scheduler), .init(service: control), .init(service: reload), .init(service: lifecycle),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(4)
        let group = ServiceGroup(configuration: groupConfig)
        await stopper.attach(group)
        do {
            try await group.run()
        } catch {
            // A fatal error: the log may be unusable. Do not mark a clean shutdown; exit non-zero.
            engine.fetcher.shutdown()
            throw error
        }
        await engine.close()
        logger.notice("herald stopped", metadata: ["last_seq": "\(engine.changeLog.durableSeq)"])
    }

    /// `herald reingest` without a running daemon: takes the state lock and does the work in this process.
    public static func reingestOffline(configPath: String, stateDirectoryOverride: String?, scope: ReingestScope, logger: Logger)
        async throws -> ReingestResult
    {
        signal(SIGPIPE, SIG_IGN)
        var config = try ConfigLoader.load(path: configPath)
        if let override = stateDirectoryOverride { config.stateDirectory = ConfigLoader.absolutePath(override) }
        try StateStore(directory: config.stateDirectory).prepare()
        let lock = try StateLock.acquire(stateDirectory: config.stateDirectory, purpose: "reingest")
        defer { lock.release() }
        let engine = try HeraldEngine(config: config, logger: logger)
        do {
            try await engine.start()
            let result = try await engine.reingest(scope)
            await engine.close()
            return result
        } catch {
            await engine.close()
            throw error
        }
    }
}

/// Remembers a stop request that arrives before the service group runs, and forwards later ones to it.
actor EarlyStop {
    private var requested = false
    private var group: ServiceGroup?

    func request() async {
        requested = true
        await group?.triggerGracefulShutdown()
    }

    func attach(_ group: ServiceGroup) async {
        self.group = group
        if requested {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}

/// glibc's `mallopt`, which its Swift module does not export, and `M_ARENA_MAX` from `malloc.h`.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let mallocArenaMax: Int32 = -8
