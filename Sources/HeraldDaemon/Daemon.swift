import Foundation
import HeraldStore
import Logging
import ServiceLifecycle

/// `herald run`: the long-running daemon, built from services in one `ServiceGroup`.
///
/// Services: the feed scheduler, the control socket, SIGHUP reload, and the systemd lifecycle (READY, WATCHDOG,
/// STATUS, STOPPING). SIGTERM and SIGINT shut the group down gracefully: polls in flight are cancelled (their
/// partial work is never written), the log and state are flushed, and the process exits 0.
public enum Daemon {
    /// Runs until SIGTERM/SIGINT, or until a fatal state error (then throws).
    public static func run(configPath: String, stateDirectoryOverride: String?, logger: Logger) async throws {
        signal(SIGPIPE, SIG_IGN)
        var config = try ConfigLoader.load(path: configPath)
        if let override = stateDirectoryOverride { config.stateDirectory = ConfigLoader.absolutePath(override) }
        let store = StateStore(directory: config.stateDirectory)
        try store.prepare()
        let lock = try StateLock.acquire(stateDirectory: config.stateDirectory, purpose: "daemon")
        defer { lock.release() }

        let engine = try HeraldEngine(config: config, logger: logger)
        defer { engine.close() }
        let notifier = SystemdNotifier()
        let status: @Sendable () async -> String = { engine.statusLine(failingFeeds: await engine.failingFeeds()) }
        let scheduler = FeedScheduler(engine: engine, logger: logger) {
            if notifier.isActive { notifier.notify("STATUS=\(await status())") }
        }
        let control = try ControlServer(path: store.controlSocketPath, logger: logger) { request in
            switch request.op {
            case "ping":
                return ControlResponse(ok: true, pid: getpid())
            case "reingest":
                guard let scope = request.scope else {
                    return ControlResponse(ok: false, error: "reingest needs one of all, feed or url")
                }
                do {
                    return ControlResponse(ok: true, reingest: try await engine.reingest(scope))
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
        try await group.run()
        logger.notice("herald stopped", metadata: ["last_seq": "\(engine.changeLog.lastSeq)"])
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
        defer { engine.close() }
        return try await engine.reingest(scope)
    }
}
