import Logging

/// The single writer of the change log: `<stateDir>/changes/<first seq>.ndjson` segments, `changes.ndjson` (a hard
/// link to the active segment) and `log.json`. See `docs/change-log.md` for the format and guarantees.
///
/// Callers assign seqs with ``enqueue(_:)`` (cheap, never blocks on I/O) and wait for durability with
/// ``waitDurable(through:)``; a dedicated writer thread writes everything queued with one `write` and one
/// `fdatasync` per batch (group commit). Any write or sync failure is fatal: every later call throws it.
/// Only one process may write the log: hold a ``StateLock`` on the state directory first. Call ``close()``
/// on shutdown so that the next start knows the shutdown was clean.
public final class ChangeLog: Sendable {
    /// The live file's name inside the state directory (a hard link to the active segment).
    public static let fileName = "changes.ndjson"
    /// The metadata file's name inside the state directory.
    public static let metadataFileName = "log.json"
    /// The type of the event appended after sealing a segment that ended with a torn write.
    public static let recoveredEventType = "herald.log.recovered"
    /// The type of the first event of every epoch after the first.
    public static let epochEventType = "herald.log.epoch"

    /// Path of `changes.ndjson`.
    public let path: String
    /// The state directory.
    public let stateDirectory: String
    /// The UUID of the current epoch; part of every event `id`.
    public let epoch: String
    let options: ChangeLogOptions
    let logger: Logger
    let core: ChangeLogCore

    init(stateDirectory: String, epoch: String, options: ChangeLogOptions, logger: Logger, core: ChangeLogCore) {
        self.stateDirectory = stateDirectory
        self.path = AtomicFile.joined(stateDirectory, Self.fileName)
        self.epoch = epoch
        self.options = options
        self.logger = logger
        self.core = core
    }

    deinit {
        _ = try? stopWriter(markClean: false)
    }

    /// Opens (creating, migrating or recovering as needed) the log in `stateDirectory` and starts its writer.
    ///
    /// Recovery: a torn last line is terminated with `\n`, its segment sealed, a new segment started and a
    /// `herald.log.recovered` event appended. A new epoch starts (with a `herald.log.epoch` event) when the
    /// segments were replaced or restored, `log.json` is missing, or the machine rebooted without a clean
    /// shutdown. Both events are durable when this returns.
    /// - Throws: ``StoreError`` when the files cannot be read or written, or the log is corrupt.
    public static func open(
        stateDirectory: String, options: ChangeLogOptions = .init(), logger: Logger
    ) throws -> ChangeLog {
        try ChangeLogOpener(stateDirectory: stateDirectory, options: options, logger: logger, bootID: BootID.current())
            .open()
    }

    /// ``open(stateDirectory:options:logger:)`` with the boot id given (tests).
    static func open(
        stateDirectory: String, options: ChangeLogOptions = .init(), logger: Logger, bootID: String?
    ) throws -> ChangeLog {
        try ChangeLogOpener(stateDirectory: stateDirectory, options: options, logger: logger, bootID: bootID).open()
    }

    /// The seq of the last event assigned (0 when the log is empty).
    public var lastSeq: UInt64 {
        core.lock.withLock { core.lastSeq }
    }

    /// The seq of the last event written and fdatasynced.
    public var durableSeq: UInt64 {
        core.lock.withLock { core.durableSeq }
    }

    /// Counters since the log was opened (batches, syncs, rotations...).
    public var statistics: ChangeLogStatistics {
        core.lock.withLock { core.statistics }
    }

    /// Assigns `seq`, `id`, `epoch` and `time` to `events` (in call order, under a lock) and queues their lines
    /// for the writer thread. Never blocks on I/O. The events of one call share the same `time`.
    ///
    /// An event whose line would exceed ``ChangeLogOptions/maxLineBytes`` has its `data` stored in
    /// `changes/payloads/<seq>.json` and gets `{"payload_ref": "changes/payloads/<seq>.json", "payload_bytes": N}`
    /// as `data` instead (the returned event shows what the log holds).
    /// - Throws: ``StoreError``: `.invalidArgument` when an event cannot be encoded (nothing is queued then, and
    ///   the log stays usable); the log's fatal error after a failed write; `.invalidArgument` after ``close()``.
    public func enqueue(_ events: [PendingEvent]) throws -> [ChangeEvent] {
        try core.lock.withLock { () throws(StoreError) -> [ChangeEvent] in
            if let failure = core.failure { throw core.unusableError(failure) }
            if core.closing {
                throw StoreError(code: .invalidArgument, path: path, message: "change log \(path) is closed")
            }
            if events.isEmpty { return [] }
            let (seconds, nanoseconds) = RFC3339.now()
            let millis = nanoseconds / 1_000_000
            if core.timeCache.seconds != seconds || core.timeCache.millis != millis {
                core.timeCache = (seconds, millis, RFC3339.format(seconds: seconds, nanoseconds: nanoseconds))
            }
            let time = core.timeCache.text
            var assigned: [ChangeEvent] = []
            assigned.reserveCapacity(events.count)
            var lines: [QueuedLine] = []
            lines.reserveCapacity(events.count)
            var seq = core.lastSeq
            var bytes = 0
            for pending in events {
                seq += 1
                var event = ChangeEvent(
                    seq: seq, epoch: epoch, time: time, type: pending.type, subject: pending.subject,
                    data: pending.data)
                let line = try encodeLine(&event)
                bytes += line.bytes.count
                lines.append(
                    QueuedLine(seq: seq, bytes: line.bytes, payload: line.payload, unixSeconds: seconds))
                assigned.append(event)
            }
            core.lastSeq = seq
            // The writer waits for work only while the queue is empty; during its commit delay it needs waking
            // only when the batch grew large enough to go at once.
            let wasEmpty = core.queue.isEmpty
            if wasEmpty {
                core.queuedSince = ConditionLock.monotonicNow()
                core.queue = lines
            } else {
                core.queue.append(contentsOf: lines)
            }
            let before = core.queueBytes
            core.queueBytes += bytes
            if wasEmpty
                || (before < ChangeLogCore.eagerBatchBytes && core.queueBytes >= ChangeLogCore.eagerBatchBytes)
            {
                core.lock.signal(.work)
            }
            return assigned
        }
    }

