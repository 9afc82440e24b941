import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP. New, changed and removed feeds take effect at once; a bad configuration is
/// rejected with a log line and the old one kept. Fetch settings (user agent, timeouts, byte cap) and the state
/// directory take effect on restart only.
struct ReloadService: Service {
    let configPath: String
    let stateDirectory: String
    let engine: HeraldEngine
    let scheduler: FeedScheduler
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    func reload() async {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
        defer { notifier.notify("READY=1") }
        do {
            var config = try ConfigLoader.load(path: configPath)
            if config.stateDirectory != stateDirectory {
                logger.warning("state_dir changed in the configuration; it takes effect on restart")
            }
            config.stateDirectory = stateDirectory
            let old = engine.config
            engine.replaceConfig(config)
            await scheduler.apply(config)
            let added = Set(config.feeds.map(\.id)).subtracting(old.feeds.map(\.id))
            let removed = Set(old.feeds.map(\.id)).subtracting(config.feeds.map(\.id))
            logger.notice(
                "configuration reloaded",
                metadata: ["feeds": "\(config.feeds.count)", "added": "\(added.sorted())", "removed": "\(removed.sorted())"])
        } catch {
            logger.error("configuration rejected, keeping the previous one:\n\(error)")
        }
    }

    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
