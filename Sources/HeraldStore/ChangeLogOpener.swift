import Foundation
import Glibc
import Logging

/// Opens the change log for writing: migrates a single-file log into segments, removes leftovers of an
/// interrupted retention, recovers a torn tail, decides whether a new epoch starts, and starts the writer.
struct ChangeLogOpener {
    let stateDirectory: String
    let options: ChangeLogOptions
    let logger: Logger
    let bootID: String?

    /// Why a new epoch started (the `reason` of the `herald.log.epoch` event).
    enum EpochReason: String {
        case metadataMissing = "metadata_missing"
        case logMissing = "log_missing"
        case replaced
        case restored
        case uncleanShutdown = "unclean_shutdown"
    }

    func open() throws -> ChangeLog {
        try AtomicFile.createDirectories(stateDirectory)
        let loaded = try ChangeLogMetadata.load(stateDirectory: stateDirectory)
        var segments = try LogSegment.list(stateDirectory: stateDirectory)
        if segments.isEmpty, let migrated = try migrateSingleFileLog(metadata: loaded) {
            segments = [migrated]
        }
        if let loaded { segments = removeRetentionLeftovers(segments, firstSeq: loaded.firstSeq) }

        var pending: [PendingEvent] = []
        let writer: SegmentWriter
        let lastSeq: UInt64
        if let active = segments.last {
            (writer, lastSeq) = try openExisting(
                active: active, sealed: Array(segments.dropLast()), loaded: loaded, pending: &pending)
        } else {
            (writer, lastSeq) = try createNew(loaded: loaded, pending: &pending)
        }

        if options.retainSegments != nil || options.retainAge != nil {
            try writer.applyRetention(now: RFC3339.now().seconds)
        }
        let core = ChangeLogCore(lastSeq: lastSeq, commitDelay: options.commitDelay, logger: logger, writer: writer)
        let log = ChangeLog(
            stateDirectory: stateDirectory, epoch: writer.metadata.epoch, options: options, logger: logger, core: core)
        core.startWriter()
        if !pending.isEmpty {
            _ = try log.appendAndWait(pending)
        }
        return log
    }

    // MARK: - A log without segments

    private func createNew(
        loaded: ChangeLogMetadata?, pending: inout [PendingEvent]
    ) throws -> (SegmentWriter, UInt64) {
        var metadata: ChangeLogMetadata
        let lastSeq: UInt64
        if var existing = loaded {
            // log.json exists but every segment is gone: keep numbering after the last seq it knew of, so no seq
            // is reused, and start a new epoch.
            lastSeq = existing.lastSeq
            logger.warning(
                "change log segments are missing; starting a new epoch",
                metadata: [
                    "directory": "\(LogSegment.directory(in: stateDirectory))", "old_epoch": "\(existing.epoch)",
                ])
            startEpoch(&existing, lastSeq: lastSeq, reason: .logMissing)
            existing.firstSeq = lastSeq + 1
            metadata = existing
        } else {
            lastSeq = 0
            let epoch = UUID().uuidString.lowercased()
            metadata = ChangeLogMetadata(
                epoch: epoch, created: RFC3339.nowString(), firstSeq: 1, lastSeq: 0, bootID: bootID)
        }
        metadata.bootID = bootID
        metadata.cleanShutdown = false
        metadata.lastSeq = lastSeq
        // The epoch is durable before any segment of it exists.
        try metadata.save(stateDirectory: stateDirectory)
        pending += epochEvents(metadata, lastSeq: lastSeq)

        Syscall.closeIgnoringErrors(
            try Syscall.openDirectory(LogSegment.directoryPath(in: stateDirectory), create: true))
        let active = LogSegment(stateDirectory: stateDirectory, firstSeq: lastSeq + 1)
        let fd = try SegmentWriter.createSegment(active, stateDirectory: stateDirectory)
        let writer = SegmentWriter(
            stateDirectory: stateDirectory, options: options, logger: logger, metadata: metadata, active: active,
            fd: fd, size: 0, activeStarted: nil, sealed: [])
        return (writer, lastSeq)
    }

    // MARK: - An existing log

