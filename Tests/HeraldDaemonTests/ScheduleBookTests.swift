import Foundation
import HeraldExtract
import HeraldFeeds
import HeraldStore
import Logging
import Testing

@testable import HeraldDaemon

func withStateDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = "/tmp/herald-daemon-test-" + UUID().uuidString.prefix(8).lowercased()
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

@Suite struct ScheduleBookTests {
    func record(_ id: String, revision: UInt64, interval: Double = 900) -> FeedSchedule {
        var s = FeedSchedule(id: id, configuredURL: "https://a.example/\(id)", interval: interval, reason: "r")
        s.revision = revision
        s.etag = "\"e\(revision)\""
        return s
    }

    @Test func recordsSurviveACloseAndTheNewestRevisionWins() async throws {
        try await withStateDirectory { dir in
            let book = try ScheduleBook(directory: dir)
            try book.update(record("a", revision: 1))
            try book.update(record("b", revision: 1))
            try book.update(record("a", revision: 2, interval: 60))
            try book.close()
            let loaded = try ScheduleBook.load(directory: dir)
            #expect(loaded.count == 2)
            #expect(loaded["a"]?.revision == 2 && loaded["a"]?.interval == 60)
            // A line older than the record already read (a snapshot written after it) is ignored.
            let stale = try StateJSON.encode(record("a", revision: 1)) + [0x0A]
            let handle = try #require(FileHandle(forWritingAtPath: dir + "/schedule.ndjson"))
            handle.seekToEndOfFile()
            handle.write(Data(stale))
            // A torn last line (a crash in the middle of a write) is dropped.
            handle.write(Data(#"{"id":"b","configured_url":"x","revisi"#.utf8))
            handle.closeFile()
            let again = try ScheduleBook.load(directory: dir)
            #expect(again["a"]?.revision == 2)
            #expect(again["b"]?.revision == 1)
        }
    }

    @Test func theJournalIsFoldedIntoASnapshotAndStaysSmall() async throws {
        try await withStateDirectory { dir in
            let book = try ScheduleBook(directory: dir, compactAbove: 16 << 10)
            // 3,000 polls of 10 feeds: far more journal than snapshot.
            for revision in 1...300 {
                for n in 0..<10 { try book.update(record("f\(n)", revision: UInt64(revision))) }
                if revision % 50 == 0 { usleep(20_000) }  // let the writer take batches
            }
            try book.close()
            let journal = (try? FileManager.default.attributesOfItem(atPath: dir + "/schedule.ndjson")[.size] as? Int) ?? 0
            let loaded = try ScheduleBook.load(directory: dir)
            #expect(loaded.count == 10)
            #expect(loaded.values.allSatisfy { $0.revision == 300 })
            #expect(journal < 64 << 10, "journal \(journal) bytes")
            #expect(FileManager.default.fileExists(atPath: dir + "/schedule-snapshot.ndjson"))
        }
    }
}

@Suite struct EntryMemoryTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func ledger(_ dir: String) throws -> (ArticleLedger, ChangeLog, ScheduleBook) {
        let store = StateStore(directory: dir)
        try store.prepare()
        let log = try ChangeLog.open(stateDirectory: dir, logger: Logger(label: "test"))
        let book = try ScheduleBook(directory: dir)
        return (ArticleLedger(store: store, changeLog: log, book: book, logger: Logger(label: "test")), log, book)
    }

    func candidate(_ key: String, link: String, text: String) -> ArticleCandidate {
        let feed = HeraldConfig.FeedConfig(id: "f", url: "https://a.example/feed")
        let entry = FeedEntry(key: key, link: link, title: key)
        var record = ArticleBuilder.record(feed: feed, entry: entry, extracted: nil, finalURL: nil, fallbackReason: nil)
        record.text = text
        record.contentHash = ContentHash.of(text)
        return ArticleCandidate(feedID: "f", feedURL: feed.url, entryKey: key, fingerprint: "fp", record: record)
    }

    @Test func entriesThatLeaveBecomeTombstonesAndStayKnownUntilRetentionEnds() async throws {
        try await withStateDirectory { dir in
            let (ledger, log, book) = try ledger(dir)
            _ = try await ledger.recover()
            _ = try await ledger.record([
                candidate("k1", link: "https://a.example/1", text: "one text here"),
                candidate("k2", link: "https://a.example/2", text: "two text here"),
            ])
            let retention: TimeInterval = 30 * 86_400
            // k2 leaves the feed; a day later it is still kept in full, after a week it is a tombstone.
            try await ledger.noteDocument(feedID: "f", url: "u", presentKeys: ["k1"], seenOnly: [], now: t0, retention: retention)
            try await ledger.noteDocument(
                feedID: "f", url: "u", presentKeys: ["k1"], seenOnly: [], now: t0.addingTimeInterval(86_400), retention: retention)
            var state = try #require(await ledger.feedState(id: "f", url: "u"))
            #expect(state.entries["k2"] != nil)
            try await ledger.noteDocument(
                feedID: "f", url: "u", presentKeys: ["k1"], seenOnly: [], now: t0.addingTimeInterval(8 * 86_400), retention: retention)
            state = try await ledger.feedState(id: "f", url: "u")
            #expect(state.entries["k2"] == nil)
            #expect(state.tombstones.count == 1)
            // It comes back: not new.
            let back = await ledger.classify(feedID: "f", entries: [EntryLookup(key: "k2", link: "https://a.example/2", fingerprint: "fp")])
            #expect(back == [EntryVerdict(key: "k2", isNew: false, changed: false)])
            // Past the retention it is forgotten.
            try await ledger.noteDocument(
                feedID: "f", url: "u", presentKeys: ["k1"], seenOnly: [], now: t0.addingTimeInterval(40 * 86_400), retention: retention)
            state = try await ledger.feedState(id: "f", url: "u")
            #expect(state.tombstones.isEmpty)
            // The feed file holds only what it must.
            let bytes = try #require(try AtomicFile.read(dir + "/feeds/f.json"))
            #expect(!String(decoding: bytes, as: UTF8.self).contains("next_poll"))
            try book.close()
            try log.close()
        }
    }

    @Test func anEntryWithANewIdButAKnownLinkIsTheKnownArticle() async throws {
        try await withStateDirectory { dir in
            let (ledger, log, book) = try ledger(dir)
            _ = try await ledger.recover()
            _ = try await ledger.record([candidate("guid-1", link: "https://a.example/story?utm_source=x", text: "story text")])
            let verdicts = await ledger.classify(feedID: "f", entries: [
                EntryLookup(key: "guid-2", link: "https://a.example/story?utm_source=x", fingerprint: "fp"),
                EntryLookup(key: "guid-3", link: "https://a.example/other", fingerprint: "fp"),
            ])
            #expect(verdicts[0] == EntryVerdict(key: "guid-1", isNew: false, changed: false))
            #expect(verdicts[1].isNew)
            try book.close()
            try log.close()
        }
    }

    /// The size of a feed's state after a year at 100 new entries a day, with the default retention (180 days):
    /// the feed's current 100 entries, a week of departed ones in full, the rest as tombstones.
    @Test func aFeedsStateStaysBoundedAfterAYearOfEntries() throws {
        let day = 86_400.0
        let retention = 180 * day
        var state = FeedState(id: "busy-feed", url: "https://news.example.org/rss")
        let now = t0.addingTimeInterval(365 * day)
        for n in 0..<36_500 {
            let key = "https://news.example.org/2027/\(n)/a-story-about-something-\(n)"
            let seen = t0.addingTimeInterval(Double(n) / 100 * day)
            let age = now.timeIntervalSince(seen)
            let articleID = ArticleBuilder.articleID(feedID: state.id, entryKey: key)
            if age < 8 * day {
                var entry = FeedState.Entry(
                    articleID: articleID, contentHash: ContentHash.of("text \(n)"), url: key,
                    firstSeen: Timestamp.string(seen), fingerprint: "2027-01-01T00:00:00Z A story about something \(n)",
                    aliases: [key])
                if age > day { entry.departed = seen.addingTimeInterval(day) }
                state.entries[key] = entry
            } else if age < retention + 8 * day {
                state.tombstones[FeedState.tombstoneKey(key)] = FeedState.Tombstone(
                    articleID: articleID, expires: seen.addingTimeInterval(retention))
            }
        }
        let bytes = try StateJSON.encode(state).count
        print("feed state after a year at 100 entries a day: \(state.entries.count) entries, \(state.tombstones.count) tombstones, \(bytes) bytes")
        #expect(state.tombstones.count < 19_000)
        #expect(bytes < 3 << 20)
    }
}
