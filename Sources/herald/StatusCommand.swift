import ArgumentParser
import Foundation
import HeraldDaemon
import HeraldStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each feed's last and next poll, errors and article counts, and whether the daemon runs.")

    @OptionGroup var location: LocationOptions

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let stateDirectory = location.resolvedStateDirectory()
        let store = StateStore(directory: stateDirectory)
        let feeds: [FeedState]
        do {
            feeds = try store.loadAllFeeds()
        } catch {
            throw fail("cannot read feed state in \(stateDirectory): \(error)")
        }
        let pid = StateLock.holderPID(stateDirectory: stateDirectory)
        let lastSeq = (try? ChangeLogReader(stateDirectory: stateDirectory).lastSeq()) ?? 0
        if json {
            var objects: [[String: Any]] = []
            for feed in feeds {
                objects.append([
                    "id": feed.id, "url": feed.url, "title": feed.title ?? NSNull(),
                    "last_poll": feed.lastPoll ?? NSNull(), "last_success": feed.lastSuccess ?? NSNull(),
                    "next_poll": feed.nextPoll ?? NSNull(), "consecutive_errors": feed.consecutiveErrors,
                    "failing": feed.failing, "last_error": feed.lastError ?? NSNull(),
                    "articles": feed.entries.values.filter { $0.duplicateOf == nil }.count,
                    "duplicates": feed.entries.values.filter { $0.duplicateOf != nil }.count,
                ])
            }
            let top: [String: Any] = [
                "state_dir": stateDirectory, "daemon_running": pid != nil, "daemon_pid": pid.map { Int($0) } ?? NSNull(),
                "last_seq": lastSeq, "feeds": objects,
            ]
            let data = try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
            writeOut(Array(data) + [0x0A])
            return
        }
        print("state: \(stateDirectory)")
        print("daemon: " + (pid.map { "running (pid \($0))" } ?? "not running"))
        print("change log: last seq \(lastSeq)")
        if feeds.isEmpty {
            print("no feed has been polled yet")
            return
        }
        let header = ["FEED", "ARTICLES", "DUPS", "ERRORS", "LAST POLL", "NEXT POLL", "LAST ERROR"]
        var rows = [header]
        for feed in feeds {
            rows.append([
                feed.id, "\(feed.entries.values.filter { $0.duplicateOf == nil }.count)",
                "\(feed.entries.values.filter { $0.duplicateOf != nil }.count)",
                feed.failing ? "\(feed.consecutiveErrors) (failing)" : "\(feed.consecutiveErrors)",
                feed.lastPoll ?? "-", feed.nextPoll ?? "-", feed.failing ? (feed.lastError ?? "") : "",
            ])
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
        }
    }
}
