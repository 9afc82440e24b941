import Foundation
import HeraldStore
import Synchronization

/// Every feed's ``FeedSchedule``, in memory, made durable in groups.
///
/// On disk: `schedule-snapshot.ndjson` (a snapshot, one record per line, replaced atomically) and `schedule.ndjson` (a
/// journal: one line per change, appended by a writer thread that writes each batch with one `write` and one
/// `fdatasync`). A poll, 304s included, costs one short line and a share of an fsync instead of rewriting the
/// feed's whole state. At start the snapshot is read, then the journal; a line whose `revision` is not newer than
/// the record already read is ignored, and a torn last line is dropped. When the journal outgrows the snapshot it
/// is folded into a new snapshot and truncated.
///
/// After `kill -9`, at most the last unsynced batch (milliseconds of polls) is lost: those feeds keep their previous
/// record, so they are polled once more than needed. Nothing else depends on it.
public final class ScheduleBook: Sendable {
    private struct Pending {
        var lines: [UInt8] = []
        var generation: UInt64 = 0
        var flushed: UInt64 = 0
        var failure: String?
        var stopping = false
        var journalBytes = 0
    }

    let directory: String
    private let records: Mutex<[String: FeedSchedule]>
    /// Ids of the feeds whose record says `failing`, kept as records change (status lines ask often).
    private let failingIDs: Mutex<Set<String>>
    private let pending = Mutex(Pending())
    private let wake = NSCondition()
    private let done = DispatchSemaphore(value: 0)
    private let journalFD: Int32
    /// The journal is folded into the snapshot once it exceeds this and twice the snapshot's estimated size.
    private let compactAbove: Int

    var snapshotPath: String { directory + "/schedule-snapshot.ndjson" }
    var journalPath: String { directory + "/schedule.ndjson" }

    /// Loads the snapshot and journal under `directory` and starts the writer thread.
    init(directory: String, compactAbove: Int = 1 << 20) throws {
        self.directory = directory
        self.compactAbove = compactAbove
        let loaded = try Self.load(directory: directory)
        records = Mutex(loaded)
        failingIDs = Mutex(Set(loaded.values.filter(\.failing).map(\.id)))
        let fd = open(directory + "/schedule.ndjson", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else {
            throw StoreError(
                code: .io, path: directory + "/schedule.ndjson",
                message: "cannot open the schedule journal: \(String(cString: strerror(errno)))")
        }
        journalFD = fd
        var st = stat()
        if fstat(fd, &st) == 0 { pending.withLock { $0.journalBytes = Int(st.st_size) } }
        let thread = Thread { [self] in writerLoop() }
        thread.name = "herald-schedule"
        thread.start()
    }

    /// Reads the snapshot and the journal without writing anything (for `herald status`).
    public static func load(directory: String) throws -> [String: FeedSchedule] {
        var loaded: [String: FeedSchedule] = [:]
        for path in [directory + "/schedule-snapshot.ndjson", directory + "/schedule.ndjson"] {
            guard let bytes = try AtomicFile.read(path) else { continue }
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
                // A torn or corrupt line (the tail after a crash) is skipped: the record before it stands.
                guard let record = try? StateJSON.decode(FeedSchedule.self, from: Array(line)) else { continue }
                if let known = loaded[record.id], known.revision >= record.revision { continue }
                loaded[record.id] = record
            }
        }
        return loaded
    }

    /// The record of a feed, if it was ever polled.
    func record(_ id: String) -> FeedSchedule? { records.withLock { $0[id] } }

    /// The feeds whose last poll failed.
    func failing() -> Set<String> { failingIDs.withLock { $0 } }

    /// All records.
    func all() -> [FeedSchedule] { records.withLock { Array($0.values) } }

    /// Stores a record and queues it for the journal.
    /// - Throws: the error of an earlier failed write (state writes never retry: the daemon must stop).
    func update(_ record: FeedSchedule) throws {
        var line = try StateJSON.encode(record)
        line.append(0x0A)
        records.withLock { $0[record.id] = record }
        failingIDs.withLock { ids in
            if record.failing { ids.insert(record.id) } else { ids.remove(record.id) }
        }
        let failure = pending.withLock { p -> String? in
            if p.failure == nil {
                p.lines += line
                p.generation += 1
            }
            return p.failure
        }
        if let failure { throw StoreError(code: .fsync, path: journalPath, message: failure) }
        wake.lock()
        wake.signal()
        wake.unlock()
    }

    /// Writes everything queued, syncs it, and stops the writer thread.
    func close() throws {
        pending.withLock { $0.stopping = true }
        wake.lock()
        wake.signal()
        wake.unlock()
        done.wait()
        closeDescriptor(journalFD)
        if let failure = pending.withLock({ $0.failure }) {
            throw StoreError(code: .fsync, path: journalPath, message: failure)
        }
    }

    private func writerLoop() {
        while true {
            wake.lock()
            while pending.withLock({ $0.lines.isEmpty && !$0.stopping }) { wake.wait() }
            wake.unlock()
            // Let a burst of polls gather into one write and one fdatasync.
            usleep(2_000)
            let (batch, stopping) = pending.withLock { p -> ([UInt8], Bool) in
                defer { p.lines.removeAll(keepingCapacity: true) }
                return (p.failure == nil ? p.lines : [], p.stopping)
            }
            if !batch.isEmpty {
                if let failure = append(batch) {
                    pending.withLock { $0.failure = failure }
                } else {
                    let size = pending.withLock { p -> Int in
                        p.journalBytes += batch.count
                        return p.journalBytes
                    }
                    if size > max(compactAbove, 2 * estimatedSnapshotBytes()) { compact() }
                }
            }
            if stopping && pending.withLock({ $0.lines.isEmpty || $0.failure != nil }) { break }
        }
        done.signal()
    }

    private func estimatedSnapshotBytes() -> Int { records.withLock { $0.count } * 600 }

    private func append(_ bytes: [UInt8]) -> String? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(journalFD, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return "cannot append to \(journalPath): \(String(cString: strerror(errno)))"
            }
            offset += n
        }
        if fdatasync(journalFD) != 0 {
            return "fdatasync of \(journalPath) failed: \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// Folds the journal into a new snapshot, then truncates it. A crash in between leaves both, and loading
    /// sorts them out by revision.
    private func compact() {
        let snapshot = records.withLock { $0.values.sorted { $0.id < $1.id } }
        var bytes: [UInt8] = []
        for record in snapshot {
            guard let line = try? StateJSON.encode(record) else { continue }
            bytes += line
            bytes.append(0x0A)
        }
        do {
            try AtomicFile.write(bytes, to: snapshotPath)
        } catch {
            pending.withLock { $0.failure = "cannot write \(snapshotPath): \(error)" }
            return
        }
        if ftruncate(journalFD, 0) != 0 || fdatasync(journalFD) != 0 {
            pending.withLock { $0.failure = "cannot truncate \(journalPath): \(String(cString: strerror(errno)))" }
            return
        }
        pending.withLock { $0.journalBytes = 0 }
    }
}

/// `close(2)`, out of reach of the method called `close`.
private func closeDescriptor(_ fd: Int32) { _ = Glibc.close(fd) }
