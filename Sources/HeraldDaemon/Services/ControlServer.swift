import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The daemon's unix control socket (`<state>/control.sock`, mode 0600): one JSON request line in, one JSON
/// response line out. Accepting runs on its own thread so the cooperative pool never blocks; each request is
/// then handled by a task, and the response written when the work (e.g. a re-ingest) is durable.
final class ControlServer: Service, Sendable {
    typealias Handler = @Sendable (ControlRequest) async -> ControlResponse

    private let path: String
    private let listenFD: Int32
    private let wakePipe: (read: Int32, write: Int32)
    private let handler: Handler
    private let logger: Logger
    private let stopped = Mutex(false)

    /// Binds the socket now, so the daemon is reachable before it reports READY.
    init(path: String, logger: Logger, handler: @escaping Handler) throws {
        self.path = path
        self.handler = handler
        self.logger = logger
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("cannot create the control socket", errno: errno) }
        let oldMask = umask(0o177)
        let bound = UnixSocketAddress.with(path) { bind(fd, $0, $1) }
        umask(oldMask)
        guard let bound else {
            close(fd)
            throw SocketError("the control socket path \(path) is longer than 107 bytes; use a shorter state directory", errno: 0)
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let e = errno
            close(fd)
            throw SocketError("cannot listen on \(path)", errno: e)
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(fd)
            throw SocketError("cannot create a pipe", errno: errno)
        }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        listenFD = fd
        wakePipe = (fds[0], fds[1])
    }

    func run() async throws {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "herald-control"
        thread.start()
        try? await gracefulShutdown()
        stop()
    }

    func stop() {
        let already = stopped.withLock { s -> Bool in
            defer { s = true }
            return s
        }
        guard !already else { return }
        var byte: UInt8 = 1
        _ = write(wakePipe.write, &byte, 1)
    }

    private func acceptLoop() {
        defer {
            close(listenFD)
            unlink(path)
            close(wakePipe.read)
            close(wakePipe.write)
        }
        while true {
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 {
                if errno == EINTR { continue }
                logger.error("control socket poll failed: \(String(cString: strerror(errno)))")
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(listenFD, nil, nil)
            if client < 0 { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard let line = Self.readLine(client) else {
                close(client)
                continue
            }
            let handler = self.handler
            let logger = self.logger
            Task {
                let response: ControlResponse
                if let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) {
                    response = await handler(request)
                } else {
                    response = ControlResponse(ok: false, error: "malformed request: expected one JSON object on one line")
                }
                var bytes = Array((try? JSONEncoder().encode(response)) ?? Data("{\"ok\":false}".utf8))
                bytes.append(0x0A)
                if !Self.writeAll(client, bytes) {
                    logger.info("control client went away before the answer")
                }
                close(client)
            }
        }
    }

    static func readLine(_ fd: Int32, limit: Int = 65536) -> [UInt8]? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while buffer.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return buffer.isEmpty ? nil : buffer }
            buffer.append(contentsOf: chunk[0..<n])
            if let newline = buffer.firstIndex(of: 0x0A) { return Array(buffer[..<newline]) }
        }
        return nil
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

/// A socket call failed.
struct SocketError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String, errno code: Int32) {
        self.message = code == 0 ? message : "\(message): \(String(cString: strerror(code)))"
    }
    var description: String { message }
}