    private func openExisting(
        active: LogSegment, sealed: [LogSegment], loaded: ChangeLogMetadata?, pending: inout [PendingEvent]
    ) throws -> (SegmentWriter, UInt64) {
        let scan = try Self.scanTail(path: active.path)
        var lastSeq = scan.lastSeq ?? (active.firstSeq - 1)
        var lastEpoch = scan.lastEpoch
        var hasEvents = scan.lastSeq != nil
        var fragmentBytes = scan.partialBytes + scan.fragmentLineBytes
        if let partial = scan.partial {
            // The crash cut off only the final newline: the event itself is intact, and no reader consumed it.
            guard partial.seq == lastSeq + 1 else {
                throw StoreError(
                    code: .corrupt, path: active.path,
                    message: "change log segment \(active.path) is corrupt: its unterminated last line has seq "
                        + "\(partial.seq) but the event before it has seq \(lastSeq)")
            }
            lastSeq = partial.seq
            lastEpoch = partial.epoch ?? lastEpoch
            hasEvents = true
            fragmentBytes = 0
        }
        let wasSealed = (scan.mode & 0o222) == 0

        // Make the segment's content durable before log.json records how far it goes.
        if wasSealed { try Self.unseal(active) }
        var fd = try active.open(flags: O_WRONLY | O_APPEND)
        var size = scan.size
        do {
            try Syscall.fdatasync(fd, path: active.path)
            if scan.partialBytes > 0 {
                try Syscall.writeAll(fd, [0x0A], path: active.path)
                try Syscall.fdatasync(fd, path: active.path)
                size += 1
            }
        } catch {
            Syscall.closeIgnoringErrors(fd)
            throw error
        }

        var metadata = decideEpoch(
            loaded: loaded, firstSegment: sealed.first ?? active, lastSeq: lastSeq,
            lastEpoch: lastEpoch)
        metadata.bootID = bootID
        metadata.cleanShutdown = false
        metadata.lastSeq = lastSeq
        try metadata.save(stateDirectory: stateDirectory)
        pending += epochEvents(metadata, lastSeq: lastSeq)

        var current = active
        var sealedList = sealed
        var activeStarted: Int64?
        let tornSegment = active
        if (fragmentBytes > 0 || wasSealed) && hasEvents {
            // Seal the segment holding the fragment (it is never written again) and continue in a new one.
            do {
                try SegmentWriter.seal(fd: fd, path: active.path)
            } catch {
                Syscall.closeIgnoringErrors(fd)
                throw error
            }
            Syscall.closeIgnoringErrors(fd)
            current = LogSegment(stateDirectory: stateDirectory, firstSeq: lastSeq + 1)
            fd = try SegmentWriter.createSegment(current, stateDirectory: stateDirectory)
            sealedList.append(active)
            size = 0
        } else {
            // A segment without any event keeps its name (the seq of its first event): the fragment stays in it
            // as an unparseable line, which readers skip because the seqs around it are contiguous.
            do {
                try ensureLiveLink(to: active)
                activeStarted = size > 0 ? try Self.firstEventTime(path: active.path) : nil
            } catch {
                Syscall.closeIgnoringErrors(fd)
                throw error
            }
        }

        if !hasEvents, let previous = sealed.last {
            // The recovered event is the first event after a sealed fragment: a crash after sealing but before it
            // was written leaves the segment after the fragment without events (perhaps with a fragment of its own).
            let previousScan = try Self.scanTail(path: previous.path)
            if previousScan.fragmentLineBytes > 0 {
                pending.append(
                    recoveredEvent(segment: previous, fragmentBytes: previousScan.fragmentLineBytes, lastSeq: lastSeq))
            }
        }
        if fragmentBytes > 0 {
            logger.warning(
                "change log ended with a torn write; kept the fragment as an unparseable line",
                metadata: [
                    "segment": "\(tornSegment.relativePath)", "fragment_bytes": "\(fragmentBytes)",
                    "last_seq": "\(lastSeq)",
                ])
            pending.append(recoveredEvent(segment: tornSegment, fragmentBytes: fragmentBytes, lastSeq: lastSeq))
        }

        let writer = SegmentWriter(
            stateDirectory: stateDirectory, options: options, logger: logger, metadata: metadata, active: current,
            fd: fd, size: size, activeStarted: activeStarted, sealed: sealedList)
        return (writer, lastSeq)
    }

    private func recoveredEvent(segment: LogSegment, fragmentBytes: Int64, lastSeq: UInt64) -> PendingEvent {
        PendingEvent(
            type: ChangeLog.recoveredEventType, subject: ChangeLog.fileName,
            data: [
                "fragment_bytes": .int(fragmentBytes), "last_seq": .int(Int64(lastSeq)),
                "segment": .string(segment.relativePath),
            ])
    }

