internal import CCurl
import Dispatch
import Foundation
import Synchronization

/// A libcurl multi handle pointer that may be passed between threads.
///
/// Only the curl thread performs transfers with it; other threads call `curl_multi_wakeup`, which libcurl
/// documents as safe to call from any thread, and only while ``FetchQueue`` says the handle is still open.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// The state shared between async callers and the curl thread: the continuation of every fetch that has not
/// finished, the host politeness budget (``HostBudget``) and the hops it holds back, the hops it released for
/// the curl thread to start, and cancellations.
///
/// Whoever removes a continuation from `waiting` (under the lock) resumes it, so each is resumed exactly once.
final class FetchQueue: Sendable {
    typealias Continuation = CheckedContinuation<Result<FetchResponse, FetchError>, Never>

    /// One hop of a fetch: the request and where it has got to.
    struct Job: Sendable {
        var id: UInt64
        var request: FetchRequest
        /// The URL of this hop (the request's URL, or a redirect target).
        var url: String
        /// The hop's host, as ``HostName/normalized(_:)`` spells it.
        var host: String
        /// The hops followed before this one.
        var redirects: [FetchRedirect] = []
        /// When the whole fetch must be done; set when its first hop starts, and moved later by the time later
        /// hops spend waiting in the budget (the total timeout counts transfers, not politeness).
        var deadline: ContinuousClock.Instant?
        /// When a later hop was queued.
        var queuedAt: ContinuousClock.Instant?
    }

    struct Work {
        var jobs: [Job]
        var cancelled: [UInt64]
        var shuttingDown: Bool
    }

    private struct State {
        let multi: MultiHandle
        var nextID: UInt64 = 1
        var waiting: [UInt64: Continuation] = [:]
        var budget: HostBudget
        /// Hops the budget holds back.
        var queued: [UInt64: Job] = [:]
        /// Hops the budget released, for the curl thread to start.
        var ready: [Job] = []
        var cancelled: [UInt64] = []
        var shuttingDown = false
        var multiClosed = false
    }

    typealias Resumption = (Continuation, Result<FetchResponse, FetchError>)

    let multi: MultiHandle
    /// Signalled by the curl thread once it has released every libcurl handle.
    let threadFinished = DispatchSemaphore(value: 0)
    private let state: Mutex<State>

    init(multi: MultiHandle, budget: HostBudget.Settings) {
        self.multi = multi
        self.state = Mutex(State(multi: multi, budget: HostBudget(settings: budget)))
    }

