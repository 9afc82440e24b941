/// An error from a HeraldStore operation: what failed, on which path, and why.
///
/// The ``message`` is a complete sentence fit for an operator, for example
/// `fsync failed on state/feeds/x.json: Input/output error (EIO)`.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The broad kind of failure.
    public enum Code: String, Sendable {
        /// A read, write, open, rename or similar system call failed.
        case io
        /// `fsync`/`fdatasync` failed: the data may not be on disk. Callers treat this as fatal and never retry.
        case fsync
        /// The file system is full (`ENOSPC`) or the quota is exhausted (`EDQUOT`).
        case noSpace
        /// Another process holds the state directory lock.
        case locked
        /// A file's content is not what Herald wrote (unparseable state file, gap in the change log, ...).
        case corrupt
        /// A file or directory that must exist does not.
        case notFound
        /// Something other than a regular file or directory (a symbolic link, FIFO, socket or device) is where
        /// a state file or directory belongs; it is never followed or opened.
        case wrongFileType
        /// The caller passed something unusable (an empty path, a value that cannot be encoded, ...).
        case invalidArgument
    }

    /// The broad kind of failure.
    public var code: Code
    /// The file or directory the operation was working on (may be empty when there is none).
    public var path: String
    /// A human-readable description of what went wrong and, where possible, what to do.
    public var message: String

    /// Creates an error with the given code, path and message.
    public init(code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
