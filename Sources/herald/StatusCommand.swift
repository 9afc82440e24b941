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
        let schedules: [String: FeedSchedule]
        do {
            feeds = try store.loadAllFeeds()
            schedules = try ScheduleBook.load(directory: stateDirectory)
        } catch {
            throw fail("cannot read feed state in \(stateDirectory): \(error)")
        }
        let states = Dictionary(feeds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ids = Set(states.keys).union(schedules.keys).sorted {
            $0.compare($1, options: [.numeric, .caseInsensitive]) == .orderedAscending
        }
        let pid = StateLock.holderPID(stateDirectory: stateDirectory)
        let lastSeq = (try? ChangeLogReader(stateDirectory: stateDirectory).lastSeq()) ?? 0
        let now = Date()
        func time(_ d: Date?) -> String { d.map { isoTime($0) } ?? "-" }
        if json {
            var objects: [[String: Any]] = []
            for id in ids {
                let feed = states[id]
                let s = schedules[id]
                var o: [String: Any] = [
                    "id": id, "url": s?.configuredURL ?? feed?.url ?? "", "title": feed?.title ?? NSNull(),
                    "articles": feed?.entries.values.filter { $0.duplicateOf == nil }.count ?? 0,
                    "duplicates": feed?.entries.values.filter { $0.duplicateOf != nil }.count ?? 0,
                    "tombstones": feed?.tombstones.count ?? 0,
                    "page_retries": feed?.entries.values.filter { $0.pageRetry != nil }.count ?? 0,
                ]
                if let s {
                    o["polled_url"] = s.pollURL
                    o["moved_to"] = s.movedTo ?? NSNull()
                    o["last_poll"] = s.lastPoll.map(isoTime) ?? NSNull()
                    o["last_success"] = s.lastSuccess.map(isoTime) ?? NSNull()
                    o["next_poll"] = s.nextPoll.map(isoTime) ?? NSNull()
                    o["last_status"] = s.lastStatus ?? NSNull()
                    o["interval_seconds"] = Int(s.interval)
                    o["interval_reason"] = s.intervalReason
                    o["consecutive_errors"] = s.consecutiveErrors
                    o["failing"] = s.failing
                    o["failing_since"] = s.failingSince.map(isoTime) ?? NSNull()
                    o["last_error"] = s.lastError ?? NSNull()
                    o["reason_code"] = s.lastReasonCode ?? NSNull()
                    o["gone"] = s.gone
                    o["validators_trusted"] = s.validatorsTrusted
                    o["not_before"] = s.notBefore.map(isoTime) ?? NSNull()
                    o["last_new_article"] = s.lastNewArticle.map(isoTime) ?? NSNull()
                }
                objects.append(o)
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
        if ids.isEmpty {
            print("no feed has been polled yet")
            return
        }
        let header = ["FEED", "ARTICLES", "DUPS", "STATUS", "LAST POLL", "NEXT POLL", "INTERVAL", "WHY / LAST ERROR"]
        var rows = [header]
        for id in ids {
            let feed = states[id]
            let s = schedules[id]
            var status = s?.lastStatus.map { "\($0)" } ?? "-"
            var note = s.map { "\($0.intervalReason)" } ?? ""
            if let s, s.gone {
                status = "gone"
                note = "HTTP 410: not polled until its URL changes or `herald reingest --feed \(id)`"
            } else if let s, s.failing {
                let age = s.failingSince.map { " for " + Self.age(now.timeIntervalSince($0)) } ?? ""
                status = "failing\(age) (\(s.consecutiveErrors)x)"
                note = "\(s.lastReasonCode ?? "error"): \(s.lastError ?? "")"
            }
            if let moved = s?.movedTo { note += "; moved: \(s!.configuredURL) -> \(moved)" }
            if let s, !s.validatorsTrusted { note += "; validators ignored" }
            rows.append([
                id.escapingControlCharacters, "\(feed?.entries.values.filter { $0.duplicateOf == nil }.count ?? 0)",
                "\(feed?.entries.values.filter { $0.duplicateOf != nil }.count ?? 0)", status,
                time(s?.lastPoll), s?.gone == true ? "-" : time(s?.nextPoll),
                s.map { Self.age($0.interval) } ?? "-", note.escapingControlCharacters,
            ])
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
        }
    }

    /// A duration for people: 45s, 12m, 3h, 2d.
    static func age(_ seconds: Double) -> String {
        if seconds < 120 { return "\(Int(seconds))s" }
        if seconds < 7200 { return "\(Int(seconds / 60))m" }
        if seconds < 172_800 { return "\(Int(seconds / 3600))h" }
        return "\(Int(seconds / 86_400))d"
    }
}

/// An instant as RFC 3339 in UTC.
func isoTime(_ date: Date) -> String { date.formatted(.iso8601) }