    /// Encodes one event as a line with its newline, moving `data` to a payload file when the line is too long.
    private func encodeLine(_ event: inout ChangeEvent) throws(StoreError) -> (bytes: [UInt8], payload: [UInt8]?) {
        var line: [UInt8] = []
        line.reserveCapacity(320)
        do {
            try ChangeEventEncoder.append(event, to: &line)
        } catch {
            throw StoreError(
                code: .invalidArgument, path: path,
                message: "cannot append \(event.type) event for \(event.subject): \(error.message)")
        }
        line.append(0x0A)
        if line.count <= options.maxLineBytes { return (line, nil) }

        let payload = try ChangeEventEncoder.encode(event.data)
        let reference = SegmentWriter.payloadRelativePath(seq: event.seq)
        event.data = ["payload_ref": .string(reference), "payload_bytes": .int(Int64(payload.count))]
        line.removeAll(keepingCapacity: true)
        try ChangeEventEncoder.append(event, to: &line)
        line.append(0x0A)
        guard line.count <= options.maxLineBytes else {
            throw StoreError(
                code: .invalidArgument, path: path,
                message: "cannot append \(event.type) event for \(event.subject): its line is \(line.count) bytes "
                    + "even without its data, more than the limit of \(options.maxLineBytes)")
        }
        return (line, payload)
    }

    /// Returns when every event up to `seq` is written and fdatasynced.
    /// - Throws: the log's fatal ``StoreError`` if the writer failed before reaching `seq`.
    public func waitDurable(through seq: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            core.lock.lock()
            if core.durableSeq >= seq {
                core.lock.unlock()
                continuation.resume()
            } else if let failure = core.failure {
                core.lock.unlock()
                continuation.resume(throwing: core.unusableError(failure))
            } else if seq > core.lastSeq || core.writerExited {
                let last = core.lastSeq
                core.lock.unlock()
                continuation.resume(
                    throwing: StoreError(
                        code: .invalidArgument, path: path,
                        message: "cannot wait for seq \(seq): the change log has assigned only up to \(last)"))
            } else {
                core.waiters.append((seq, continuation))
                core.lock.unlock()
            }
        }
    }

    /// Blocks the calling thread until every event up to `seq` is durable (tools and tests; not for the
    /// cooperative thread pool).
    /// - Throws: the log's fatal ``StoreError`` if the writer failed before reaching `seq`.
    public func waitDurableBlocking(through seq: UInt64) throws {
        try core.lock.withLock { () throws(StoreError) in
            while core.durableSeq < seq {
                if let failure = core.failure { throw core.unusableError(failure) }
                if seq > core.lastSeq || core.writerExited {
                    throw StoreError(
                        code: .invalidArgument, path: path,
                        message: "cannot wait for seq \(seq): the change log has assigned only up to "
                            + "\(core.lastSeq)")
                }
                core.lock.wait(.progress)
            }
        }
    }

    /// Appends `events` and returns once they are durable (``enqueue(_:)`` then ``waitDurable(through:)``).
    public func append(_ events: [PendingEvent]) async throws -> [ChangeEvent] {
        let assigned = try enqueue(events)
        if let last = assigned.last { try await waitDurable(through: last.seq) }
        return assigned
    }

    /// Appends `events` and blocks the calling thread until they are durable. For tools and tests: must not be
    /// called from the cooperative thread pool.
    public func appendAndWait(_ events: [PendingEvent]) throws -> [ChangeEvent] {
        let assigned = try enqueue(events)
        if let last = assigned.last { try waitDurableBlocking(through: last.seq) }
        return assigned
    }

    /// Flushes and fsyncs everything queued, stops the writer thread, and records the clean-shutdown mark in
    /// `log.json`. Later appends throw. Calling it again does nothing.
    /// - Throws: the log's fatal ``StoreError`` if a write or sync failed (no clean-shutdown mark is written then),
    ///   or the failure to write `log.json`.
    public func close() throws {
        try stopWriter(markClean: true)
    }

    /// Stops the writer after it drained the queue; with `markClean`, writes the clean-shutdown mark when the log
    /// did not fail. Idempotent.
    @discardableResult
    private func stopWriter(markClean: Bool) throws(StoreError) -> Bool {
        core.lock.lock()
        if core.writer == nil {
            core.lock.unlock()
            return false
        }
        core.closing = true
        core.lock.signal(.work)
        while !core.writerExited { core.lock.wait(.progress) }
        let writer = core.writer!
        core.writer = nil
        let failure = core.failure
        let durable = core.durableSeq
        core.lock.unlock()
        do {
            try writer.finish(clean: markClean && failure == nil, lastSeq: durable)
        } catch {
            throw error
        }
        if let failure { throw core.unusableError(failure) }
        return true
    }

    /// Makes the writer fail its next write or sync with `errno` (tests).
    func injectFault(_ operation: InjectedFault.Operation, errno: Int32) {
        core.lock.withLock { core.injectedFault = InjectedFault(operation: operation, errno: errno) }
    }
}
