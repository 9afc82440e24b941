import ArgumentParser
import Foundation
import HeraldDaemon
import HeraldStore
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: poll every feed on its interval until SIGTERM/SIGINT; SIGHUP reloads the configuration.")

    @OptionGroup var location: LocationOptions

    func run() async throws {
        let level = (try? ConfigLoader.load(path: location.config))?.logLevel ?? "info"
        bootstrapLogging(level: level)
        let logger = Logger(label: "herald")
        do {
            try await Daemon.run(
                configPath: location.config, stateDirectoryOverride: location.stateOverride, logger: logger)
        } catch let error as ConfigError {
            throw fail("\(error)", code: 78)  // EX_CONFIG
        } catch let error as StoreError where error.code == .locked {
            throw fail("\(error.message)", code: 75)  // EX_TEMPFAIL
        } catch {
            throw fail("\(error)")
        }
    }
}
