/// The content of `<stateDir>/log.json`: which log the segments belong to and what is known about it.
///
/// ```json
/// {"boot_id":"…","clean_shutdown":false,"created":"2026-11-22T04:12:33.123Z","epoch":"<uuid>",
///  "epochs":[{"epoch":"<uuid>","first_seq":1}],"first_seq":1,"last_seq":0,"updated":"…"}
/// ```
/// Files written by older versions hold only `epoch` and `created`; the other fields then take their defaults.
struct ChangeLogMetadata: Codable, Sendable, Equatable {
    /// Where one epoch began.
    struct EpochStart: Codable, Sendable, Equatable {
        /// The epoch's UUID.
        var epoch: String
        /// The seq of its first event.
        var firstSeq: UInt64
        /// Why it started (absent for the first epoch): see ``ChangeLogOpener/EpochReason``.
        var reason: String?

        init(epoch: String, firstSeq: UInt64, reason: String? = nil) {
            self.epoch = epoch
            self.firstSeq = firstSeq
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case epoch, reason
            case firstSeq = "first_seq"
        }
    }

    /// The current epoch: a lowercase UUID.
    var epoch: String
    /// When the log (its first epoch) was created, RFC 3339 UTC.
    var created: String
    /// Every epoch of this log in order, with the seq of its first event.
    var epochs: [EpochStart]
    /// The first seq still retained (older segments were deleted by retention). 1 when nothing was deleted.
    var firstSeq: UInt64
    /// A seq known to be durable in the log (updated at rotation and at close). If the segments end before it,
    /// they were replaced by an older copy.
    var lastSeq: UInt64
    /// `/proc/sys/kernel/random/boot_id` when the log was last opened for writing.
    var bootID: String?
    /// True after ``ChangeLog/close()`` completed; cleared when the log is opened for writing.
    var cleanShutdown: Bool
    /// When this file was last written, RFC 3339 UTC.
    var updated: String?

    init(epoch: String, created: String, firstSeq: UInt64, lastSeq: UInt64, bootID: String?) {
        self.epoch = epoch
        self.created = created
        self.epochs = [EpochStart(epoch: epoch, firstSeq: lastSeq + 1)]
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.bootID = bootID
        self.cleanShutdown = false
        self.updated = created
    }

    enum CodingKeys: String, CodingKey {
        case epoch, created, epochs, updated
        case firstSeq = "first_seq"
        case lastSeq = "last_seq"
        case bootID = "boot_id"
        case cleanShutdown = "clean_shutdown"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epoch = try c.decode(String.self, forKey: .epoch)
        created = try c.decodeIfPresent(String.self, forKey: .created) ?? ""
        firstSeq = try c.decodeIfPresent(UInt64.self, forKey: .firstSeq) ?? 1
        lastSeq = try c.decodeIfPresent(UInt64.self, forKey: .lastSeq) ?? 0
        epochs = try c.decodeIfPresent([EpochStart].self, forKey: .epochs) ?? [EpochStart(epoch: epoch, firstSeq: 1)]
        bootID = try c.decodeIfPresent(String.self, forKey: .bootID)
        cleanShutdown = try c.decodeIfPresent(Bool.self, forKey: .cleanShutdown) ?? false
        updated = try c.decodeIfPresent(String.self, forKey: .updated)
    }

    /// The epoch that the event with `seq` belongs to, by the recorded epoch starts; nil when `seq` is before
    /// every recorded start.
    func epoch(ofSeq seq: UInt64) -> String? {
        epochs.last { $0.firstSeq <= seq }?.epoch
    }

    /// Reads `log.json` in `stateDirectory`; nil when it does not exist.
    static func load(stateDirectory: String) throws(StoreError) -> ChangeLogMetadata? {
        let file = StatePath(root: stateDirectory, components: [ChangeLog.metadataFileName])
        let path = file.full
        guard let bytes = try AtomicFile.read(file) else { return nil }
        do {
            return try StateJSON.decode(ChangeLogMetadata.self, from: bytes, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .corrupt, path: path, message: "cannot read \(path): \(error)")
        }
    }

    /// Writes `log.json` in `stateDirectory` atomically and durably.
    func save(stateDirectory: String) throws(StoreError) {
        let path = AtomicFile.joined(stateDirectory, ChangeLog.metadataFileName)
        var copy = self
        copy.updated = RFC3339.nowString()
        let bytes: [UInt8]
        do {
            bytes = try StateJSON.encode(copy)
        } catch {
            throw StoreError(code: .invalidArgument, path: path, message: "cannot encode \(path): \(error)")
        }
        try AtomicFile.write(bytes, to: StatePath(root: stateDirectory, components: [ChangeLog.metadataFileName]))
    }
}
