import Foundation
import ServiceLifecycle

/// Tells systemd we are ready, keeps the watchdog fed and the status line fresh, and says STOPPING=1 on shutdown.
struct LifecycleService: Service {
    let notifier: SystemdNotifier
    let status: @Sendable () async -> String
    let watchdog: Duration?

    func run() async throws {
        notifier.notify("READY=1\nSTATUS=\(await status())\nMAINPID=\(getpid())")
        let period = watchdog ?? .seconds(15)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully { break }
            notifier.notify((watchdog != nil ? "WATCHDOG=1\n" : "") + "STATUS=\(await status())")
        }
        notifier.notify("STOPPING=1\nSTATUS=stopping")
    }
}
