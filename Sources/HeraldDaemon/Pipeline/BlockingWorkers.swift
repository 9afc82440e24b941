import Foundation
import Synchronization

/// A few threads of our own for CPU-bound work (feed parsing, page extraction), so the cooperative pool (one
/// thread per core) never runs a parse: a hostile document can keep a worker busy, but polls, the control socket
/// and shutdown go on.
///
/// A caller that is cancelled (shutdown) stops waiting at once with `CancellationError`; the work it left
/// behind finishes on its worker (or is stopped by the parse budget it was given) and its result is dropped.
final class BlockingWorkers: Sendable {
    private struct Job: Sendable {
        var work: @Sendable () -> Void
    }

    private struct Queue {
        var jobs: [Job] = []
        var head = 0
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let ready = NSCondition()

    /// Starts `count` worker threads named `herald-<name>-N`.
    init(count: Int, name: String) {
        for n in 0..<max(1, count) {
            let thread = Thread { [self] in loop() }
            thread.name = "herald-\(name)-\(n)"
            thread.start()
        }
    }

    deinit {
        stop()
    }

    /// Lets the workers exit once the queue is empty.
    func stop() {
        queue.withLock { $0.stopping = true }
        ready.lock()
        ready.broadcast()
        ready.unlock()
    }

    /// Runs `body` on a worker thread and returns its result.
    /// - Parameter onCancel: called when the calling task is cancelled (e.g. to stop the parse's budget).
    /// - Throws: `CancellationError` when the calling task is cancelled first, or whatever `body` throws.
    func run<T: Sendable>(
        onCancel: (@Sendable () -> Void)? = nil, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let box = ResultBox<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                guard box.install(continuation) else { return }
                submit(Job {
                    let result = Result { try body() }
                    box.finish(result)
                })
            }
        } onCancel: {
            onCancel?()
            box.finish(.failure(CancellationError()))
        }
    }

    private func submit(_ job: Job) {
        queue.withLock { $0.jobs.append(job) }
        ready.lock()
        ready.signal()
        ready.unlock()
    }

    private func next() -> Job? {
        queue.withLock { q -> Job? in
            guard q.head < q.jobs.count else { return nil }
            let job = q.jobs[q.head]
            q.head += 1
            if q.head > 256 && q.head * 2 > q.jobs.count {
                q.jobs.removeFirst(q.head)
                q.head = 0
            }
            return job
        }
    }

    private func loop() {
        while true {
            if let job = next() {
                job.work()
                continue
            }
            ready.lock()
            while queue.withLock({ $0.head >= $0.jobs.count && !$0.stopping }) { ready.wait() }
            ready.unlock()
            if queue.withLock({ $0.head >= $0.jobs.count && $0.stopping }) { return }
        }
    }
}

/// A continuation resumed exactly once: by the result, or by cancellation, whichever comes first.
private final class ResultBox<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var done = false
    }

    private let state = Mutex(State())

    /// Installs the continuation; false (and resumed at once) when a result or cancellation came first.
    func install(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
        let early = state.withLock { s -> Result<T, any Error>? in
            if let early = s.early {
                s.done = true
                return early
            }
            s.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
            return false
        }
        return true
    }

    func finish(_ result: Result<T, any Error>) {
        let continuation = state.withLock { s -> CheckedContinuation<T, any Error>? in
            guard !s.done else { return nil }
            if let c = s.continuation {
                s.done = true
                s.continuation = nil
                return c
            }
            s.early = result
            return nil
        }
        continuation?.resume(with: result)
    }
}
