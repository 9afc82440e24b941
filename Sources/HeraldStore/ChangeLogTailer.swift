import Glibc

/// An incremental reader of the change log across its segments, for `herald tail` and clients: call
/// ``readAvailable(limit:)`` for what is there, ``waitForChanges(timeout:)`` to sleep until the log may have grown.
///
/// Guarantees: events come out in seq order, each once, none skipped. Only complete lines (ending in `\n`) are
/// read. An unparseable line (a torn write sealed by recovery) is skipped only when the next event's seq follows
/// the previous one; any other jump throws `.corrupt`. A segment is left only when a later one exists and the
/// current one has been read to its end (the writer never writes a segment again once the next exists).
///
/// Not thread-safe: use one tailer from one thread at a time.
public final class ChangeLogTailer {
    /// One event as read from the log.
    public struct Event: Sendable, Equatable {
        /// Its seq.
        public var seq: UInt64
        /// Its epoch.
        public var epoch: String
        /// Its type.
        public var type: String
        /// The line's bytes exactly as stored, without the newline.
        public var line: [UInt8]
    }

    /// The state directory.
    public let stateDirectory: String
    /// The seq of the last event read (or the start position).
    public private(set) var lastSeq: UInt64
    /// The epoch of the event at ``lastSeq`` when known (nil at the start position until an event is read).
    public private(set) var lastEpoch: String?

    /// The cursor for the position reached: the last event read (or the start).
    public var cursor: ChangeLogCursor { ChangeLogCursor(epoch: lastEpoch ?? "", seq: lastSeq) }

    private var segment: LogSegment?
    private var fd: Int32 = -1
    private var identity: (device: UInt64, inode: UInt64) = (0, 0)
    /// File offset of `buffer[0]`: always just after a newline (or 0).
    private var offset: Int64 = 0
    /// Bytes read from `offset` that do not yet end with a newline.
    private var buffer: [UInt8] = []
    /// Bytes at the start of `buffer` known to hold no newline, so a long line is searched once, not per chunk.
    private var newlineFreePrefix = 0
    /// The newest valid seq seen, including skipped ones before the start position.
    private var lastSeen: UInt64?
    /// Whether an unparseable line was skipped since the last valid one.
    private var skippedFragment = false
    private var watcher: DirectoryWatcher?

    /// Starts after `seq` (0: from the first event).
    /// - Throws: ``ChangeLogCursorError`` `.expired` when events after `seq` were deleted by retention;
    ///   ``StoreError`` when the log cannot be read.
    public init(stateDirectory: String, after seq: UInt64) throws {
        self.stateDirectory = stateDirectory
        self.lastSeq = seq
        try checkRetention(after: seq)
        _ = try locate()
    }

    /// Starts at the first retained event, whatever retention deleted.
    public convenience init(fromStartOf stateDirectory: String) throws {
        let metadata = try ChangeLogMetadata.load(stateDirectory: stateDirectory)
        let segments = try LogSegment.list(stateDirectory: stateDirectory)
        let first = max(metadata?.firstSeq ?? 1, segments.first?.firstSeq ?? 1)
        try self.init(stateDirectory: stateDirectory, after: first - 1)
    }

    /// Starts after `cursor`, checking that it belongs to this log.
    /// - Throws: ``ChangeLogCursorError``: `.epochChanged` when the event at the cursor's seq has another epoch
    ///   or the cursor is ahead of the log; `.expired` when the events after it were deleted by retention.
    public convenience init(stateDirectory: String, cursor: ChangeLogCursor) throws {
        try self.init(stateDirectory: stateDirectory, after: cursor.seq)
        try check(cursor)
    }

    deinit {
        if fd >= 0 { Syscall.closeIgnoringErrors(fd) }
    }

    // MARK: - Start position

    private func checkRetention(after seq: UInt64) throws {
        let metadata = try ChangeLogMetadata.load(stateDirectory: stateDirectory)
        let segments = try LogSegment.list(stateDirectory: stateDirectory)
        let first = max(metadata?.firstSeq ?? 1, segments.first?.firstSeq ?? 1)
        if seq + 1 < first {
            throw ChangeLogCursorError(
                code: .expired,
                message: "position \(seq) is older than the retained change log, which starts at seq \(first): "
                    + "events \(seq + 1)...\(first - 1) were deleted by retention; resync with --from-start")
        }
    }

