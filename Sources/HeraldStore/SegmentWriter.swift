import Glibc
import Logging

/// One encoded line waiting for the writer thread.
struct QueuedLine: Sendable {
    /// The event's seq.
    var seq: UInt64
    /// The JSON line including its trailing newline.
    var bytes: [UInt8]
    /// The event's `data`, encoded, when it goes to a payload file (written and fsynced before the line).
    var payload: [UInt8]?
    /// The event's time in seconds since 1970 (for age-based rotation).
    var unixSeconds: Int64
}

/// A failure injected by tests in place of the next write or sync of a segment.
struct InjectedFault: Sendable {
    enum Operation: Sendable { case write, sync }
    var operation: Operation
    var errno: Int32
}

/// The files of the change log as the writer thread sees them: the active segment's descriptor, its size and
/// age, the sealed segments and `log.json`. Used by one thread at a time (the opener, then the writer thread,
/// then ``ChangeLog/close()`` after the thread stopped), hence not `Sendable`.
final class SegmentWriter {
    let stateDirectory: String
    let options: ChangeLogOptions
    let logger: Logger
    var metadata: ChangeLogMetadata
    private(set) var active: LogSegment
    private var fd: Int32
    private(set) var size: Int64
    /// Seconds since 1970 of the active segment's first event; nil while it is empty.
    var activeStarted: Int64?
    /// Sealed segments, oldest first.
    private(set) var sealed: [LogSegment]
    /// Counters for the batch being written.
    var counters = ChangeLogStatistics()

    init(
        stateDirectory: String, options: ChangeLogOptions, logger: Logger, metadata: ChangeLogMetadata,
        active: LogSegment, fd: Int32, size: Int64, activeStarted: Int64?, sealed: [LogSegment]
    ) {
        self.stateDirectory = stateDirectory
        self.options = options
        self.logger = logger
        self.metadata = metadata
        self.active = active
        self.fd = fd
        self.size = size
        self.activeStarted = activeStarted
        self.sealed = sealed
    }

    deinit {
        if fd >= 0 { Syscall.closeIgnoringErrors(fd) }
    }

