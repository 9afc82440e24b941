import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads `file://` URLs on a dispatch queue of its own, never on the curl thread or the cooperative pool.
///
/// Only regular files are read: the file is opened with `O_NOFOLLOW | O_NONBLOCK` (so neither a symbolic link
/// nor a FIFO without a writer can hold the open), checked with `fstat`, and read up to
/// ``FetchConfiguration/maxBodyBytes`` within ``FetchConfiguration/totalTimeout``.
final class LocalFileReader: Sendable {
    private let queue = DispatchQueue(label: "herald-local-files")
    private let configuration: FetchConfiguration

    init(configuration: FetchConfiguration) {
        self.configuration = configuration
    }

    /// Reads the file on the reader's queue and passes the outcome to `completion` there.
    func read(_ url: String, completion: @escaping @Sendable (Result<FetchResponse, FetchError>) -> Void) {
        queue.async { [configuration] in
            completion(LocalFileReader.read(url, configuration: configuration))
        }
    }

    static func read(_ url: String, configuration: FetchConfiguration) -> Result<FetchResponse, FetchError> {
        let deadline = ContinuousClock.now.advanced(by: configuration.totalTimeout)
        guard let parts = CurlURL(url, decodePath: true), parts.scheme == "file",
            parts.host.isEmpty || parts.host == "localhost", !parts.path.utf8.contains(0)
        else {
            return .failure(FetchError(.invalidURL, "\(url) is not a local file URL (file:///path/to/file)"))
        }
        let path = parts.path
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP {
                return .failure(
                    FetchError(
                        .notRegularFile,
                        "\(path) is a symbolic link; symbolic links are not followed, name the file itself"
                    )
                )
            }
            return .failure(FetchError(.network, "could not open \(path): \(String(cString: strerror(code)))"))
        }
        defer { close(descriptor) }

        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            return .failure(FetchError(.network, "could not inspect \(path): \(String(cString: strerror(code)))"))
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            let what: String
            switch type {
            case S_IFDIR: what = "a directory"
            case S_IFIFO: what = "a FIFO (named pipe)"
            case S_IFCHR, S_IFBLK: what = "a device"
            case S_IFSOCK: what = "a socket"
            default: what = "not a regular file"
            }
            return .failure(
                FetchError(.notRegularFile, "\(path) is \(what); only regular files are read from file:// URLs")
            )
        }
        let limit = configuration.maxBodyBytes
        let tooLarge = FetchError(
            .tooLarge,
            "\(path) is larger than \(FetchConfiguration.describeBytes(limit)); raise limits.max_body_bytes if "
                + "this file is legitimately that large"
        )
        if Int(info.st_size) > limit { return .failure(tooLarge) }

        var body: [UInt8] = []
        body.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if ContinuousClock.now >= deadline {
                return .failure(
                    FetchError(
                        .timeout,
                        "reading \(path) took longer than limits.total_timeout (\(configuration.totalTimeout))"
                    )
                )
            }
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                return .failure(FetchError(.network, "could not read \(path): \(String(cString: strerror(code)))"))
            }
            if count == 0 { break }
            if body.count + count > limit { return .failure(tooLarge) }
            body.append(contentsOf: chunk[..<count])
        }
        return .success(
            FetchResponse(
                status: 200,
                headers: ["content-length": String(body.count)],
                body: body,
                effectiveURL: url
            )
        )
    }
}

#if canImport(Glibc)
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    private let systemRead = Darwin.read
#endif
