import Glibc

/// A pthread mutex with two condition variables, for the change log's writer thread and the callers that block
/// on it. Timed waits use `CLOCK_MONOTONIC`.
final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let conditions: UnsafeMutablePointer<pthread_cond_t>

    /// The conditions a thread can wait on.
    enum Condition: Int {
        /// Signalled when there is work for the writer thread (or it must stop).
        case work = 0
        /// Broadcast when durable progress was made, the log failed, or the writer stopped.
        case progress = 1
    }

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        conditions = .allocate(capacity: 2)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(conditions, &attributes)
        pthread_cond_init(conditions + 1, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(conditions)
        pthread_cond_destroy(conditions + 1)
        conditions.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }

    func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` with the mutex held.
    func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits on `condition`; the mutex must be held.
    func wait(_ condition: Condition) {
        pthread_cond_wait(conditions + condition.rawValue, mutex)
    }

    /// Waits on `condition` until the monotonic clock reaches `deadline` (nanoseconds); the mutex must be held.
    func wait(_ condition: Condition, untilMonotonic deadline: UInt64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        _ = pthread_cond_timedwait(conditions + condition.rawValue, mutex, &ts)
    }

    func signal(_ condition: Condition) { pthread_cond_signal(conditions + condition.rawValue) }

    func broadcast(_ condition: Condition) { pthread_cond_broadcast(conditions + condition.rawValue) }

    /// The monotonic clock in nanoseconds.
    static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

extension Duration {
    /// The duration in whole nanoseconds (negative durations count as zero).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds < 0) { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