    /// Writes `lines` (in seq order) durably: payload files first, then the lines with as few `write` calls as
    /// possible, rotating between lines when needed, then one `fdatasync`.
    func write(_ lines: [QueuedLine], fault: InjectedFault?) throws(StoreError) {
        for line in lines {
            guard let payload = line.payload else { continue }
            try AtomicFile.write(
                payload, to: StatePath(root: stateDirectory, relative: Self.payloadRelativePath(seq: line.seq)))
            counters.payloadFiles += 1
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(lines.reduce(0) { $0 + $1.bytes.count })
        let maxAge = Int64(options.segmentMaxAge.components.seconds)
        for line in lines {
            let pending = Int64(buffer.count)
            let tooBig = size + pending > 0 && size + pending + Int64(line.bytes.count) > Int64(options.segmentMaxBytes)
            let tooOld = activeStarted.map { line.unixSeconds - $0 >= maxAge } ?? false
            if tooBig || (tooOld && size + pending > 0) {
                if !buffer.isEmpty {
                    try flush(buffer, fault: fault)
                    buffer.removeAll(keepingCapacity: true)
                }
                try rotate(nextSeq: line.seq)
            }
            if activeStarted == nil { activeStarted = line.unixSeconds }
            buffer.append(contentsOf: line.bytes)
        }
        if !buffer.isEmpty { try flush(buffer, fault: fault) }
    }

    /// Writes bytes to the active segment and fdatasyncs it.
    private func flush(_ bytes: [UInt8], fault: InjectedFault?) throws(StoreError) {
        if let fault, fault.operation == .write {
            throw Errno(rawValue: fault.errno).storeError(operation: "write", path: active.path)
        }
        try Syscall.writeAll(fd, bytes, path: active.path)
        size += Int64(bytes.count)
        if let fault, fault.operation == .sync {
            throw Errno(rawValue: fault.errno).storeError(operation: "fdatasync", path: active.path)
        }
        try Syscall.fdatasync(fd, path: active.path)
        counters.syncs += 1
    }

    /// Appends raw bytes (a newline ending a torn fragment) and fdatasyncs.
    func writeRaw(_ bytes: [UInt8]) throws(StoreError) {
        try flush(bytes, fault: nil)
    }

    /// Seals the active segment and starts `changes/<nextSeq>.ndjson`, then applies retention.
    func rotate(nextSeq: UInt64) throws(StoreError) {
        let old = active
        try Self.seal(fd: fd, path: old.path)
        counters.syncs += 1
        Syscall.closeIgnoringErrors(fd)
        fd = -1
        let next = LogSegment(stateDirectory: stateDirectory, firstSeq: nextSeq)
        fd = try Self.createSegment(next, stateDirectory: stateDirectory)
        sealed.append(old)
        active = next
        size = 0
        activeStarted = nil
        counters.rotations += 1
        metadata.lastSeq = max(metadata.lastSeq, nextSeq - 1)
        logger.info(
            "change log rotated", metadata: ["sealed": "\(old.relativePath)", "active": "\(next.relativePath)"])
        try applyRetention(now: RFC3339.now().seconds)
    }

    /// Deletes the oldest sealed segments beyond the retention limits, after recording the new first seq (and
    /// the latest durable seq) in `log.json`. Always rewrites `log.json`.
    func applyRetention(now: Int64) throws(StoreError) {
        var drop = 0
        if let keep = options.retainSegments {
            drop = max(0, sealed.count + 1 - max(1, keep))
        }
        if let age = options.retainAge {
            let limit = now - Int64(age.components.seconds)
            while drop < sealed.count, let st = try Syscall.statPath(sealed[drop].path),
                Int64(st.st_mtim.tv_sec) < limit
            {
                drop += 1
            }
        }
        let doomed = Array(sealed.prefix(drop))
        if !doomed.isEmpty {
            metadata.firstSeq = drop < sealed.count ? sealed[drop].firstSeq : active.firstSeq
        }
        try metadata.save(stateDirectory: stateDirectory)
        guard !doomed.isEmpty else { return }
        for segment in doomed {
            Syscall.unlinkIgnoringErrors(segment.path)
        }
        sealed.removeFirst(drop)
        Self.deletePayloads(before: metadata.firstSeq, stateDirectory: stateDirectory)
        try Syscall.fsyncDirectory(LogSegment.directory(in: stateDirectory))
        logger.info(
            "change log retention deleted old segments",
            metadata: ["segments": "\(doomed.count)", "first_seq": "\(metadata.firstSeq)"])
    }

    /// Closes the descriptor; with `clean`, records the clean-shutdown mark and `lastSeq` in `log.json`.
    func finish(clean: Bool, lastSeq: UInt64) throws(StoreError) {
        if fd >= 0 {
            Syscall.closeIgnoringErrors(fd)
            fd = -1
        }
        guard clean else { return }
        metadata.cleanShutdown = true
        metadata.lastSeq = max(metadata.lastSeq, lastSeq)
        try metadata.save(stateDirectory: stateDirectory)
    }

    // MARK: - File operations shared with the opener

    /// `changes/payloads/<seq>.json`.
    static func payloadRelativePath(seq: UInt64) -> String {
        "\(LogSegment.directoryName)/\(LogSegment.payloadDirectoryName)/\(seq).json"
    }

    /// Makes a segment read-only (0440) and fsyncs it.
    static func seal(fd: Int32, path: String) throws(StoreError) {
        if case .failure(let err) = Syscall.retrying({ fchmod(fd, Syscall.sealedMode) }) {
            throw err.storeError(operation: "chmod", path: path)
        }
        try Syscall.fsync(fd, path: path)
    }

    /// Creates an empty segment file (it must not exist), fsyncs `changes/`, points `changes.ndjson` at it, and
    /// returns an `O_APPEND` descriptor for it.
    static func createSegment(_ segment: LogSegment, stateDirectory: String) throws(StoreError) -> Int32 {
        let fd = try segment.open(flags: O_WRONLY | O_APPEND | O_CREAT | O_EXCL)
        do {
            try Syscall.fsyncDirectory(LogSegment.directory(in: stateDirectory))
            try swapLiveLink(stateDirectory: stateDirectory, to: segment)
        } catch {
            Syscall.closeIgnoringErrors(fd)
            throw error
        }
        return fd
    }

    /// Makes `<stateDir>/changes.ndjson` a hard link to `segment`, replacing the old link atomically (link to a
    /// temporary name, rename over), then fsyncs the state directory.
    static func swapLiveLink(stateDirectory: String, to segment: LogSegment) throws(StoreError) {
        let live = AtomicFile.joined(stateDirectory, ChangeLog.fileName)
        let temporary = AtomicFile.joined(stateDirectory, ".\(ChangeLog.fileName).link-\(getpid())")
        Syscall.unlinkIgnoringErrors(temporary)
        if case .failure(let err) = Syscall.retrying({ link(segment.path, temporary) }) {
            throw err.storeError(operation: "link", path: temporary, detail: "link \(segment.path) -> \(temporary)")
        }
        do {
            try Syscall.rename(temporary, live)
        } catch {
            Syscall.unlinkIgnoringErrors(temporary)
            throw error
        }
        try Syscall.fsyncDirectory(stateDirectory)
    }

    /// Deletes payload files of events before `firstSeq` (best effort).
    static func deletePayloads(before firstSeq: UInt64, stateDirectory: String) {
        let directoryPath = StatePath(
            root: stateDirectory, components: [LogSegment.directoryName, LogSegment.payloadDirectoryName])
        guard let fd = try? Syscall.openDirectory(directoryPath, create: false) else { return }
        guard let stream = fdopendir(fd) else {
            Syscall.closeIgnoringErrors(fd)
            return
        }
        defer { closedir(stream) }
        var doomed: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".json"), let seq = UInt64(name.dropLast(5)), seq < firstSeq else { continue }
            doomed.append(name)
        }
        for name in doomed { _ = unlinkat(fd, name, 0) }
    }
}