    func makeID() -> UInt64 {
        state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    /// Queues a fetch's first hop behind its host's budget, or fails it at once after shutdown.
    func submit(_ job: Job, continuation: Continuation, now: ContinuousClock.Instant) {
        let resumptions = state.withLock { state -> [Resumption] in
            guard !state.shuttingDown else { return [(continuation, .failure(Fetcher.shutDownError))] }
            state.waiting[job.id] = continuation
            return FetchQueue.enqueue(job, now: now, &state)
        }
        FetchQueue.resume(resumptions)
    }

    /// Registers a fetch served outside libcurl (a local file), so that shutdown and cancellation reach it.
    /// - Returns: false after shutdown (the continuation has then been resumed with an error).
    func register(id: UInt64, continuation: Continuation) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.shuttingDown else { return false }
            state.waiting[id] = continuation
            return true
        }
        if !accepted { continuation.resume(returning: .failure(Fetcher.shutDownError)) }
        return accepted
    }

    /// Fails a fetch with `.cancelled` and asks the curl thread to drop its transfer; a no-op once it finished.
    func cancel(id: UInt64, now: ContinuousClock.Instant) {
        let resumptions = state.withLock { state -> [Resumption] in
            guard let continuation = state.waiting.removeValue(forKey: id) else { return [] }
            if state.queued.removeValue(forKey: id) == nil {
                if let index = state.ready.firstIndex(where: { $0.id == id }) {
                    state.ready.remove(at: index)
                } else {
                    state.cancelled.append(id)
                    FetchQueue.wakeUp(state)
                }
            }
            var resumptions: [Resumption] = [
                (continuation, .failure(FetchError(.cancelled, "the fetch was cancelled")))
            ]
            resumptions += FetchQueue.apply(state.budget.cancelled(id, now: now), now: now, &state)
            return resumptions
        }
        FetchQueue.resume(resumptions)
    }

    /// Fails every unfinished fetch with `.cancelled` and tells the curl thread to stop.
    /// - Returns: false when shutdown had already begun.
    func beginShutdown() -> Bool {
        let continuations = state.withLock { state -> [Continuation]? in
            guard !state.shuttingDown else { return nil }
            state.shuttingDown = true
            state.queued.removeAll()
            state.ready.removeAll()
            state.cancelled.removeAll()
            let all = Array(state.waiting.values)
            state.waiting.removeAll()
            FetchQueue.wakeUp(state)
            return all
        }
        guard let continuations else { return false }
        for continuation in continuations {
            continuation.resume(returning: .failure(Fetcher.shutDownError))
        }
        return true
    }

    /// Sets a host's `Crawl-delay` in the budget.
    func setCrawlDelay(_ delay: Duration?, host: String, now: ContinuousClock.Instant) {
        let resumptions = state.withLock { state in
            FetchQueue.apply(state.budget.setCrawlDelay(delay, host: host, now: now), now: now, &state)
        }
        FetchQueue.resume(resumptions)
    }

    /// The budget's view of every host it remembers.
    func hostSnapshot() -> [HostBudget.Snapshot] {
        state.withLock { $0.budget.snapshot() }
    }

    // MARK: - Called on the curl thread

    /// The hops to start now (the budget's due ones included) and the transfers to drop.
    func takeWork(now: ContinuousClock.Instant) -> Work {
        let (work, resumptions) = state.withLock { state -> (Work, [Resumption]) in
            let resumptions = FetchQueue.apply(state.budget.due(now: now), now: now, &state)
            defer {
                state.ready.removeAll(keepingCapacity: true)
                state.cancelled.removeAll(keepingCapacity: true)
            }
            return (Work(jobs: state.ready, cancelled: state.cancelled, shuttingDown: state.shuttingDown), resumptions)
        }
        FetchQueue.resume(resumptions)
        return work
    }

    /// When the budget next releases a held-back hop.
    func nextWakeUp() -> ContinuousClock.Instant? {
        state.withLock { $0.budget.nextWakeUp }
    }

    /// A hop's transfer was handed to libcurl: the host's delay counts from now.
    func hopStarted(id: UInt64, now: ContinuousClock.Instant) {
        state.withLock { $0.budget.started(id, now: now) }
    }

    /// A hop's transfer ended (or could not start): frees its place in the host's budget and, for a redirect
    /// of a fetch that is still wanted, queues its next hop in the same step.
    func hopEnded(id: UInt64, outcome: HostBudget.Outcome, next: Job? = nil, now: ContinuousClock.Instant) {
        let resumptions = state.withLock { state -> [Resumption] in
            var nextHost: String?
            if var next, !state.shuttingDown, state.waiting[id] != nil {
                next.queuedAt = now
                state.queued[id] = next
                nextHost = next.host
            }
            let actions = state.budget.finished(id, outcome: outcome, redirectingTo: nextHost, now: now)
            return FetchQueue.apply(actions, now: now, &state)
        }
        FetchQueue.resume(resumptions)
    }

    func complete(id: UInt64, with result: Result<FetchResponse, FetchError>) {
        let continuation = state.withLock { $0.waiting.removeValue(forKey: id) }
        continuation?.resume(returning: result)
    }

    /// Marks the multi handle as about to be freed; no wakeups are sent after this.
    func closeMulti() {
        state.withLock { $0.multiClosed = true }
    }

    // MARK: - Under the lock

    private static func enqueue(_ job: Job, now: ContinuousClock.Instant, _ state: inout State) -> [Resumption] {
        state.queued[job.id] = job
        let actions = state.budget.requestWanted(job.id, host: job.host, kind: job.request.kind, now: now)
        return apply(actions, now: now, &state)
    }

    /// Moves released hops to `ready` (waking the curl thread) and fails deferred ones.
    private static func apply(
        _ actions: HostBudget.Actions,
        now: ContinuousClock.Instant,
        _ state: inout State
    )
        -> [Resumption]
    {
        for id in actions.start {
            if let job = state.queued.removeValue(forKey: id) { state.ready.append(job) }
        }
        if !actions.start.isEmpty { wakeUp(state) }
        var resumptions: [Resumption] = []
        for deferred in actions.deferred {
            let job = state.queued.removeValue(forKey: deferred.id)
            guard let continuation = state.waiting.removeValue(forKey: deferred.id) else { continue }
            let wait = now.duration(to: deferred.until)
            let seconds = Int(wait.timeInterval.rounded(.up))
            let error = FetchError(
                .deferred,
                "\(deferred.host) asked (Retry-After) not to be contacted for another \(seconds) s, longer than a "
                    + "fetch may wait; \(job?.url ?? "the URL") was not requested, try again later",
                retryAfter: RetryAfter(delay: wait, now: Date())
            )
            resumptions.append((continuation, .failure(error)))
        }
        return resumptions
    }

    private static func resume(_ resumptions: [Resumption]) {
        for (continuation, result) in resumptions { continuation.resume(returning: result) }
    }

    private static func wakeUp(_ state: borrowing State) {
        if !state.multiClosed {
            _ = curl_multi_wakeup(state.multi.raw)
        }
    }
}
