import Glibc

/// Crash-safe whole-file writes and reads for state files.
///
/// A write never leaves a half-written target behind: after a crash the path holds either the old or the new
/// content. Temporary files are named `.<name>.tmp-<pid>-<random>` in the target's directory.
public enum AtomicFile {
    /// Atomically replaces the file at `path` with `bytes`.
    ///
    /// Writes a temporary file in the same directory (unique name, `O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0640 narrowed
    /// by the umask), writes everything, fsyncs it, renames it over the target and fsyncs the directory, all
    /// relative to the directory's descriptor. Missing parent directories are created (0750; each new one's parent
    /// is fsynced). Below a state directory this process holds a ``StateLock`` on, no component may be a link
    /// (see `StatePath`). On any failure the temporary file is removed.
    /// - Throws: ``StoreError``; code `.fsync` when an fsync failed (treat as fatal), `.noSpace` when the disk is
    ///   full, `.wrongFileType` when a link or special file is in the way, `.io` otherwise.
    /// - Parameter durability: `.deferred` writes and renames without any fsync: the caller makes a group of
    ///   files durable at once with ``syncFilesystem(containing:)``; until then a crash may lose the file.
    public static func write(_ bytes: [UInt8], to path: String, durability: Durability = .now) throws(StoreError) {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw StoreError(code: .invalidArgument, path: path, message: "cannot write a file at \"\(path)\"")
        }
        try write(bytes, to: StatePath.file(path), syncDirectory: durability == .now, syncData: durability == .now)
    }

    /// When a write becomes durable.
    public enum Durability: Sendable {
        /// Before the call returns (fsync of the file and of its directory).
        case now
        /// At the caller's next ``syncFilesystem(containing:)``.
        case deferred
    }

    /// Makes everything written to the filesystem that holds `path` durable (`syncfs`): one call for a group of
    /// files written with ``Durability/deferred``, data and names alike.
    /// - Throws: ``StoreError`` with code `.fsync` (treat as fatal).
    public static func syncFilesystem(containing path: String) throws(StoreError) {
        let fd = try Syscall.openDirectory(StatePath.directory(path), create: false)
        defer { Syscall.closeIgnoringErrors(fd) }
        try Syscall.syncfs(fd, path: path)
    }



    /// ``write(_:to:)`` for a path resolved in a known state directory.
    static func write(
        _ bytes: [UInt8], to target: StatePath, syncDirectory: Bool = true, syncData: Bool = true
    ) throws(StoreError) {
        let path = target.full
        let (directory, name) = target.parent
        let dirFD = try Syscall.openDirectory(directory, create: true)
        defer { Syscall.closeIgnoringErrors(dirFD) }
        try checkReplaceable(dirFD, name, path: path)

        var fd: Int32 = -1
        var tempName = ""
        var attempts = 0
        while fd < 0 {
            // The random suffix makes a clash (EEXIST) very unlikely; retry a few times if one happens anyway.
            tempName = ".\(name).tmp-\(getpid())-\(randomSuffix())"
            attempts += 1
            let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW
            switch Syscall.retrying({ openat(dirFD, tempName, flags, Syscall.fileMode) }) {
            case .success(let opened): fd = opened
            case .failure(let err) where err.rawValue == EEXIST && attempts < 8: continue
            case .failure(let err):
                throw err.storeError(
                    operation: "create", path: path,
                    detail: "creating temporary file \(joined(directory.full, tempName)) failed")
            }
        }

        do {
            try Syscall.writeAll(fd, bytes, path: path)
            if syncData { try Syscall.fsync(fd, path: path) }
        } catch {
            Syscall.closeIgnoringErrors(fd)
            _ = unlinkat(dirFD, tempName, 0)
            throw error
        }
        do {
            try Syscall.close(fd, path: path)
            try Syscall.renameAt(dirFD, tempName, dirFD, name, path: path)
        } catch {
            _ = unlinkat(dirFD, tempName, 0)
            throw error
        }
        if syncDirectory { try Syscall.fsync(dirFD, path: directory.full) }
    }

    /// Moves an already durable file to `destination` (creating its directory) and fsyncs both directories, so the
    /// move survives a crash. Neither path may lead through a link inside a locked state directory.
    /// - Throws: ``StoreError``; code `.fsync` when a directory fsync failed (treat as fatal).
    /// - Parameter syncDirectories: false skips both directory fsyncs (for a caller whose recovery redoes a lost move).
    public static func move(_ source: String, to destination: String, syncDirectories: Bool = true) throws(StoreError) {
        let (origin, sourceName) = StatePath.file(source).parent
        let (target, targetName) = StatePath.file(destination).parent
        let targetFD = try Syscall.openDirectory(target, create: true)
        defer { Syscall.closeIgnoringErrors(targetFD) }
        let originFD = try Syscall.openDirectory(origin, create: false)
        defer { Syscall.closeIgnoringErrors(originFD) }
        var st = Glibc.stat()
        if fstatat(originFD, sourceName, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            throw Syscall.wrongType(source, Syscall.kind(st.st_mode), expected: "a regular file")
        }
        try checkReplaceable(targetFD, targetName, path: destination)
        try Syscall.renameAt(originFD, sourceName, targetFD, targetName, path: destination, from: source)
        guard syncDirectories else { return }
        try Syscall.fsync(targetFD, path: target.full)
        if origin.full != target.full { try Syscall.fsync(originFD, path: origin.full) }
    }

    /// Deletes the files named `names` in `directory` (missing ones are ignored) and fsyncs the directory.
    public static func removeAll(_ names: [String], in directory: String) throws(StoreError) {
        guard !names.isEmpty else { return }
        let dirFD = try Syscall.openDirectory(StatePath.directory(directory), create: false)
        defer { Syscall.closeIgnoringErrors(dirFD) }
        for name in names where !name.contains("/") { _ = unlinkat(dirFD, name, 0) }
        try Syscall.fsync(dirFD, path: directory)
    }

    /// Reads the whole file at `path`; returns nil when it does not exist.
    /// - Throws: ``StoreError`` with code `.wrongFileType` when something other than a regular file is there
    ///   (never blocking on a FIFO), `.io` when the file exists but cannot be read.
    public static func read(_ path: String) throws(StoreError) -> [UInt8]? {
        try read(StatePath.file(path))
    }

    /// ``read(_:)`` for a path resolved in a known state directory.
    static func read(_ path: StatePath) throws(StoreError) -> [UInt8]? {
        guard let fd = try Syscall.openFile(path, flags: O_RDONLY, missingOK: true) else { return nil }
        defer { Syscall.closeIgnoringErrors(fd) }
        let st = try Syscall.fstat(fd, path: path.full)
        return try Syscall.readToEnd(fd, sizeHint: Int(st.st_size), path: path.full)
    }

    /// Creates `relative` (e.g. `articles/.staging`) inside the state directory `root`, and `root` itself when
    /// missing (0750 narrowed by the umask; each new directory's parent fsynced). `root` may be a link; no component
    /// of `relative` may be.
    /// - Throws: ``StoreError`` `.wrongFileType` when a component is a link or not a directory.
    public static func createDirectories(_ relative: String, in root: String) throws(StoreError) {
        let path = StatePath(root: root, relative: relative)
        Syscall.closeIgnoringErrors(try Syscall.openDirectory(path, create: true))
    }

    /// Creates `directory` and any missing ancestors (0750), fsyncing the parent of each directory created.
    static func createDirectories(_ directory: String) throws(StoreError) {
        Syscall.closeIgnoringErrors(try Syscall.openDirectory(StatePath.directory(directory), create: true))
    }

    /// Throws `.wrongFileType` when `name` in `dirFD` exists and is not a regular file (a rename would replace a
    /// planted link silently).
    private static func checkReplaceable(_ dirFD: Int32, _ name: String, path: String) throws(StoreError) {
        var st = Glibc.stat()
        if fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            throw Syscall.wrongType(path, Syscall.kind(st.st_mode), expected: "a regular file")
        }
    }

    /// Splits a path into its directory (`.` when there is none) and last component.
    static func split(_ path: String) -> (directory: String, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let name = String(trimmed[trimmed.index(after: slash)...])
        var directory = trimmed[..<slash]
        while directory.count > 1, directory.hasSuffix("/") { directory = directory.dropLast() }
        return (directory.isEmpty ? "/" : String(directory), name)
    }

    static func joined(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func randomSuffix() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
