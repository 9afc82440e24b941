import Foundation
import Logging

/// The state shared by a ``ChangeLog``'s callers and its writer thread, guarded by one ``ConditionLock``.
///
/// Callers assign seqs and queue encoded lines under the lock; the writer thread takes the whole queue, writes
/// and fdatasyncs it outside the lock, then publishes ``durableSeq`` and resumes waiters.
final class ChangeLogCore: @unchecked Sendable {
    let lock = ConditionLock()
    let commitDelayNanoseconds: UInt64
    let logger: Logger

    // Everything below is guarded by `lock`.
    var lastSeq: UInt64
    var durableSeq: UInt64
    var queue: [QueuedLine] = []
    var queueBytes = 0
    /// Monotonic time at which the oldest queued line was queued.
    var queuedSince: UInt64 = 0
    /// The fatal error that stopped the writer, if any.
    var failure: StoreError?
    /// Set by close(): no more enqueues; the writer drains the queue and exits.
    var closing = false
    var writerExited = false
    var waiters: [(seq: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    var statistics = ChangeLogStatistics()
    var injectedFault: InjectedFault?
    /// The last formatted event time, reused within the same millisecond.
    var timeCache: (seconds: Int64, millis: Int64, text: String) = (-1, -1, "")
    /// Owned by the writer thread while it runs; by close() afterwards.
    var writer: SegmentWriter?

    /// A batch is written at once, without waiting for the commit delay, when this many bytes are queued.
    static let eagerBatchBytes = 4 << 20

    init(lastSeq: UInt64, commitDelay: Duration, logger: Logger, writer: SegmentWriter) {
        self.lastSeq = lastSeq
        self.durableSeq = lastSeq
        self.commitDelayNanoseconds = commitDelay.nanoseconds
        self.logger = logger
        self.writer = writer
    }

    /// Starts the writer thread.
    func startWriter() {
        let thread = Thread { [self] in runWriter() }
        thread.name = "herald-changelog-writer"
        thread.start()
    }

    private func runWriter() {
        lock.lock()
        guard let writer else {
            writerExited = true
            lock.broadcast(.progress)
            lock.unlock()
            return
        }
        while true {
            while queue.isEmpty && !closing { lock.wait(.work) }
            if queue.isEmpty { break }
            if commitDelayNanoseconds > 0 {
                let deadline = queuedSince + commitDelayNanoseconds
                while !closing, queueBytes < Self.eagerBatchBytes, ConditionLock.monotonicNow() < deadline {
                    lock.wait(.work, untilMonotonic: deadline)
                }
            }
            let batch = queue
            queue = []
            queueBytes = 0
            let fault = injectedFault
            injectedFault = nil
            lock.unlock()

            var error: StoreError?
            writer.counters = ChangeLogStatistics()
            do {
                try writer.write(batch, fault: fault)
            } catch let caught {
                error = caught
            }
            let counters = writer.counters

            lock.lock()
            statistics.syncs += counters.syncs
            statistics.rotations += counters.rotations
            statistics.payloadFiles += counters.payloadFiles
            if let error {
                fail(error)
                break
            }
            statistics.batches += 1
            statistics.events += UInt64(batch.count)
            durableSeq = batch.last!.seq
            let ready = takeWaiters(through: durableSeq)
            lock.broadcast(.progress)
            if !ready.isEmpty {
                lock.unlock()
                for continuation in ready { continuation.resume() }
                lock.lock()
            }
        }
        writerExited = true
        lock.broadcast(.progress)
        lock.unlock()
    }

    /// Records a fatal error and fails every waiter; the lock must be held (it is released and re-taken).
    private func fail(_ error: StoreError) {
        failure = error
        logger.critical(
            "change log write failed; the log is unusable until herald restarts",
            metadata: ["path": "\(error.path)", "error": "\(error.message)"])
        let failed = waiters.map(\.continuation)
        waiters = []
        lock.broadcast(.progress)
        lock.unlock()
        for continuation in failed { continuation.resume(throwing: unusableError(error)) }
        lock.lock()
    }

    private func takeWaiters(through seq: UInt64) -> [CheckedContinuation<Void, any Error>] {
        guard !waiters.isEmpty else { return [] }
        var ready: [CheckedContinuation<Void, any Error>] = []
        waiters.removeAll { waiter in
            if waiter.seq <= seq {
                ready.append(waiter.continuation)
                return true
            }
            return false
        }
        return ready
    }

    /// The error every call gets after a fatal failure.
    func unusableError(_ failure: StoreError) -> StoreError {
        StoreError(
            code: failure.code, path: failure.path,
            message: "the change log is unusable after a failed write (\(failure.message)); "
                + "stop herald and restart it to recover the log")
    }
}