    private func check(_ cursor: ChangeLogCursor) throws {
        guard cursor.seq > 0 else { return }
        let metadata = try ChangeLogMetadata.load(stateDirectory: stateDirectory)
        let current = metadata?.epoch ?? "(none)"
        func mismatch(_ found: String) -> ChangeLogCursorError {
            ChangeLogCursorError(
                code: .epochChanged,
                message: "cursor is from epoch \(cursor.epoch), the log is now epoch \(current) (seq \(cursor.seq) "
                    + "belongs to epoch \(found)): resync from --from-start")
        }
        if let anchorEpoch = lastEpoch {
            if anchorEpoch != cursor.epoch { throw mismatch(anchorEpoch) }
            return
        }
        // The event at the cursor is not in the log.
        let segments = try LogSegment.list(stateDirectory: stateDirectory)
        let logEnd = try Self.lastSeq(segments: segments)
        if cursor.seq > logEnd {
            throw ChangeLogCursorError(
                code: .epochChanged,
                message: "cursor is at seq \(cursor.seq) of epoch \(cursor.epoch) but the log (epoch \(current)) "
                    + "ends at seq \(logEnd): it was reset or restored; resync from --from-start")
        }
        // Just before the first retained event: the recorded epoch starts tell.
        guard let recorded = metadata?.epoch(ofSeq: cursor.seq) else { throw mismatch("unknown") }
        if recorded != cursor.epoch { throw mismatch(recorded) }
    }

    /// The seq of the last valid event in the log (0 when there is none).
    static func lastSeq(segments: [LogSegment]) throws -> UInt64 {
        for segment in segments.reversed() {
            if let seq = try ChangeLogOpener.scanTail(path: segment.path).lastSeq { return seq }
            // A segment without events: the events before it end just before its name.
            if segment.firstSeq > 1 { return segment.firstSeq - 1 }
        }
        return 0
    }

    /// Opens the segment holding `lastSeq + 1` and positions after the line with seq `lastSeq` (or the newest
    /// line before it). Returns false when the log has no segment yet.
    private func locate() throws -> Bool {
        var segments = try LogSegment.list(stateDirectory: stateDirectory)
        guard !segments.isEmpty else { return false }
        var target = segments.last { $0.firstSeq <= lastSeq + 1 } ?? segments[0]
        var attempts = 0
        while true {
            do {
                try open(target)
                break
            } catch let error as StoreError where error.code == .notFound && attempts < 3 {
                // Retention deleted it between listing and opening: look again (it may now be too old).
                attempts += 1
                try checkNotBehindRetention()
                segments = try LogSegment.list(stateDirectory: stateDirectory)
                guard !segments.isEmpty else { return false }
                target = segments.last { $0.firstSeq <= lastSeq + 1 } ?? segments[0]
            }
        }
        if target.firstSeq == lastSeq + 1 {
            // The start is at a segment boundary: the event at `lastSeq` (if any) ends the segment before.
            if lastSeq > 0 {
                lastSeen = lastSeq
                if let previous = segments.last(where: { $0.firstSeq < target.firstSeq }) {
                    let scan = try ChangeLogOpener.scanTail(path: previous.path)
                    if scan.lastSeq == lastSeq { lastEpoch = scan.lastEpoch }
                }
            }
            return true
        }
        let st = try Syscall.fstat(fd, path: target.path)
        let end = try BackwardLineReader.completeEnd(fd: fd, size: Int64(st.st_size), path: target.path)
        var reader = BackwardLineReader(fd: fd, path: target.path, end: end)
        while let (lineOffset, line) = try reader.next() {
            guard let fields = LogLine.fields(of: line[...]), fields.seq <= lastSeq else { continue }
            offset = lineOffset + Int64(line.count) + 1
            lastSeen = fields.seq
            if fields.seq == lastSeq { lastEpoch = fields.epoch }
            break
        }
        return true
    }

    private func open(_ target: LogSegment) throws {
        let newFD = try target.open(flags: O_RDONLY)
        let st: stat
        do {
            st = try Syscall.fstat(newFD, path: target.path)
        } catch {
            Syscall.closeIgnoringErrors(newFD)
            throw error
        }
        if fd >= 0 { Syscall.closeIgnoringErrors(fd) }
        fd = newFD
        segment = target
        identity = (UInt64(st.st_dev), UInt64(st.st_ino))
        offset = 0
        buffer.removeAll(keepingCapacity: true)
        newlineFreePrefix = 0
    }

    // MARK: - Reading

