import Glibc
import Synchronization

/// A path inside a state directory, opened one component at a time so that nothing planted in the directory can
/// redirect Herald elsewhere.
///
/// The ``root`` is trusted as configured (the state directory itself may be a symbolic link an administrator
/// made); every one of the ``components`` below it is opened with `openat(…, O_NOFOLLOW)` relative to its parent's
/// descriptor, directories with `O_DIRECTORY`, so a symbolic link, FIFO, socket or device where a state file or
/// directory belongs is refused with a ``StoreError`` of code `.wrongFileType` that names the path.
///
/// The path-based ``AtomicFile`` functions find the root among the state directories this process holds a
/// ``StateLock`` on; outside them only the last component is untrusted (and a read follows a link there, so
/// `herald extract` can still read a user's linked file).
struct StatePath: Sendable, Equatable {
    /// The trusted directory the components are resolved in.
    var root: String
    /// The untrusted components below ``root``; the last one is the file or directory itself.
    var components: [String]
    /// True when the last component may be a symbolic link that is followed (reads outside a state directory).
    var followsFinalLink = false

    /// The full path, for messages.
    var full: String {
        components.reduce(root) { AtomicFile.joined($0, $1) }
    }

    /// `root` + `relative` (components separated by `/`; `.`, empty components and `..` are not allowed).
    init(root: String, relative: String) {
        self.root = root
        self.components = relative.split(separator: "/").map(String.init)
    }

    init(root: String, components: [String], followsFinalLink: Bool = false) {
        self.root = root
        self.components = components
        self.followsFinalLink = followsFinalLink
    }

    /// The path `path` of a file, its root taken from the locked state directories (see ``StatePath``).
    static func file(_ path: String) -> StatePath {
        if let (root, rest) = lockedRoot(containing: path), !rest.isEmpty {
            return StatePath(root: root, components: rest)
        }
        let (directory, name) = AtomicFile.split(path)
        return StatePath(root: directory, components: [name], followsFinalLink: true)
    }

    /// The path `path` of a directory: below a locked state directory each component is checked; elsewhere the
    /// directory is trusted as it is.
    static func directory(_ path: String) -> StatePath {
        if let (root, rest) = lockedRoot(containing: path) {
            return StatePath(root: root, components: rest)
        }
        return StatePath(root: path, components: [])
    }

    /// The path of the directory holding this one, and this one's name.
    var parent: (directory: StatePath, name: String) {
        var copy = self
        copy.followsFinalLink = false
        let name = copy.components.removeLast()
        return (copy, name)
    }

    // MARK: - Locked state directories

    private static let locked = Mutex<[String: Int]>([:])

    /// Records that this process holds the lock on `root`; paths below it are resolved strictly.
    static func registerLockedRoot(_ root: String) {
        let key = normalized(root)
        locked.withLock { $0[key, default: 0] += 1 }
    }

    /// Undoes one ``registerLockedRoot(_:)``.
    static func unregisterLockedRoot(_ root: String) {
        let key = normalized(root)
        locked.withLock { roots in
            if let count = roots[key] { roots[key] = count > 1 ? count - 1 : nil }
        }
    }

    private static func lockedRoot(containing path: String) -> (String, [String])? {
        let candidate = normalized(path)
        let roots = locked.withLock { Array($0.keys) }
        var best: String?
        for root in roots where candidate == root || candidate.hasPrefix(root == "/" ? "/" : root + "/") {
            if best == nil || root.count > best!.count { best = root }
        }
        guard let root = best else { return nil }
        let rest = candidate.dropFirst(root.count).split(separator: "/").map(String.init)
        if rest.contains("..") || rest.contains(".") { return nil }
        return (root, rest)
    }

