import Foundation
import Glibc
import Logging
import Synchronization

/// The single writer of `<stateDir>/changes.ndjson`, the durable log of everything Herald changed.
///
/// Each event is one line of JSON (see ``ChangeEvent``) ending in `\n`. Sequence numbers start at 1 and are
/// contiguous; the log's epoch (a UUID in `<stateDir>/log.json`) tells clients when numbering started over.
/// Safe to call from several tasks: appends are serialised by an internal lock. Only one process may write the
/// log; hold a ``StateLock`` on the state directory first.
public final class ChangeLog: Sendable {
    /// The log file's name inside the state directory.
    public static let fileName = "changes.ndjson"
    /// The metadata file's name inside the state directory.
    public static let metadataFileName = "log.json"
    /// The type of the event appended after repairing a torn last line.
    public static let recoveredEventType = "log.recovered"

    /// Path of `changes.ndjson`.
    public let path: String
    /// The UUID identifying this log; part of every event `id`.
    public let epoch: String
    private let logger: Logger
    private let state: Mutex<WriterState>

    private struct WriterState {
        var fd: Int32?
        var lastSeq: UInt64
        /// Set after a failed write or fsync: the file's tail is unknown, so nothing more may be appended.
        var failure: StoreError?
    }

    private init(path: String, epoch: String, fd: Int32, lastSeq: UInt64, logger: Logger) {
        self.path = path
        self.epoch = epoch
        self.logger = logger
        self.state = Mutex(WriterState(fd: fd, lastSeq: lastSeq, failure: nil))
    }

    deinit {
        close()
    }

    /// The sequence number of the last event in the log (0 when it is empty).
    public var lastSeq: UInt64 {
        state.withLock { $0.lastSeq }
    }

    /// Opens (creating if needed) the log in `stateDirectory` for appending.
    ///
    /// Finds the last sequence number by scanning from the end of the file. If the file does not end with a
    /// newline (a write torn by a crash), the fragment is kept but terminated with `\n`, and a `log.recovered`
    /// event with data `{"fragment_bytes": N, "last_seq": S}` is appended.
    /// - Throws: ``StoreError``; `.corrupt` when `log.json` is missing but the log has content, or when the
    ///   log's last event belongs to another epoch.
    public static func open(stateDirectory: String, logger: Logger) throws -> ChangeLog {
        try AtomicFile.createDirectories(stateDirectory)
        let logPath = AtomicFile.joined(stateDirectory, fileName)
        let metadataPath = AtomicFile.joined(stateDirectory, metadataFileName)

        var metadata: ChangeLogMetadata?
        if let bytes = try AtomicFile.read(metadataPath) {
            metadata = try StateJSON.decode(ChangeLogMetadata.self, from: bytes, path: metadataPath)
        }
        let scan = try scanTail(logPath: logPath)

        if metadata == nil, let scan, scan.size > 0 {
            throw StoreError(
                code: .corrupt, path: metadataPath,
                message: "\(logPath) has content but \(metadataPath), which holds the log's epoch, is missing; "
                    + "restore \(metadataFileName) from a backup, or move \(fileName) aside to start a new log")
        }
        if let old = metadata, scan == nil {
            logger.warning(
                "change log file is missing; starting a new log with a new epoch",
                metadata: ["path": "\(logPath)", "old_epoch": "\(old.epoch)"])
            metadata = nil
        }
        if let metadata, let scan, let lastEpoch = scan.lastEpoch, lastEpoch != metadata.epoch {
            throw StoreError(
                code: .corrupt, path: logPath,
                message: "the last event in \(logPath) has epoch \(lastEpoch) but \(metadataPath) says "
                    + "\(metadata.epoch); the two files do not belong together")
        }

        // A new epoch is recorded (durably) before the log file is created, so a crash in between never pairs
        // an old epoch with a restarted sequence.
        let epoch: String
        if let metadata {
            epoch = metadata.epoch
        } else {
            let fresh = ChangeLogMetadata(epoch: UUID().uuidString.lowercased(), created: RFC3339.nowString())
            try AtomicFile.write(try StateJSON.encode(fresh), to: metadataPath)
            epoch = fresh.epoch
        }
        let fd = try Syscall.open(logPath, flags: O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode: 0o644)
        if scan == nil {
            do {
                try Syscall.fsyncDirectory(stateDirectory)
            } catch {
                Syscall.closeIgnoringErrors(fd)
                throw error
            }
        }

        var lastSeq = scan?.lastSeq ?? 0
        var fragmentBytes = (scan?.partialBytes ?? 0) + (scan?.fragmentLineBytes ?? 0)
        if let scan, let partialSeq = scan.partialSeq {
            // The crash cut off only the final newline: the event itself is intact.
            guard partialSeq == lastSeq + 1, scan.fragmentLineBytes == 0 else {
                Syscall.closeIgnoringErrors(fd)
                throw StoreError(
                    code: .corrupt, path: logPath,
                    message: "change log \(logPath) is corrupt: its unterminated last line has seq \(partialSeq) "
                        + "but the line before it has seq \(lastSeq)")
            }
            lastSeq = partialSeq
            fragmentBytes = 0
        }
        let log = ChangeLog(path: logPath, epoch: epoch, fd: fd, lastSeq: lastSeq, logger: logger)
        if let scan, scan.partialBytes > 0 || scan.fragmentLineBytes > 0 {
            if scan.partialBytes > 0 {
                try log.writeRaw([0x0A])
            }
            logger.warning(
                fragmentBytes > 0
                    ? "change log ended with a torn write; kept the fragment as an unparseable line"
                    : "change log's last event lacked its newline (torn write); completed it",
                metadata: ["path": "\(logPath)", "fragment_bytes": "\(fragmentBytes)", "last_seq": "\(lastSeq)"])
            _ = try log.append([
                PendingEvent(
                    type: recoveredEventType, subject: fileName,
                    data: ["fragment_bytes": .int(fragmentBytes), "last_seq": .int(Int64(lastSeq))])
            ])
        }
        return log
    }

