import Glibc

/// Thin wrappers around the POSIX calls HeraldStore uses, in the manner of swift-nio's `System.swift`:
/// retry on `EINTR`, read `errno` immediately after the failing call, and throw a ``StoreError`` that names the
/// operation, the path and the errno.
enum Syscall {
    /// The mode new state files are created with (narrowed by the umask): owner read-write, group read.
    static let fileMode: mode_t = 0o640
    /// The mode new state directories are created with (narrowed by the umask).
    static let dirMode: mode_t = 0o750
    /// The mode of a sealed change-log segment.
    static let sealedMode: mode_t = 0o440

    /// Runs `body` until it returns something other than -1 with `errno == EINTR`.
    /// Returns the result, or the errno of the failure.
    @inline(__always)
    static func retrying<R: BinaryInteger>(_ body: () -> R) -> Result<R, Errno> {
        while true {
            let result = body()
            if result == -1 {
                let err = errno
                if err == EINTR { continue }
                return .failure(Errno(rawValue: err))
            }
            return .success(result)
        }
    }

    static func open(_ path: String, flags: Int32, mode: mode_t = fileMode, operation: String = "open")
        throws(StoreError) -> Int32
    {
        switch retrying({ Glibc.open(path, flags, mode) }) {
        case .success(let fd): return fd
        case .failure(let err): throw err.storeError(operation: operation, path: path)
        }
    }

    /// Like ``open(_:flags:mode:operation:)`` but returns nil when the file does not exist.
    static func openIfExists(_ path: String, flags: Int32, operation: String = "open") throws(StoreError) -> Int32? {
        switch retrying({ Glibc.open(path, flags, mode_t(0)) }) {
        case .success(let fd): return fd
        case .failure(let err) where err.rawValue == ENOENT: return nil
        case .failure(let err): throw err.storeError(operation: operation, path: path)
        }
    }

    /// Closes `fd`. `EINTR` from close is not retried (on Linux the descriptor is already released).
    static func close(_ fd: Int32, path: String) throws(StoreError) {
        if Glibc.close(fd) == -1 {
            let err = errno
            if err == EINTR { return }
            throw Errno(rawValue: err).storeError(operation: "close", path: path)
        }
    }

    /// Closes `fd`, ignoring errors (used on cleanup paths where an earlier error is already being reported).
    static func closeIgnoringErrors(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Writes all of `bytes` to `fd`, looping on short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StoreError) {
        var written = 0
        let total = bytes.count
        while written < total {
            let result = bytes.withUnsafeBytes { raw in
                retrying { Glibc.write(fd, raw.baseAddress! + written, total - written) }
            }
            switch result {
            case .success(let n): written += n
            case .failure(let err): throw err.storeError(operation: "write", path: path)
            }
        }
    }

    /// Reads up to `count` bytes at `offset` into a new array (shorter at end of file).
    static func pread(_ fd: Int32, count: Int, offset: Int64, path: String) throws(StoreError) -> [UInt8] {
        if count == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = buffer.withUnsafeMutableBytes { raw in
                retrying { Glibc.pread(fd, raw.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            }
            switch result {
            case .success(let n):
                if n == 0 {
                    buffer.removeLast(count - filled)
                    return buffer
                }
                filled += n
            case .failure(let err): throw err.storeError(operation: "read", path: path)
            }
        }
        return buffer
    }

    /// Reads from the current position until end of file.
    /// Reads to the end of `fd` straight into the array's room (no zero-filled buffer, no second copy); the room
    /// doubles when the file turns out longer than `sizeHint`.
    static func readToEnd(_ fd: Int32, sizeHint: Int, path: String) throws(StoreError) -> [UInt8] {
        var result = [UInt8]()
        var capacity = max(sizeHint + 1, 4096)
        while true {
            var failure: Errno?
            let previous = result
            result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                let base = buffer.baseAddress!
                previous.withUnsafeBufferPointer { old in
                    if let start = old.baseAddress { base.update(from: start, count: old.count) }
                }
                count = previous.count
                while count < capacity {
                    switch retrying({ Glibc.read(fd, base + count, capacity - count) }) {
                    case .success(let n):
                        if n == 0 { return }
                        count += n
                    case .failure(let err):
                        failure = err
                        return
                    }
                }
            }
            if let failure { throw failure.storeError(operation: "read", path: path) }
            if result.count < capacity { return result }
            capacity *= 2
        }
    }

    static func fsync(_ fd: Int32, path: String) throws(StoreError) {
        if case .failure(let err) = retrying({ Glibc.fsync(fd) }) {
            throw err.storeError(operation: "fsync", path: path)
        }
    }

    /// `syncfs(2)`: makes everything written to the filesystem holding `fd` durable, data and names alike.
    static func syncfs(_ fd: Int32, path: String) throws(StoreError) {
        if case .failure(let err) = retrying({ glibcSyncfs(fd) }) {
            throw err.storeError(operation: "fsync", path: path)
        }
    }

    static func fdatasync(_ fd: Int32, path: String) throws(StoreError) {
        if case .failure(let err) = retrying({ Glibc.fdatasync(fd) }) {
            throw err.storeError(operation: "fdatasync", path: path)
        }
    }

    /// Opens the directory `path` and fsyncs it, so that entries created or renamed in it are durable.
    static func fsyncDirectory(_ path: String) throws(StoreError) {
        let fd = try open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { closeIgnoringErrors(fd) }
        try fsync(fd, path: path)
    }

    static func rename(_ from: String, _ to: String) throws(StoreError) {
        if case .failure(let err) = retrying({ Glibc.rename(from, to) }) {
            throw err.storeError(operation: "rename", path: to, detail: "rename \(from) -> \(to)")
        }
    }