    private static func normalized(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}

/// Opening ``StatePath``s.
extension Syscall {
    /// Opens the directory `path` (read-only, `O_DIRECTORY`), creating missing components (mode ``dirMode``,
    /// narrowed by the umask, each new one's parent fsynced) when `create` is true.
    /// - Throws: ``StoreError``: `.wrongFileType` when a component is a link or not a directory, `.notFound`
    ///   when one is missing and `create` is false.
    static func openDirectory(_ path: StatePath, create: Bool) throws(StoreError) -> Int32 {
        if create { try createTrustedDirectories(path.root) }
        var fd = try open(path.root, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        var walked = path.root
        for component in path.components {
            guard component != "..", component != ".", !component.isEmpty else {
                closeIgnoringErrors(fd)
                throw StoreError(
                    code: .invalidArgument, path: path.full, message: "\(path.full) is not a plain state path")
            }
            walked = AtomicFile.joined(walked, component)
            let next: Int32
            do {
                next = try openDirectoryEntry(fd, component, path: walked, create: create)
            } catch {
                closeIgnoringErrors(fd)
                throw error
            }
            closeIgnoringErrors(fd)
            fd = next
        }
        return fd
    }

    /// Opens the file `path` with `flags` (plus `O_NOFOLLOW`, `O_NONBLOCK` and `O_CLOEXEC`) and checks that it is
    /// a regular file, so a link, FIFO, socket or device in its place is an error and never a hang.
    /// - Returns: nil when the file does not exist and `flags` has no `O_CREAT`, if `missingOK`.
    static func openFile(
        _ path: StatePath, flags: Int32, mode: mode_t = fileMode, missingOK: Bool = false,
        createDirectories: Bool = false
    ) throws(StoreError) -> Int32? {
        let (directory, name) = path.parent
        let dirFD: Int32
        do {
            dirFD = try openDirectory(directory, create: createDirectories)
        } catch let error where error.code == .notFound && missingOK {
            return nil
        }
        defer { closeIgnoringErrors(dirFD) }
        return try openFile(in: dirFD, name: name, path: path.full, flags: flags, mode: mode, missingOK: missingOK,
                            followLink: path.followsFinalLink)
    }

    /// ``openFile(_:flags:mode:missingOK:createDirectories:)`` relative to an open directory.
    static func openFile(
        in dirFD: Int32, name: String, path: String, flags: Int32, mode: mode_t = fileMode, missingOK: Bool = false,
        followLink: Bool = false
    ) throws(StoreError) -> Int32? {
        let all = flags | O_NONBLOCK | O_CLOEXEC | (followLink ? 0 : O_NOFOLLOW)
        let fd: Int32
        switch retrying({ openat(dirFD, name, all, mode) }) {
        case .success(let opened): fd = opened
        case .failure(let err) where err.rawValue == ENOENT && missingOK: return nil
        case .failure(let err) where err.rawValue == ELOOP:
            throw wrongType(path, "is a symbolic link", expected: "a regular file")
        case .failure(let err) where err.rawValue == ENXIO || err.rawValue == EISDIR:
            throw wrongType(path, describe(dirFD, name), expected: "a regular file")
        case .failure(let err): throw err.storeError(operation: "open", path: path)
        }
        let st: Glibc.stat
        do {
            st = try fstat(fd, path: path)
        } catch {
            closeIgnoringErrors(fd)
            throw error
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            closeIgnoringErrors(fd)
            throw wrongType(path, kind(st.st_mode), expected: "a regular file")
        }
        if flags & O_NONBLOCK == 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        return fd
    }

    /// Opens the directory `name` inside `dirFD` without following a link, creating it when missing and `create`.
    static func openDirectoryEntry(_ dirFD: Int32, _ name: String, path: String, create: Bool) throws(StoreError)
        -> Int32
    {
        var created = false
        while true {
            switch retrying({ openat(dirFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }) {
            case .success(let fd):
                if created { try fsync(dirFD, path: AtomicFile.split(path).directory) }
                return fd
            case .failure(let err) where err.rawValue == ENOENT && create && !created:
                switch retrying({ mkdirat(dirFD, name, dirMode) }) {
                case .success: created = true
                case .failure(let e) where e.rawValue == EEXIST: created = false
                case .failure(let e): throw e.storeError(operation: "mkdir", path: path)
                }
            case .failure(let err) where err.rawValue == ELOOP || err.rawValue == ENOTDIR:
                throw wrongType(path, describe(dirFD, name), expected: "a directory")
            case .failure(let err): throw err.storeError(operation: "open", path: path)
            }
        }
    }

    /// Creates a trusted directory (a state directory as configured) and its missing ancestors with `mkdir`,
    /// following links, fsyncing the parent of each one created.
    static func createTrustedDirectories(_ directory: String) throws(StoreError) {
        if let st = try statPath(directory) {
            if (st.st_mode & S_IFMT) == S_IFDIR { return }
            throw wrongType(directory, kind(st.st_mode), expected: "a directory")
        }
        let (parent, _) = AtomicFile.split(directory)
        if parent != directory { try createTrustedDirectories(parent) }
        if try mkdir(directory, mode: dirMode) {
            try fsyncDirectory(parent)
        } else if let st = try statPath(directory), (st.st_mode & S_IFMT) != S_IFDIR {
            throw wrongType(directory, kind(st.st_mode), expected: "a directory")
        }
    }

    /// The error for something of the wrong type where a state file or directory belongs.
    static func wrongType(_ path: String, _ what: String, expected: String) -> StoreError {
        StoreError(
            code: .wrongFileType, path: path,
            message: "refusing \(path): it \(what), but \(expected) belongs there; Herald never follows links or "
                + "opens special files in its state directory (remove it, or restore what was there)")
    }

    /// What the entry `name` in `dirFD` is, for messages (`is a symbolic link`, `is a FIFO` …).
    static func describe(_ dirFD: Int32, _ name: String) -> String {
        var st = Glibc.stat()
        guard fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return "cannot be opened" }
        return kind(st.st_mode)
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "is a symbolic link"
        case S_IFIFO: return "is a FIFO"
        case S_IFSOCK: return "is a socket"
        case S_IFCHR, S_IFBLK: return "is a device"
        case S_IFDIR: return "is a directory"
        case S_IFREG: return "is a regular file"
        default: return "is not a regular file"
        }
    }
}
