import ArgumentParser
import Foundation
import HeraldDaemon
import HeraldStore
import Logging

struct ReingestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reingest",
        abstract: "Re-fetch and re-extract ignoring validators: everything, one feed or one article.",
        discussion: """
            With a daemon running on the state directory, the request goes to it over its control socket and this
            command waits for the result. Otherwise this command takes the state lock and does the work itself.
            Prints the result as JSON once its events are durable.
            """)

    @OptionGroup var location: LocationOptions

    @Flag(name: .long, help: "Re-ingest every feed.")
    var all = false

    @Option(name: .long, help: "Re-ingest the feed with this id.")
    var feed: String?

    @Option(name: .long, help: "Re-ingest the stored article with this URL.")
    var url: String?

    func validate() throws {
        let chosen = [all, feed != nil, url != nil].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give exactly one of --all, --feed ID or --url URL") }
    }

    func run() async throws {
        let scope: ReingestScope = all ? .all : feed.map(ReingestScope.feed) ?? .url(url!)
        let stateDirectory = location.resolvedStateDirectory()
        let socketPath = StateStore(directory: stateDirectory).controlSocketPath
        let result: ReingestResult
        if StateLock.holderPID(stateDirectory: stateDirectory) != nil {
            result = try viaDaemon(scope: scope, socketPath: socketPath)
        } else {
            bootstrapLogging(level: (try? ConfigLoader.load(path: location.config))?.logLevel ?? "info")
            do {
                result = try await Daemon.reingestOffline(
                    configPath: location.config, stateDirectoryOverride: location.stateOverride, scope: scope,
                    logger: Logger(label: "herald"))
            } catch let error as StoreError where error.code == .locked {
                // A daemon started in the meantime: ask it.
                result = try viaDaemon(scope: scope, socketPath: socketPath)
            } catch let error as ReingestError {
                throw fail(error.message)
            } catch let error as ConfigError {
                throw fail("\(error)", code: 78)
            } catch {
                throw fail("\(error)")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        writeOut(Array(try encoder.encode(result)) + [0x0A])
    }

    private func viaDaemon(scope: ReingestScope, socketPath: String) throws -> ReingestResult {
        let response: ControlResponse
        do {
            response = try ControlClient.send(ControlRequest(scope: scope), socketPath: socketPath)
        } catch {
            throw fail("the daemon holds the state directory but did not answer: \(error)")
        }
        guard response.ok, let result = response.reingest else {
            throw fail(response.error ?? "the daemon refused the request")
        }
        return result
    }
}
