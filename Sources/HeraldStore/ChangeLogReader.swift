import Foundation
import Synchronization

/// Reads the change log for clients such as `herald tail`; never writes to it. A convenience over
/// ``ChangeLogTailer`` (which see for the reading rules).
public struct ChangeLogReader: Sendable {
    /// One log line: its sequence number and its raw JSON bytes (without the newline).
    public typealias Entry = (seq: UInt64, line: [UInt8])

    /// The state directory holding `changes/` and `log.json`.
    public let stateDirectory: String

    /// Creates a reader for the log in `stateDirectory`; the log need not exist yet.
    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    /// Creates a reader for the log whose live file is `path` (`<stateDir>/changes.ndjson`).
    public init(path: String) {
        self.stateDirectory = AtomicFile.split(path).directory
    }

    /// The log's current epoch, from `log.json` (nil when it is missing).
    public func epoch() throws -> String? {
        try ChangeLogMetadata.load(stateDirectory: stateDirectory)?.epoch
    }

    /// The first seq still in the log (1 unless retention deleted segments; the next seq when the log is empty).
    public func firstRetainedSeq() throws -> UInt64 {
        let metadata = try ChangeLogMetadata.load(stateDirectory: stateDirectory)
        let segments = try LogSegment.list(stateDirectory: stateDirectory)
        return max(metadata?.firstSeq ?? 1, segments.first?.firstSeq ?? 1)
    }

    /// The seq of the last complete event in the log (0 when there is none); reads only the end of the newest
    /// segment.
    public func lastSeq() throws -> UInt64 {
        try ChangeLogTailer.lastSeq(segments: try LogSegment.list(stateDirectory: stateDirectory))
    }

    /// Every retained event, from the first retained one (whatever retention deleted before it).
    public func readFromStart() throws -> [Entry] {
        try ChangeLogTailer(fromStartOf: stateDirectory).readAvailable().map { ($0.seq, $0.line) }
    }

    /// The `data` of an event, loading it from its payload file when the log holds only a reference
    /// (`{"payload_ref": "changes/payloads/<seq>.json", "payload_bytes": N}`, for data over the line limit).
    public func resolvedData(of event: ChangeEvent) throws -> JSONValue {
        guard case .object(let members) = event.data, members.count == 2,
            let reference = members["payload_ref"]?.stringValue, members["payload_bytes"]?.intValue != nil
        else { return event.data }
        let file = StatePath(root: stateDirectory, relative: reference)
        let path = file.full
        guard let bytes = try AtomicFile.read(file) else {
            throw StoreError(
                code: .notFound, path: path, message: "payload file \(path) of event \(event.seq) is missing")
        }
        return try StateJSON.decode(JSONValue.self, from: bytes, path: path)
    }

    /// The complete events whose seq is greater than `after`, across all segments.
    /// - Throws: ``StoreError`` `.corrupt` when seqs are not contiguous; ``ChangeLogCursorError`` `.expired` when
    ///   events after `after` were deleted by retention.
    public func read(after: UInt64) throws -> [Entry] {
        let tailer = try ChangeLogTailer(stateDirectory: stateDirectory, after: after)
        return try tailer.readAvailable().map { ($0.seq, $0.line) }
    }

    /// The complete events after `after`, with their epoch and type.
    public func events(after: UInt64) throws -> [ChangeLogTailer.Event] {
        try ChangeLogTailer(stateDirectory: stateDirectory, after: after).readAvailable()
    }

    /// Yields batches of new events (seq > `after`, then after the last one yielded) as the log grows, on a
    /// dedicated thread that waits with inotify (and at most `pollInterval` between checks).
    ///
    /// The stream ends when the consumer stops iterating (or its task is cancelled), and fails if the log turns
    /// out to be corrupt or was replaced.
    public func follow(
        after: UInt64, pollInterval: Duration = .milliseconds(50)
    ) -> AsyncThrowingStream<[Entry], any Error> {
        let stateDirectory = self.stateDirectory
        let (stream, continuation) = AsyncThrowingStream<[Entry], any Error>.makeStream()
        let stopped = StopFlag()
        continuation.onTermination = { _ in stopped.stop() }
        let thread = Thread {
            do {
                let tailer = try ChangeLogTailer(stateDirectory: stateDirectory, after: after)
                while !stopped.isStopped {
                    let batch = try tailer.readAvailable(limit: 10_000)
                    if batch.isEmpty {
                        tailer.waitForChanges(timeout: pollInterval)
                    } else {
                        continuation.yield(batch.map { ($0.seq, $0.line) })
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "herald-changelog-follow"
        thread.start()
        return stream
    }
}

/// A flag set once from any thread.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func stop() { flag.store(true, ordering: .releasing) }
    var isStopped: Bool { flag.load(ordering: .acquiring) }
}
