internal import CCurl
import Dispatch
import Synchronization

/// A libcurl multi handle pointer that may be passed between threads.
///
/// Only the curl thread performs transfers with it; other threads call `curl_multi_wakeup`, which libcurl
/// documents as safe to call from any thread, and only while ``FetchQueue`` says the handle is still open.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// The state shared between async callers and the curl thread: requests waiting to start, cancellations, and
/// the continuation of every fetch that has not finished yet.
///
/// Whoever removes a continuation from `waiting` (under the lock) resumes it, so each is resumed exactly once.
final class FetchQueue: Sendable {
    typealias Continuation = CheckedContinuation<Result<FetchResponse, FetchError>, Never>

    struct Job: Sendable {
        var id: UInt64
        var request: FetchRequest
    }

    struct Work {
        var jobs: [Job]
        var cancelled: [UInt64]
        var shuttingDown: Bool
    }

    private struct State {
        var nextID: UInt64 = 1
        var waiting: [UInt64: Continuation] = [:]
        var incoming: [Job] = []
        var cancelled: [UInt64] = []
        var shuttingDown = false
        var multiClosed = false
    }

    let multi: MultiHandle
    /// Signalled by the curl thread once it has released every libcurl handle.
    let threadFinished = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    init(multi: MultiHandle) {
        self.multi = multi
    }

    func makeID() -> UInt64 {
        state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    /// Queues a request for the curl thread, or fails it at once after shutdown.
    func submit(_ job: Job, continuation: Continuation) {
        let accepted = state.withLock { state -> Bool in
            guard !state.shuttingDown else { return false }
            state.waiting[job.id] = continuation
            state.incoming.append(job)
            wakeUpLocked(state)
            return true
        }
        if !accepted {
            continuation.resume(returning: .failure(Fetcher.shutDownError))
        }
    }

    /// Fails a fetch with `.cancelled` and asks the curl thread to drop its transfer; a no-op once it finished.
    func cancel(id: UInt64) {
        let continuation = state.withLock { state -> Continuation? in
            guard let continuation = state.waiting.removeValue(forKey: id) else { return nil }
            if let index = state.incoming.firstIndex(where: { $0.id == id }) {
                state.incoming.remove(at: index)
            } else {
                state.cancelled.append(id)
                wakeUpLocked(state)
            }
            return continuation
        }
        continuation?.resume(returning: .failure(FetchError(.cancelled, "the fetch was cancelled")))
    }

    /// Fails every unfinished fetch with `.cancelled` and tells the curl thread to stop.
    /// - Returns: false when shutdown had already begun.
    func beginShutdown() -> Bool {
        let continuations = state.withLock { state -> [Continuation]? in
            guard !state.shuttingDown else { return nil }
            state.shuttingDown = true
            state.incoming.removeAll()
            state.cancelled.removeAll()
            let all = Array(state.waiting.values)
            state.waiting.removeAll()
            wakeUpLocked(state)
            return all
        }
        guard let continuations else { return false }
        for continuation in continuations {
            continuation.resume(returning: .failure(Fetcher.shutDownError))
        }
        return true
    }

    // MARK: - Called on the curl thread

    func takeWork() -> Work {
        state.withLock { state in
            defer {
                state.incoming.removeAll(keepingCapacity: true)
                state.cancelled.removeAll(keepingCapacity: true)
            }
            return Work(jobs: state.incoming, cancelled: state.cancelled, shuttingDown: state.shuttingDown)
        }
    }

    func complete(id: UInt64, with result: Result<FetchResponse, FetchError>) {
        let continuation = state.withLock { $0.waiting.removeValue(forKey: id) }
        continuation?.resume(returning: result)
    }

    /// Marks the multi handle as about to be freed; no wakeups are sent after this.
    func closeMulti() {
        state.withLock { $0.multiClosed = true }
    }

    private func wakeUpLocked(_ state: borrowing State) {
        if !state.multiClosed {
            _ = curl_multi_wakeup(multi.raw)
        }
    }
}
