import Glibc

/// Crash-safe whole-file writes and reads for state files.
///
/// A write never leaves a half-written target behind: after a crash the path holds either the old or the new
/// content. Temporary files are named `.<name>.tmp-<pid>-<random>` in the target's directory.
public enum AtomicFile {
    /// Atomically replaces the file at `path` with `bytes`.
    ///
    /// Writes a temporary file in the same directory (unique name, `O_CREAT|O_EXCL|O_CLOEXEC`, mode 0644),
    /// writes everything, fsyncs it, renames it over the target and fsyncs the directory. Missing parent
    /// directories are created (each new one's parent is fsynced). On any failure the temporary file is removed.
    /// - Throws: ``StoreError``; code `.fsync` when an fsync failed (treat as fatal), `.noSpace` when the disk is
    ///   full, `.io` otherwise.
    public static func write(_ bytes: [UInt8], to path: String) throws(StoreError) {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw StoreError(code: .invalidArgument, path: path, message: "cannot write a file at \"\(path)\"")
        }
        let (directory, name) = split(path)
        try createDirectories(directory)

        var fd: Int32 = -1
        var tempPath = ""
        var attempts = 0
        while fd < 0 {
            // The random suffix makes a clash (EEXIST) very unlikely; retry a few times if one happens anyway.
            tempPath = joined(directory, ".\(name).tmp-\(getpid())-\(randomSuffix())")
            attempts += 1
            switch Syscall.retrying({ open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o644)) }) {
            case .success(let opened): fd = opened
            case .failure(let err) where err.rawValue == EEXIST && attempts < 8: continue
            case .failure(let err):
                throw err.storeError(
                    operation: "create", path: path, detail: "creating temporary file \(tempPath) failed")
            }
        }

        do {
            try Syscall.writeAll(fd, bytes, path: path)
            try Syscall.fsync(fd, path: path)
        } catch {
            Syscall.closeIgnoringErrors(fd)
            Syscall.unlinkIgnoringErrors(tempPath)
            throw error
        }
        do {
            try Syscall.close(fd, path: path)
            try Syscall.rename(tempPath, path)
        } catch {
            Syscall.unlinkIgnoringErrors(tempPath)
            throw error
        }
        try Syscall.fsyncDirectory(directory)
    }

    /// Moves an already durable file to `destination` (creating its directory) and fsyncs both directories, so the
    /// move survives a crash.
    /// - Throws: ``StoreError``; code `.fsync` when a directory fsync failed (treat as fatal).
    public static func move(_ source: String, to destination: String) throws(StoreError) {
        let (target, _) = split(destination)
        try createDirectories(target)
        try Syscall.rename(source, destination)
        try Syscall.fsyncDirectory(target)
        let (origin, _) = split(source)
        if origin != target { try Syscall.fsyncDirectory(origin) }
    }

    /// Deletes the files named `names` in `directory` (missing ones are ignored) and fsyncs the directory.
    public static func removeAll(_ names: [String], in directory: String) throws(StoreError) {
        guard !names.isEmpty else { return }
        for name in names { Syscall.unlinkIgnoringErrors(joined(directory, name)) }
        try Syscall.fsyncDirectory(directory)
    }

    /// Reads the whole file at `path`; returns nil when it does not exist.
    /// - Throws: ``StoreError`` with code `.io` when the file exists but cannot be read.
    public static func read(_ path: String) throws(StoreError) -> [UInt8]? {
        guard let fd = try Syscall.openIfExists(path, flags: O_RDONLY | O_CLOEXEC) else { return nil }
        defer { Syscall.closeIgnoringErrors(fd) }
        let st = try Syscall.fstat(fd, path: path)
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw StoreError(code: .io, path: path, message: "cannot read \(path): it is a directory")
        }
        return try Syscall.readToEnd(fd, sizeHint: Int(st.st_size), path: path)
    }

    /// Creates `directory` and any missing ancestors, fsyncing the parent of each directory created.
    static func createDirectories(_ directory: String) throws(StoreError) {
        if let st = try Syscall.statPath(directory) {
            if (st.st_mode & S_IFMT) == S_IFDIR { return }
            throw StoreError(
                code: .invalidArgument, path: directory, message: "\(directory) exists but is not a directory")
        }
        let (parent, _) = split(directory)
        if parent != directory { try createDirectories(parent) }
        if try Syscall.mkdir(directory) {
            try Syscall.fsyncDirectory(parent)
        } else if let st = try Syscall.statPath(directory), (st.st_mode & S_IFMT) != S_IFDIR {
            throw StoreError(
                code: .invalidArgument, path: directory, message: "\(directory) exists but is not a directory")
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