    static func renameAt(
        _ fromFD: Int32, _ fromName: String, _ toFD: Int32, _ toName: String, path: String, from: String? = nil
    ) throws(StoreError) {
        if case .failure(let err) = retrying({ renameat(fromFD, fromName, toFD, toName) }) {
            throw err.storeError(operation: "rename", path: path, detail: "rename \(from ?? fromName) -> \(path)")
        }
    }

    static func unlinkIgnoringErrors(_ path: String) {
        _ = Glibc.unlink(path)
    }

    /// Creates a directory; returns false if something already exists at `path`.
    static func mkdir(_ path: String, mode: mode_t = dirMode) throws(StoreError) -> Bool {
        switch retrying({ Glibc.mkdir(path, mode) }) {
        case .success: return true
        case .failure(let err) where err.rawValue == EEXIST: return false
        case .failure(let err): throw err.storeError(operation: "mkdir", path: path)
        }
    }

    /// `stat`; nil when nothing exists at `path`.
    static func statPath(_ path: String) throws(StoreError) -> Glibc.stat? {
        var st = Glibc.stat()
        switch retrying({ stat(path, &st) }) {
        case .success: return st
        case .failure(let err) where err.rawValue == ENOENT || err.rawValue == ENOTDIR: return nil
        case .failure(let err): throw err.storeError(operation: "stat", path: path)
        }
    }

    /// `lstat`; nil when nothing exists at `path`.
    static func lstatPath(_ path: String) throws(StoreError) -> Glibc.stat? {
        var st = Glibc.stat()
        switch retrying({ lstat(path, &st) }) {
        case .success: return st
        case .failure(let err) where err.rawValue == ENOENT || err.rawValue == ENOTDIR: return nil
        case .failure(let err): throw err.storeError(operation: "stat", path: path)
        }
    }

    static func fstat(_ fd: Int32, path: String) throws(StoreError) -> Glibc.stat {
        var st = Glibc.stat()
        if case .failure(let err) = retrying({ Glibc.fstat(fd, &st) }) {
            throw err.storeError(operation: "stat", path: path)
        }
        return st
    }

    static func ftruncate(_ fd: Int32, length: Int64, path: String) throws(StoreError) {
        if case .failure(let err) = retrying({ Glibc.ftruncate(fd, off_t(length)) }) {
            throw err.storeError(operation: "truncate", path: path)
        }
    }

    /// `flock`; returns false when the lock is held elsewhere and `operation` contains `LOCK_NB`.
    static func lockFile(_ fd: Int32, _ operation: Int32, path: String) throws(StoreError) -> Bool {
        switch retrying({ flock(fd, operation) }) {
        case .success: return true
        case .failure(let err) where err.rawValue == EWOULDBLOCK || err.rawValue == EAGAIN: return false
        case .failure(let err): throw err.storeError(operation: "flock", path: path)
        }
    }
}

/// An `errno` value with its symbolic name and description.
struct Errno: Error, Equatable, Sendable {
    var rawValue: Int32

    /// The symbolic name, e.g. `EIO`, or `errno N` for unusual values.
    var name: String {
        switch rawValue {
        case EPERM: return "EPERM"
        case ENOENT: return "ENOENT"
        case EINTR: return "EINTR"
        case EIO: return "EIO"
        case EBADF: return "EBADF"
        case EAGAIN: return "EAGAIN"
        case ENOMEM: return "ENOMEM"
        case EACCES: return "EACCES"
        case EBUSY: return "EBUSY"
        case EEXIST: return "EEXIST"
        case EXDEV: return "EXDEV"
        case ENOTDIR: return "ENOTDIR"
        case EISDIR: return "EISDIR"
        case EINVAL: return "EINVAL"
        case ENFILE: return "ENFILE"
        case EMFILE: return "EMFILE"
        case EFBIG: return "EFBIG"
        case ENOSPC: return "ENOSPC"
        case EROFS: return "EROFS"
        case ENAMETOOLONG: return "ENAMETOOLONG"
        case ELOOP: return "ELOOP"
        case EDQUOT: return "EDQUOT"
        case ENOLCK: return "ENOLCK"
        case ESTALE: return "ESTALE"
        default: return "errno \(rawValue)"
        }
    }

    /// The C library's description, e.g. `Input/output error`.
    var text: String {
        guard let cString = strerror(rawValue) else { return "unknown error" }
        return String(cString: cString)
    }

    /// Converts this errno into a ``StoreError`` for `operation` on `path`.
    ///
    /// `ENOSPC`/`EDQUOT` on a write become `.noSpace`; any failure of `fsync`/`fdatasync` becomes `.fsync`
    /// (the data may be lost, so it must never be retried).
    func storeError(operation: String, path: String, detail: String? = nil) -> StoreError {
        let what = detail ?? "\(operation) failed on \(path)"
        let reason = "\(text) (\(name))"
        if operation == "fsync" || operation == "fdatasync" {
            return StoreError(code: .fsync, path: path, message: "\(operation) failed on \(path): \(reason)")
        }
        if rawValue == ENOSPC || rawValue == EDQUOT {
            return StoreError(code: .noSpace, path: path, message: "disk full while writing \(path): \(reason)")
        }
        if rawValue == ENOENT {
            return StoreError(code: .notFound, path: path, message: "\(what): \(reason)")
        }
        return StoreError(code: .io, path: path, message: "\(what): \(reason)")
    }
}

/// glibc's `syncfs`, which its Swift module leaves out (it is declared only under `_GNU_SOURCE`).
@_silgen_name("syncfs")
private func glibcSyncfs(_ fd: Int32) -> Int32