    /// Reads the complete events available now (at most about `limit`), across segments.
    /// - Throws: ``StoreError`` `.corrupt` when seqs are not contiguous or the log was replaced while read.
    public func readAvailable(limit: Int = .max) throws -> [Event] {
        var events: [Event] = []
        if segment == nil {
            guard try locate() else { return [] }
        }
        while events.count < limit {
            try drain(into: &events, limit: limit)
            if events.count >= limit { break }
            guard let current = segment else { break }
            // Normally the next segment is named after the seq following the last one read: check that name
            // first, and list the directory only when it does not exist.
            let predicted = LogSegment(stateDirectory: stateDirectory, firstSeq: lastSeq + 1)
            let next: LogSegment
            if predicted.firstSeq > current.firstSeq, try Syscall.statPath(predicted.path) != nil {
                next = predicted
            } else {
                let segments = try LogSegment.list(stateDirectory: stateDirectory)
                guard let later = segments.first(where: { $0.firstSeq > current.firstSeq }) else {
                    try checkNotReplaced(current)
                    break
                }
                next = later
            }
            // A later segment exists, so the current one is final: read it to its very end, then move on.
            try drain(into: &events, limit: .max)
            if !buffer.isEmpty {
                // A sealed segment never ends without a newline; treat the rest as an unparseable line.
                skippedFragment = true
                buffer.removeAll()
                newlineFreePrefix = 0
            }
            var target = next
            if target.firstSeq != lastSeq + 1 {
                // readdir may miss entries created while it runs (ext4 returns them in hash order): the segment
                // named after the next seq, created before `next`, may have been skipped by the listing.
                let exact = LogSegment(stateDirectory: stateDirectory, firstSeq: lastSeq + 1)
                if exact.firstSeq > current.firstSeq, try Syscall.statPath(exact.path) != nil {
                    target = exact
                } else {
                    let again = try LogSegment.list(stateDirectory: stateDirectory)
                    target = again.first(where: { $0.firstSeq > current.firstSeq }) ?? next
                }
            }
            if target.firstSeq > lastSeq + 1 { try checkNotBehindRetention() }
            do {
                try open(target)
            } catch let error as StoreError where error.code == .notFound {
                try checkNotBehindRetention()
                throw error
            }
        }
        return events
    }

    /// Throws `.expired` when retention deleted events this reader has not read yet.
    private func checkNotBehindRetention() throws {
        let first = try ChangeLogMetadata.load(stateDirectory: stateDirectory)?.firstSeq ?? 1
        guard first > lastSeq + 1 else { return }
        throw ChangeLogCursorError(
            code: .expired,
            message: "the reader fell behind retention: it read up to seq \(lastSeq) but the retained change log "
                + "now starts at seq \(first); resync with --from-start")
    }

    private func checkNotReplaced(_ current: LogSegment) throws {
        let st = try Syscall.statPath(current.path)
        if let st, UInt64(st.st_dev) == identity.device, UInt64(st.st_ino) == identity.inode { return }
        throw StoreError(
            code: .corrupt, path: current.path,
            message: st == nil
                ? "change log segment \(current.path) was removed while it was being read and no later segment "
                    + "exists: the log was reset or replaced; resync from --from-start"
                : "change log segment \(current.path) was replaced while it was being read: the log was reset or "
                    + "restored; resync from --from-start")
    }

    /// Reads the current segment from the position reached to its end, handling complete lines (lines already
    /// buffered first: a call that stopped at `limit` leaves some behind).
    private func drain(into events: inout [Event], limit: Int) throws {
        guard let current = segment else { return }
        let chunk = 256 * 1024
        while events.count < limit {
            var start = 0
            var searchFrom = min(newlineFreePrefix, buffer.count)
            while events.count < limit, let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                try handle(buffer[start..<newline], into: &events, path: current.path)
                start = newline + 1
                searchFrom = start
            }
            // What is left after the last line holds no newline unless the limit stopped the search.
            let rest = events.count >= limit ? 0 : buffer.count - start
            if start > 0 {
                offset += Int64(start)
                buffer.removeFirst(start)
            }
            newlineFreePrefix = rest
            if events.count >= limit { return }
            let bytes = try Syscall.pread(fd, count: chunk, offset: offset + Int64(buffer.count), path: current.path)
            if bytes.isEmpty { return }
            buffer.append(contentsOf: bytes)
        }
    }

    private func handle(_ line: ArraySlice<UInt8>, into events: inout [Event], path: String) throws {
        guard let fields = LogLine.fields(of: line) else {
            skippedFragment = true
            return
        }
        let seq = fields.seq
        let context = skippedFragment ? " (after an unparseable line)" : ""
        if let seen = lastSeen, seq <= seen {
            throw StoreError(
                code: .corrupt, path: path,
                message: "change log \(path) is corrupt: seq \(seq) follows seq \(seen)\(context); "
                    + "sequence numbers go backwards")
        }
        lastSeen = seq
        skippedFragment = false
        if seq <= lastSeq { return }
        guard seq == lastSeq + 1 else {
            throw StoreError(
                code: .corrupt, path: path,
                message: "change log \(path) is corrupt: expected seq \(lastSeq + 1) but found seq \(seq)\(context); "
                    + "events \(lastSeq + 1)...\(seq - 1) are missing")
        }
        lastSeq = seq
        lastEpoch = fields.epoch
        events.append(Event(seq: seq, epoch: fields.epoch ?? "", type: fields.type ?? "", line: Array(line)))
    }

    // MARK: - Waiting

    /// Blocks until the log may have changed (inotify on the segment directory) or `timeout` passed.
    public func waitForChanges(timeout: Duration) {
        guard let watcher else {
            // Events from before the watch existed are lost: report a possible change at once.
            watcher = DirectoryWatcher(stateDirectory: stateDirectory)
            return
        }
        watcher.wait(timeout: timeout)
    }
}