    /// Appends `events` durably and returns them with `seq`, `id`, `epoch` and `time` assigned.
    ///
    /// All lines go out in one `write` on an `O_APPEND` descriptor (looping only on a short write), followed by
    /// one `fdatasync`. The events of one call share the same `time`.
    /// - Throws: ``StoreError``. After a write or fsync failure the log is unusable: this and every later call
    ///   throws, and the daemon must stop (the next start repairs the tail). `.invalidArgument` when an event
    ///   cannot be encoded; the log stays usable then.
    public func append(_ events: [PendingEvent]) throws -> [ChangeEvent] {
        try state.withLock { (state) throws(StoreError) -> [ChangeEvent] in
            guard let fd = try usableDescriptor(state) else { return [] }
            if events.isEmpty { return [] }
            let time = RFC3339.nowString()
            var assigned: [ChangeEvent] = []
            assigned.reserveCapacity(events.count)
            var bytes: [UInt8] = []
            var seq = state.lastSeq
            for event in events {
                seq += 1
                let full = ChangeEvent(
                    seq: seq, epoch: epoch, time: time, type: event.type, subject: event.subject, data: event.data)
                do {
                    bytes.append(contentsOf: try StateJSON.encode(full))
                } catch {
                    throw StoreError(
                        code: .invalidArgument, path: path,
                        message: "cannot append \(event.type) event for \(event.subject): \(error)")
                }
                bytes.append(0x0A)
                assigned.append(full)
            }
            do throws(StoreError) {
                try Syscall.writeAll(fd, bytes, path: path)
                try Syscall.fdatasync(fd, path: path)
            } catch {
                state.failure = error
                logger.critical(
                    "change log write failed; no further events can be appended",
                    metadata: ["path": "\(path)", "error": "\(error.message)"])
                throw error
            }
            state.lastSeq = seq
            return assigned
        }
    }

    /// Closes the log file. Later appends throw.
    public func close() {
        state.withLock { state in
            if let fd = state.fd {
                Syscall.closeIgnoringErrors(fd)
                state.fd = nil
            }
        }
    }

    /// Writes bytes without an event (used to terminate a torn line), then fdatasyncs.
    private func writeRaw(_ bytes: [UInt8]) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            guard let fd = try usableDescriptor(state) else { return }
            do throws(StoreError) {
                try Syscall.writeAll(fd, bytes, path: path)
                try Syscall.fdatasync(fd, path: path)
            } catch {
                state.failure = error
                throw error
            }
        }
    }

    private func usableDescriptor(_ state: WriterState) throws(StoreError) -> Int32? {
        if let failure = state.failure {
            throw StoreError(
                code: failure.code, path: path,
                message: "change log \(path) is unusable after an earlier failure (\(failure.message)); "
                    + "restart herald to recover it")
        }
        guard let fd = state.fd else {
            throw StoreError(code: .invalidArgument, path: path, message: "change log \(path) is closed")
        }
        return fd
    }

    /// What the end of an existing log file looks like.
    struct TailScan {
        var size: Int64
        /// Seq of the last complete, parseable line (0 when there is none).
        var lastSeq: UInt64
        /// Epoch of that line, when it decodes as a ``ChangeEvent``.
        var lastEpoch: String?
        /// Bytes after the last newline.
        var partialBytes: Int64
        /// Seq of the bytes after the last newline, if they form a complete event that only lacks its newline.
        var partialSeq: UInt64?
        /// Bytes of complete but unparseable lines after the last valid one (an earlier, unfinished recovery).
        var fragmentLineBytes: Int64
    }

    /// Scans the log from its end; nil when the file does not exist.
    static func scanTail(logPath: String) throws(StoreError) -> TailScan? {
        guard let fd = try Syscall.openIfExists(logPath, flags: O_RDONLY | O_CLOEXEC) else { return nil }
        defer { Syscall.closeIgnoringErrors(fd) }
        let size = Int64(try Syscall.fstat(fd, path: logPath).st_size)
        let end = try BackwardLineReader.completeEnd(fd: fd, size: size, path: logPath)
        var scan = TailScan(
            size: size, lastSeq: 0, lastEpoch: nil, partialBytes: size - end, partialSeq: nil, fragmentLineBytes: 0)
        if scan.partialBytes > 0, scan.partialBytes < 1 << 20 {
            let partial = try Syscall.pread(fd, count: Int(scan.partialBytes), offset: end, path: logPath)
            scan.partialSeq = LogLine.seq(of: partial[...])
        }
        var reader = BackwardLineReader(fd: fd, path: logPath, end: end)
        while let (_, line) = try reader.next() {
            if let seq = LogLine.seq(of: line[...]) {
                scan.lastSeq = seq
                scan.lastEpoch = try? StateJSON.decode(ChangeEvent.self, from: line).epoch
                break
            }
            scan.fragmentLineBytes += Int64(line.count)
        }
        return scan
    }
}
