import Glibc

/// One file of the change log: `<stateDir>/changes/<first seq, 20 digits>.ndjson`.
///
/// The name is the seq of the segment's first event. Every segment but the newest is sealed: read-only (0444) and
/// never modified again.
struct LogSegment: Sendable, Equatable, Comparable {
    /// The seq of the first event in the segment (the name).
    var firstSeq: UInt64
    /// The full path.
    var path: String

    /// The segment directory's name inside the state directory.
    static let directoryName = "changes"
    /// The directory (inside ``directoryName``) holding oversized payloads.
    static let payloadDirectoryName = "payloads"

    /// `changes/` inside `stateDirectory`.
    static func directory(in stateDirectory: String) -> String {
        AtomicFile.joined(stateDirectory, directoryName)
    }

    /// The file name of the segment starting at `firstSeq`, e.g. `00000000000000000001.ndjson`.
    static func fileName(firstSeq: UInt64) -> String {
        let digits = String(firstSeq)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".ndjson"
    }

    /// The path, relative to the state directory, of the segment starting at `firstSeq`.
    static func relativePath(firstSeq: UInt64) -> String {
        directoryName + "/" + fileName(firstSeq: firstSeq)
    }

    init(firstSeq: UInt64, path: String) {
        self.firstSeq = firstSeq
        self.path = path
    }

    init(stateDirectory: String, firstSeq: UInt64) {
        self.firstSeq = firstSeq
        self.path = AtomicFile.joined(Self.directory(in: stateDirectory), Self.fileName(firstSeq: firstSeq))
    }

    /// The path relative to the state directory, e.g. `changes/00000000000000000001.ndjson`.
    var relativePath: String { Self.relativePath(firstSeq: firstSeq) }

    /// The segment as a path resolved strictly below its state directory (no component may be a link).
    var statePath: StatePath {
        let (directory, name) = AtomicFile.split(path)
        return StatePath(root: AtomicFile.split(directory).directory, components: [Self.directoryName, name])
    }

    /// `changes/` resolved strictly below `stateDirectory`.
    static func directoryPath(in stateDirectory: String) -> StatePath {
        StatePath(root: stateDirectory, components: [directoryName])
    }

    /// Opens this segment (a regular file, never a link or FIFO) with `flags`.
    func open(flags: Int32) throws(StoreError) -> Int32 {
        try Syscall.openFile(statePath, flags: flags)!
    }

    /// The first seq encoded in a segment file name, or nil when `name` is not one.
    static func parseName(_ name: String) -> UInt64? {
        let bytes = Array(name.utf8)
        guard bytes.count == 27, name.hasSuffix(".ndjson") else { return nil }
        var value: UInt64 = 0
        for byte in bytes[0..<20] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// The segments in `stateDirectory`, oldest first; empty when `changes/` does not exist.
    static func list(stateDirectory: String) throws(StoreError) -> [LogSegment] {
        let directory = directory(in: stateDirectory)
        let fd: Int32
        do {
            fd = try Syscall.openDirectory(directoryPath(in: stateDirectory), create: false)
        } catch let error where error.code == .notFound {
            return []
        }
        guard let stream = fdopendir(fd) else {
            let err = errno
            Syscall.closeIgnoringErrors(fd)
            throw Errno(rawValue: err).storeError(operation: "opendir", path: directory)
        }
        defer { closedir(stream) }
        var segments: [LogSegment] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let first = parseName(name) {
                segments.append(LogSegment(firstSeq: first, path: AtomicFile.joined(directory, name)))
            }
        }
        return segments.sorted()
    }

    static func < (lhs: LogSegment, rhs: LogSegment) -> Bool {
        lhs.firstSeq < rhs.firstSeq
    }
}