    /// The metadata to continue with, switching to a new epoch when the log cannot be trusted to hold what
    /// readers may have seen.
    private func decideEpoch(
        loaded: ChangeLogMetadata?, firstSegment: LogSegment, lastSeq: UInt64, lastEpoch: String?
    ) -> ChangeLogMetadata {
        guard var metadata = loaded else {
            var rebuilt = ChangeLogMetadata(
                epoch: lastEpoch ?? UUID().uuidString.lowercased(), created: RFC3339.nowString(),
                firstSeq: firstSegment.firstSeq, lastSeq: lastSeq, bootID: bootID)
            rebuilt.epochs = lastEpoch.map { [.init(epoch: $0, firstSeq: firstSegment.firstSeq)] } ?? []
            logger.warning(
                "\(ChangeLog.metadataFileName) is missing but the change log has segments; starting a new epoch",
                metadata: ["state_dir": "\(stateDirectory)"])
            startEpoch(&rebuilt, lastSeq: lastSeq, reason: .metadataMissing)
            return rebuilt
        }
        var reason: EpochReason?
        if let lastEpoch, !metadata.epochs.contains(where: { $0.epoch == lastEpoch }) {
            reason = .replaced
        } else if lastSeq < metadata.lastSeq {
            reason = .restored
        } else if let previous = metadata.bootID, let bootID, previous != bootID, !metadata.cleanShutdown {
            reason = .uncleanShutdown
        }
        if let reason {
            logger.warning(
                "starting a new change-log epoch",
                metadata: [
                    "reason": "\(reason.rawValue)", "old_epoch": "\(metadata.epoch)", "last_seq": "\(lastSeq)",
                    "recorded_last_seq": "\(metadata.lastSeq)",
                ])
            startEpoch(&metadata, lastSeq: lastSeq, reason: reason)
        }
        return metadata
    }

    private func startEpoch(_ metadata: inout ChangeLogMetadata, lastSeq: UInt64, reason: EpochReason) {
        let epoch = UUID().uuidString.lowercased()
        metadata.epoch = epoch
        metadata.epochs.append(.init(epoch: epoch, firstSeq: lastSeq + 1, reason: reason.rawValue))
    }

    /// The `herald.log.epoch` event when the current epoch is not the first and has no event yet.
    private func epochEvents(_ metadata: ChangeLogMetadata, lastSeq: UInt64) -> [PendingEvent] {
        let epochs = metadata.epochs
        guard epochs.count > 1, let current = epochs.last, current.firstSeq == lastSeq + 1 else { return [] }
        let previous = epochs[epochs.count - 2].epoch
        return [
            PendingEvent(
                type: ChangeLog.epochEventType, subject: ChangeLog.fileName,
                data: ["previous": .string(previous), "reason": .string(current.reason ?? "unknown")])
        ]
    }

    // MARK: - Files

