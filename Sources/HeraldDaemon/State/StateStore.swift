import Foundation
import HeraldStore

/// The layout of Herald's state directory and typed access to its JSON files.
///
/// ```
/// <state>/herald.lock             exclusive lock held by the process that writes
/// <state>/control.sock            the running daemon's control socket
/// <state>/changes.ndjson          the change log (see docs/change-log.md)
/// <state>/log.json                the change log's epoch
/// <state>/feeds/<id>.json         FeedState
/// <state>/articles/ab/<hash>.json ArticleRecord, content-addressed, published once its event is durable
/// <state>/articles/.staging/       article files written before their event; settled by recovery at start
/// <state>/ledger.json              LedgerMeta: the change-log seq that all state reflects (written at clean exit)
/// ```
/// Every write goes through `AtomicFile` (temp file, fsync, rename, fsync of the directory).
public struct StateStore: Sendable {
    /// The state directory (absolute).
    public let directory: String

    /// A store rooted at `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Path of the control socket of a daemon running on this state.
    public var controlSocketPath: String { directory + "/control.sock" }

    /// Path of the change log.
    public var changeLogPath: String { directory + "/changes.ndjson" }

    func feedPath(_ id: String) -> String { directory + "/feeds/" + id + ".json" }

    /// Path of an article file, relative to the state directory.
    public static func articleRelativePath(hash: String) -> String {
        "articles/" + String(hash.prefix(2)) + "/" + hash + ".json"
    }

    func articlePath(hash: String) -> String { directory + "/" + Self.articleRelativePath(hash: hash) }

    /// Creates the directory tree (0750 narrowed by the umask; no planted link is followed below `directory`).
    public func prepare() throws {
        for sub in ["feeds", "articles/.staging"] {
            try AtomicFile.createDirectories(sub, in: directory)
        }
    }

    /// Reads a feed's state; nil when the feed was never polled.
    public func loadFeed(_ id: String) throws -> FeedState? {
        guard let bytes = try AtomicFile.read(feedPath(id)) else { return nil }
        return try StateJSON.decode(FeedState.self, from: bytes)
    }

    /// Reads every feed state in the directory.
    public func loadAllFeeds() throws -> [FeedState] {
        let dir = directory + "/feeds"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return try names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            try loadFeed(String(name.dropLast(5)))
        }
    }

    func saveFeed(_ state: FeedState) throws {
        try AtomicFile.write(StateJSON.encode(state), to: feedPath(state.id))
    }

    /// Writes several feed states crash-safely with two `syncfs` in all instead of two fsyncs each: every new
    /// content goes to `<id>.json.pending`, is made durable, then renamed over `<id>.json`, and the names are made
    /// durable. After a crash each file is the old or the new state; a `.pending` left over is ignored.
    func saveFeeds(_ states: [FeedState]) throws {
        guard states.count > 1 else {
            if let state = states.first { try saveFeed(state) }
            return
        }
        for state in states {
            try AtomicFile.write(StateJSON.encode(state), to: feedPath(state.id) + ".pending", durability: .deferred)
        }
        try AtomicFile.syncFilesystem(containing: directory + "/feeds")
        for state in states {
            try AtomicFile.move(feedPath(state.id) + ".pending", to: feedPath(state.id), syncDirectories: false)
        }
        try AtomicFile.syncFilesystem(containing: directory + "/feeds")
    }

    /// Reads the article stored under `hash`, nil when there is none.
    public func loadArticle(hash: String) throws -> ArticleRecord? {
        guard let bytes = try AtomicFile.read(articlePath(hash: hash)) else { return nil }
        return try StateJSON.decode(ArticleRecord.self, from: bytes)
    }

    func articleExists(hash: String) -> Bool {
        FileManager.default.fileExists(atPath: articlePath(hash: hash))
    }

    func stagedPath(hash: String) -> String { directory + "/articles/.staging/" + hash + ".json" }

    /// Writes an article file into the staging directory (crash-safe), before its event is logged.
    /// The file is durable only after ``syncStaging()`` (called once for a batch, before the batch's events are
    /// appended): one `syncfs` for the whole batch instead of two fsyncs per file.
    func stageArticle(_ record: ArticleRecord) throws {
        try AtomicFile.write(StateJSON.encode(record), to: stagedPath(hash: record.contentHash), durability: .deferred)
    }

    /// Makes the files staged so far durable, contents and names.
    func syncStaging() throws {
        try AtomicFile.syncFilesystem(containing: directory + "/articles/.staging")
    }

    func stagedArticleExists(hash: String) -> Bool {
        FileManager.default.fileExists(atPath: stagedPath(hash: hash))
    }

    /// Moves a staged article file to its public path (rename, then fsync of both directories).
    ///
    /// With `durable: false` the directories are not synced: a crash may undo the move, leaving the file in the
    /// staging directory, where recovery finds it again (its hash is referenced by a feed state or a replayed
    /// event) and publishes it.
    func publishStagedArticle(hash: String, durable: Bool = true) throws {
        try AtomicFile.move(stagedPath(hash: hash), to: articlePath(hash: hash), syncDirectories: durable)
    }

    /// Publishes staged files whose hash `isReferenced` (their event was durable, a move was lost in a crash) and
    /// deletes the others (left by a crash before their event was logged); returns how many were deleted and
    /// published.
    func settleStagedArticles(isReferenced: (String) -> Bool) throws -> (discarded: Int, published: Int) {
        let dir = directory + "/articles/.staging"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var discard: [String] = []
        var published = 0
        for name in names {
            let hash = name.hasSuffix(".json") ? String(name.dropLast(5)) : ""
            if !hash.isEmpty, !hash.hasPrefix("."), isReferenced(hash) {
                if articleExists(hash: hash) {
                    discard.append(name)
                } else {
                    try publishStagedArticle(hash: hash)
                    published += 1
                }
            } else {
                discard.append(name)
            }
        }
        try AtomicFile.removeAll(discard, in: dir)
        return (discard.count, published)
    }

    func loadLedgerMeta() throws -> LedgerMeta {
        guard let bytes = try AtomicFile.read(directory + "/ledger.json") else { return LedgerMeta(appliedSeq: 0) }
        return try StateJSON.decode(LedgerMeta.self, from: bytes)
    }

    func saveLedgerMeta(_ meta: LedgerMeta) throws {
        try AtomicFile.write(StateJSON.encode(meta), to: directory + "/ledger.json")
    }
}

/// The change-log position that the whole state reflects.
struct LedgerMeta: Codable, Equatable {
    var appliedSeq: UInt64

    enum CodingKeys: String, CodingKey {
        case appliedSeq = "applied_seq"
    }
}
