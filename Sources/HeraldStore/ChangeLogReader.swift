import Glibc

/// Reads `changes.ndjson` for clients such as `herald tail`; never writes to it.
///
/// Only complete lines (ending in `\n`) are returned. Unparseable lines are torn fragments left by a crash and
/// are skipped, as long as the sequence numbers around them stay contiguous; any other jump in `seq` means
/// events were lost and is reported as `.corrupt`.
public struct ChangeLogReader: Sendable {
    /// One log line: its sequence number and its raw JSON bytes (without the newline).
    public typealias Entry = (seq: UInt64, line: [UInt8])

    /// Path of the log file.
    public let path: String

    /// Creates a reader for the log at `path` (usually `<stateDir>/changes.ndjson`); the file need not exist yet.
    public init(path: String) {
        self.path = path
    }

    /// Creates a reader for the log in `stateDirectory`.
    public init(stateDirectory: String) {
        self.path = AtomicFile.joined(stateDirectory, ChangeLog.fileName)
    }

    /// The complete lines whose `seq` is greater than `after`, in file order.
    ///
    /// Reads from the end of the file back to the first line with `seq <= after`, so asking for recent events
    /// of a large log is cheap. Returns an empty array when the file does not exist.
    /// - Throws: ``StoreError`` with code `.corrupt` when sequence numbers are not contiguous.
    public func read(after: UInt64) throws -> [Entry] {
        try readLines(after: after)
    }

    /// Yields batches of new lines (seq > `after`, then after the last one yielded) as the log grows.
    ///
    /// Polls the file's size every `pollInterval`; the file may not exist yet. The stream ends when the consuming
    /// task is cancelled, and fails if the log turns out to be corrupt.
    public func follow(
        after: UInt64, pollInterval: Duration = .milliseconds(100)
    ) -> AsyncThrowingStream<[Entry], Error> {
        let reader = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                var position = after
                var lastSize: Int64 = -1
                var fileID: (device: UInt64, inode: UInt64)?
                do {
                    while !Task.isCancelled {
                        let st = try Syscall.statPath(reader.path)
                        let size = st.map { Int64($0.st_size) } ?? -1
                        if let st {
                            let id = (device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
                            if let known = fileID, known != id || size < lastSize {
                                throw StoreError(
                                    code: .corrupt, path: reader.path,
                                    message: "change log \(reader.path) was replaced or truncated while it was "
                                        + "followed; start again from the new log's epoch")
                            }
                            fileID = id
                        }
                        if size != lastSize {
                            lastSize = size
                            let batch = try reader.readLines(after: position)
                            if let last = batch.last {
                                position = last.seq
                                continuation.yield(batch)
                            }
                        }
                        try await Task.sleep(for: pollInterval)
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func readLines(after: UInt64) throws(StoreError) -> [Entry] {
        guard let fd = try Syscall.openIfExists(path, flags: O_RDONLY | O_CLOEXEC) else { return [] }
        defer { Syscall.closeIgnoringErrors(fd) }
        let size = Int64(try Syscall.fstat(fd, path: path).st_size)
        let end = try BackwardLineReader.completeEnd(fd: fd, size: size, path: path)

        // Walk back to the newest line at or before `after`; it anchors the contiguity check.
        var collected: [(seq: UInt64?, line: [UInt8])] = []
        var anchor: UInt64 = 0
        var reader = BackwardLineReader(fd: fd, path: path, end: end)
        while let (_, line) = try reader.next() {
            let seq = LogLine.seq(of: line[...])
            if let seq, seq <= after {
                anchor = seq
                break
            }
            collected.append((seq, line))
        }

        var result: [Entry] = []
        result.reserveCapacity(collected.count)
        var previous = anchor
        var skippedFragment = false
        for (seq, line) in collected.reversed() {
            guard let seq else {
                skippedFragment = true
                continue
            }
            guard seq == previous + 1 else {
                let context = skippedFragment ? " (after an unparseable line)" : ""
                let detail =
                    seq > previous + 1
                    ? "events \(previous + 1)...\(seq - 1) are missing"
                    : "sequence numbers go backwards"
                let position = previous == 0 ? "the first event has seq \(seq)" : "seq \(seq) follows seq \(previous)"
                throw StoreError(
                    code: .corrupt, path: path,
                    message: "change log \(path) is corrupt: \(position)\(context); \(detail)")
            }
            previous = seq
            skippedFragment = false
            result.append((seq, line))
        }
        return result
    }
}
