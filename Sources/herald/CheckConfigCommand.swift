import ArgumentParser
import HeraldDaemon

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration and print every problem with its line.")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "config/herald.yaml"

    func run() throws {
        do {
            let loaded = try ConfigLoader.load(path: config)
            print("\(config): OK, \(loaded.feeds.count) feed\(loaded.feeds.count == 1 ? "" : "s"), state in \(loaded.stateDirectory)")
            for feed in loaded.feeds {
                print("  \(feed.id)\t\(DurationText.format(loaded.interval(of: feed)))\t\(feed.url)")
            }
        } catch {
            print("\(error)")
            throw ExitCode(78)
        }
    }
}
