import Foundation
import HeraldStore
import Logging

/// What `herald verify` found.
public struct VerifyReport: Sendable, Codable, Equatable {
    public var events = 0
    public var firstSeq: UInt64 = 0
    public var lastSeq: UInt64 = 0
    public var articleFiles = 0
    public var feedFiles = 0
    public var replayedEvents = 0
    public var publishedFiles = 0
    public var discardedFiles = 0
    public var problems: [String] = [] {
        didSet { ok = problems.isEmpty }
    }
    /// True when log and state agree.
    public private(set) var ok = true

    public init() {}

    enum CodingKeys: String, CodingKey {
        case events, firstSeq = "first_seq", lastSeq = "last_seq", articleFiles = "article_files"
        case feedFiles = "feed_files", replayedEvents = "replayed_events", publishedFiles = "published_files"
        case discardedFiles = "discarded_files", problems, ok
    }
}

/// `herald verify`: recovers the state the way a daemon start does, then checks that log and state agree.
///
/// Checks: the log's seqs are contiguous and unique; every published article file parses and has its
/// `created`/`updated` event; every such event's article file exists; no content hash was created twice; every
/// feed state file parses.
public enum StateVerifier {
    /// Takes the state lock (fails if a daemon runs), recovers, verifies.
    public static func verify(stateDirectory: String, logger: Logger) async throws -> VerifyReport {
        let store = StateStore(directory: stateDirectory)
        try store.prepare()
        let lock = try StateLock.acquire(stateDirectory: stateDirectory, purpose: "verify")
        defer { lock.release() }
        let changeLog = try ChangeLog.open(stateDirectory: stateDirectory, logger: logger)
        let book = try ScheduleBook(directory: stateDirectory)
        let ledger = ArticleLedger(store: store, changeLog: changeLog, book: book, logger: logger)
        var report = VerifyReport()
        do {
            let recovery = try await ledger.recover()
            report.replayedEvents = recovery.replayedEvents
            report.publishedFiles = recovery.publishedFiles
            report.discardedFiles = recovery.discardedFiles
            try book.close()
            try changeLog.close()
        } catch {
            try? book.close()
            try? changeLog.close()
            report.problems.append("recovery failed: \(error)")
            return report
        }
        check(store: store, into: &report)
        return report
    }

    static func check(store: StateStore, into report: inout VerifyReport) {
        var announced = Set<String>()
        var firstRetained: UInt64 = 1
        var created = Set<String>()
        var previous: UInt64? = nil
        do {
            let reader = ChangeLogReader(stateDirectory: store.directory)
            firstRetained = try reader.firstRetainedSeq()
            for entry in try reader.readFromStart() {
                if let p = previous, entry.seq != p + 1 {
                    report.problems.append("seq \(entry.seq) follows \(p)")
                }
                if previous == nil {
                    report.firstSeq = entry.seq
                    if entry.seq != firstRetained {
                        report.problems.append("the log starts at seq \(entry.seq), log.json says \(firstRetained)")
                    }
                }
                previous = entry.seq
                report.events += 1
                guard var event = try? StateJSON.decode(ChangeEvent.self, from: entry.line) else {
                    report.problems.append("event \(entry.seq) does not parse")
                    continue
                }
                event.data = (try? reader.resolvedData(of: event)) ?? event.data
                guard ArticleLedger.announcesFile(event), let hash = event.data["content_hash"]?.stringValue
                else { continue }
                announced.insert(hash)
                if event.type == EventType.articleCreated {
                    if !created.insert(hash).inserted {
                        report.problems.append("content hash \(hash) was created twice (again at seq \(event.seq))")
                    }
                }
                if !store.articleExists(hash: hash) {
                    report.problems.append("event \(event.seq) (\(event.type)) names a missing article file \(hash)")
                }
            }
        } catch {
            report.problems.append("the change log cannot be read: \(error)")
        }
        report.lastSeq = previous ?? 0

        let articles = store.directory + "/articles"
        for shard in ((try? FileManager.default.contentsOfDirectory(atPath: articles)) ?? []).sorted()
        where shard.count == 2 {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: articles + "/" + shard)) ?? []).sorted() {
                guard name.hasSuffix(".json") else { continue }
                report.articleFiles += 1
                let hash = String(name.dropLast(5))
                do {
                    guard let record = try store.loadArticle(hash: hash) else { continue }
                    if record.contentHash != hash {
                        report.problems.append("article file \(shard)/\(name) holds hash \(record.contentHash)")
                    }
                } catch {
                    report.problems.append("article file \(shard)/\(name) does not parse: \(error)")
                }
                if !announced.contains(hash) && firstRetained <= 1 {
                    report.problems.append("article file \(shard)/\(name) has no created or updated event")
                }
            }
        }
        let feedsDirectory = store.directory + "/feeds"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: feedsDirectory)) ?? []).sorted()
        where name.hasSuffix(".json") {
            report.feedFiles += 1
            do {
                _ = try store.loadFeed(String(name.dropLast(5)))
            } catch {
                report.problems.append("feed state \(name) does not parse: \(error)")
            }
        }
        for name in ["log.json", "ledger.json"] {
            let path = store.directory + "/" + name
            guard let bytes = try? AtomicFile.read(path) else { continue }
            if (try? JSONSerialization.jsonObject(with: Data(bytes))) == nil {
                report.problems.append("\(name) does not parse")
            }
        }
    }
}
