import Glibc
import Synchronization

/// An exclusive lock on a state directory, so that only one Herald process uses it at a time.
///
/// The lock is `flock(LOCK_EX|LOCK_NB)` on `<stateDir>/herald.lock`, which holds the owner's pid and purpose
/// (`"<pid>\n<purpose>\n"`). The kernel drops it when the process exits, so a crash never leaves a stale lock.
/// `flock` locks belong to an open file description: a second ``acquire(stateDirectory:purpose:)`` in the same
/// process fails too.
public final class StateLock: Sendable {
    /// The name of the lock file inside the state directory.
    public static let fileName = "herald.lock"

    /// The state directory this lock protects.
    public let stateDirectory: String
    /// What the holder is doing (e.g. `"run"`), as written into the lock file.
    public let purpose: String
    private let descriptor: Mutex<Int32?>

    private init(stateDirectory: String, purpose: String, fd: Int32) {
        self.stateDirectory = stateDirectory
        self.purpose = purpose
        self.descriptor = Mutex(fd)
    }

    deinit {
        release()
    }

    /// Takes the lock on `stateDirectory` (created 0750 if missing) and writes our pid into the lock file.
    ///
    /// While the lock is held, the path-based ``AtomicFile`` functions refuse links and special files anywhere
    /// below `stateDirectory` (the directory itself may be a link).
    /// - Parameter purpose: a short word for what this process does with the directory, e.g. `"run"`.
    /// - Throws: ``StoreError`` with code `.locked` and the message
    ///   `state directory DIR is in use by another herald process (pid N)` when another holder exists;
    ///   `.wrongFileType` when `herald.lock` is a link, FIFO or anything but a regular file.
    public static func acquire(stateDirectory: String, purpose: String) throws -> StateLock {
        let lockPath = StatePath(root: stateDirectory, components: [fileName])
        let path = lockPath.full
        // Never follows a link or opens a FIFO planted as the lock file.
        let fd = try Syscall.openFile(lockPath, flags: O_RDWR | O_CREAT, createDirectories: true)!
        do {
            guard try Syscall.lockFile(fd, LOCK_EX | LOCK_NB, path: path) else {
                let pid = readPID(fd: fd, path: path)
                Syscall.closeIgnoringErrors(fd)
                let who = pid.map { "pid \($0)" } ?? "pid unknown"
                throw StoreError(
                    code: .locked, path: stateDirectory,
                    message: "state directory \(stateDirectory) is in use by another herald process (\(who))")
            }
            let content = Array("\(getpid())\n\(purpose)\n".utf8)
            try Syscall.ftruncate(fd, length: 0, path: path)
            try pwriteAll(fd, content, path: path)
        } catch {
            Syscall.closeIgnoringErrors(fd)
            throw error
        }
        StatePath.registerLockedRoot(stateDirectory)
        return StateLock(stateDirectory: stateDirectory, purpose: purpose, fd: fd)
    }

    /// The pid written by the process holding the lock on `stateDirectory`, or nil when nobody holds it.
    ///
    /// Probes with a non-blocking shared `flock` on a separate descriptor that is closed again at once.
    /// Returns 0 if the lock is held but the holder has not written its pid yet. Called from the holding
    /// process itself, it returns that process's own pid.
    public static func holderPID(stateDirectory: String) -> Int32? {
        let lockPath = StatePath(root: stateDirectory, components: [fileName])
        let path = lockPath.full
        guard let fd = (try? Syscall.openFile(lockPath, flags: O_RDONLY, missingOK: true)) ?? nil else {
            return nil
        }
        defer { Syscall.closeIgnoringErrors(fd) }
        guard let acquired = try? Syscall.lockFile(fd, LOCK_SH | LOCK_NB, path: path) else { return nil }
        if acquired {
            _ = try? Syscall.lockFile(fd, LOCK_UN, path: path)
            return nil
        }
        return readPID(fd: fd, path: path) ?? 0
    }

    /// Releases the lock. Calling it again does nothing. The lock file is left in place.
    public func release() {
        let released = descriptor.withLock { fd -> Bool in
            guard let open = fd else { return false }
            Syscall.closeIgnoringErrors(open)
            fd = nil
            return true
        }
        if released { StatePath.unregisterLockedRoot(stateDirectory) }
    }

    private static func readPID(fd: Int32, path: String) -> Int32? {
        guard let bytes = try? Syscall.pread(fd, count: 64, offset: 0, path: path) else { return nil }
        let firstLine = bytes.prefix { $0 != 0x0A }
        return Int32(String(decoding: firstLine, as: UTF8.self))
    }

    private static func pwriteAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                Syscall.retrying { pwrite(fd, raw.baseAddress! + done, bytes.count - done, off_t(done)) }
            }
            switch result {
            case .success(let n): done += n
            case .failure(let err): throw err.storeError(operation: "write", path: path)
            }
        }
    }
}