    /// Turns a single-file `changes.ndjson` (from before segments) into the first segment by hard-linking it
    /// into `changes/`. Returns nil when there is nothing to migrate.
    private func migrateSingleFileLog(metadata: ChangeLogMetadata?) throws(StoreError) -> LogSegment? {
        let live = AtomicFile.joined(stateDirectory, ChangeLog.fileName)
        guard let st = try Syscall.lstatPath(live), (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let firstSeq = try Self.firstEvent(path: live)?.seq ?? (metadata?.firstSeq ?? 1)
        let directory = LogSegment.directory(in: stateDirectory)
        Syscall.closeIgnoringErrors(
            try Syscall.openDirectory(LogSegment.directoryPath(in: stateDirectory), create: true))
        let segment = LogSegment(stateDirectory: stateDirectory, firstSeq: firstSeq)
        if case .failure(let err) = Syscall.retrying({ link(live, segment.path) }) {
            throw err.storeError(operation: "link", path: segment.path, detail: "link \(live) -> \(segment.path)")
        }
        try Syscall.fsyncDirectory(directory)
        logger.notice(
            "moved the single-file change log into segments",
            metadata: ["from": "\(live)", "to": "\(segment.relativePath)"])
        return segment
    }

    /// Deletes segments that retention had already given up (their successor starts at or before `firstSeq`),
    /// left behind by a crash between updating `log.json` and deleting them.
    private func removeRetentionLeftovers(_ segments: [LogSegment], firstSeq: UInt64) -> [LogSegment] {
        var kept = segments
        var removed = false
        while kept.count > 1, kept[1].firstSeq <= firstSeq {
            Syscall.unlinkIgnoringErrors(kept[0].path)
            kept.removeFirst()
            removed = true
        }
        if removed {
            SegmentWriter.deletePayloads(before: firstSeq, stateDirectory: stateDirectory)
            try? Syscall.fsyncDirectory(LogSegment.directory(in: stateDirectory))
        }
        return kept
    }

    /// Points `changes.ndjson` at `segment` unless it already is a link to it.
    private func ensureLiveLink(to segment: LogSegment) throws(StoreError) {
        let live = AtomicFile.joined(stateDirectory, ChangeLog.fileName)
        if let liveStat = try Syscall.lstatPath(live), let segmentStat = try Syscall.statPath(segment.path),
            liveStat.st_dev == segmentStat.st_dev, liveStat.st_ino == segmentStat.st_ino
        {
            return
        }
        try SegmentWriter.swapLiveLink(stateDirectory: stateDirectory, to: segment)
    }

    /// Makes a sealed segment writable again (through a descriptor opened without following links).
    static func unseal(_ segment: LogSegment) throws(StoreError) {
        let fd = try segment.open(flags: O_RDONLY)
        defer { Syscall.closeIgnoringErrors(fd) }
        if case .failure(let err) = Syscall.retrying({ fchmod(fd, Syscall.fileMode) }) {
            throw err.storeError(operation: "chmod", path: segment.path)
        }
    }

    /// A segment (`<state>/changes/<name>`) or the single-file log (`<state>/changes.ndjson`) as a strict path.
    static func strictPath(_ path: String) -> StatePath {
        let (directory, name) = AtomicFile.split(path)
        if AtomicFile.split(directory).name == LogSegment.directoryName, LogSegment.parseName(name) != nil {
            return StatePath(root: AtomicFile.split(directory).directory, components: [LogSegment.directoryName, name])
        }
        return StatePath(root: directory, components: [name])
    }

    /// What the end of a segment looks like.
    struct TailScan {
        var size: Int64
        var mode: mode_t
        /// Seq of the last complete, parseable line; nil when there is none.
        var lastSeq: UInt64?
        /// Epoch of that line.
        var lastEpoch: String?
        /// Bytes after the last newline.
        var partialBytes: Int64
        /// The bytes after the last newline, if they form a complete event that only lacks its newline.
        var partial: LogLine.Fields?
        /// Bytes of complete but unparseable lines after the last valid one.
        var fragmentLineBytes: Int64
    }

    /// Scans a segment from its end.
    static func scanTail(path: String) throws(StoreError) -> TailScan {
        let fd = try Syscall.openFile(Self.strictPath(path), flags: O_RDONLY)!
        defer { Syscall.closeIgnoringErrors(fd) }
        let st = try Syscall.fstat(fd, path: path)
        let size = Int64(st.st_size)
        let end = try BackwardLineReader.completeEnd(fd: fd, size: size, path: path)
        var scan = TailScan(
            size: size, mode: st.st_mode & 0o777, lastSeq: nil, lastEpoch: nil, partialBytes: size - end,
            partial: nil, fragmentLineBytes: 0)
        if scan.partialBytes > 0, scan.partialBytes < 64 << 20 {
            let bytes = try Syscall.pread(fd, count: Int(scan.partialBytes), offset: end, path: path)
            scan.partial = LogLine.fields(of: bytes[...])
        }
        var reader = BackwardLineReader(fd: fd, path: path, end: end)
        while let (_, line) = try reader.next() {
            if let fields = LogLine.fields(of: line[...]) {
                scan.lastSeq = fields.seq
                scan.lastEpoch = fields.epoch
                break
            }
            scan.fragmentLineBytes += Int64(line.count)
        }
        return scan
    }

    /// The seq and line of the first valid event in a file, reading from its start; nil when there is none.
    static func firstEvent(path: String) throws(StoreError) -> (seq: UInt64, line: [UInt8])? {
        let fd = try Syscall.openFile(Self.strictPath(path), flags: O_RDONLY)!
        defer { Syscall.closeIgnoringErrors(fd) }
        var offset: Int64 = 0
        var pending: [UInt8] = []
        // Bytes at the start of `pending` known to hold no newline: a long line is searched once, not per chunk.
        var searched = 0
        while true {
            let chunk = try Syscall.pread(fd, count: 64 * 1024, offset: offset, path: path)
            if chunk.isEmpty { return nil }
            offset += Int64(chunk.count)
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[max(start, searched)...].firstIndex(of: 0x0A) {
                let line = pending[start..<newline]
                if let fields = LogLine.fields(of: line) { return (fields.seq, Array(line)) }
                start = newline + 1
            }
            pending.removeFirst(start)
            searched = pending.count
        }
    }

    /// The time (seconds since 1970) of the first event in a segment, or nil.
    static func firstEventTime(path: String) throws(StoreError) -> Int64? {
        guard let (_, line) = try firstEvent(path: path),
            let event = try? StateJSON.decode(ChangeEvent.self, from: line),
            let seconds = RFC3339.parse(event.time)
        else { return nil }
        return Int64(seconds)
    }
}
