#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A socket call of ``TestHTTPServer`` failed.
public struct TestServerError: Error, CustomStringConvertible {
    /// The failing call, e.g. `bind`.
    public var operation: String
    /// The errno value.
    public var errno: Int32

    init(operation: String) {
        self.operation = operation
        self.errno = currentErrno()
    }

    /// `operation failed: reason`.
    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}

private func currentErrno() -> Int32 {
    errno
}
