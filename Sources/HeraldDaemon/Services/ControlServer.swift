import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The daemon's unix control socket (`<state>/control.sock`, mode 0600): one JSON request line in, one JSON
/// response line out.
///
/// The accept loop runs on its own thread and never reads: each connection gets a thread of its own (at most
/// ``Limits/connections`` at once; more are answered "busy" and closed) that reads the request line under a total
/// deadline and a size cap, hands it to the handler's task, and writes the answer when the work (e.g. a
/// re-ingest) is durable. An idle or dripping client therefore only ever holds its own slot, never the socket.
final class ControlServer: Service, Sendable {
    typealias Handler = @Sendable (ControlRequest) async -> ControlResponse

    /// Bounds on what one client may cost.
    struct Limits: Sendable {
        /// Connections served at once.
        var connections = 16
        /// Total time a client has to send its request line (and later to take the answer).
        var deadline: Duration = .seconds(5)
        /// Longest request line accepted, newline excluded.
        var lineBytes = 64 * 1024
    }

    private let path: String
    private let listenFD: Int32
    private let wakePipe: (read: Int32, write: Int32)
    private let handler: Handler
    private let logger: Logger
    private let limits: Limits
    private let stopped = Mutex(false)
    private let active = Mutex(0)

    /// Binds the socket now, so the daemon is reachable before it reports READY.
    init(path: String, logger: Logger, limits: Limits = Limits(), handler: @escaping Handler) throws {
        self.path = path
        self.handler = handler
        self.logger = logger
        self.limits = limits
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("cannot create the control socket", errno: errno) }
        // fchmod on a socket does not change its path's mode: restrict the path right after bind (the state
        // directory is 0750, so nobody outside the group can reach it in between). No umask change: it is
        // process-wide and would narrow files other threads create meanwhile.
        let bound = UnixSocketAddress.with(path) { bind(fd, $0, $1) }
        guard let bound else {
            close(fd)
            throw SocketError("the control socket path \(path) is longer than 107 bytes; use a shorter state directory", errno: 0)
        }
        guard bound == 0, chmod(path, 0o600) == 0, listen(fd, 64) == 0 else {
            let e = errno
            close(fd)
            unlink(path)
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
        start()
        try? await gracefulShutdown()
        stop()
    }

    /// Starts the accept thread (``run()`` does this; tests call it directly).
    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "herald-control"
        thread.start()
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
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            let admitted = active.withLock { count -> Bool in
                guard count < limits.connections else { return false }
                count += 1
                return true
            }
            guard admitted else {
                // Never wait on a client here: a full send buffer just drops the answer.
                let busy = Array(#"{"error":"the daemon is serving too many control connections; retry","ok":false}"#.utf8) + [0x0A]
                _ = busy.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client)
                active.withLock { $0 -= 1 }
            }
            thread.name = "herald-control-client"
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    /// Reads one request line from `client` within the deadline, runs the handler, writes the answer, closes.
    private func serve(_ client: Int32) {
        defer { close(client) }
        let deadline = ContinuousClock.now + limits.deadline
        let response: ControlResponse
        switch Self.readLine(client, limit: limits.lineBytes, deadline: deadline) {
        case .line(let line):
            if let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) {
                response = Self.wait(for: handler, request)
            } else {
                response = ControlResponse(ok: false, error: "malformed request: expected one JSON object on one line")
            }
        case .tooLong:
            response = ControlResponse(ok: false, error: "request line longer than \(limits.lineBytes) bytes")
        case .timedOut:
            response = ControlResponse(ok: false, error: "no complete request line within \(limits.deadline)")
        case .closed:
            return
        }
        var bytes = Array((try? JSONEncoder().encode(response)) ?? Data("{\"ok\":false}".utf8))
        bytes.append(0x0A)
        if !Self.writeAll(client, bytes, deadline: ContinuousClock.now + limits.deadline) {
            logger.info("control client went away before the answer")
        }
    }

    /// Runs the async handler and blocks this (connection) thread, never a pool thread, until it answers.
    private static func wait(for handler: @escaping Handler, _ request: ControlRequest) -> ControlResponse {
        let result = Mutex<ControlResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let response = await handler(request)
            result.withLock { $0 = response }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 } ?? ControlResponse(ok: false, error: "no answer")
    }

    /// What reading a request line gave.
    enum LineResult: Equatable {
        case line([UInt8])
        case tooLong
        case timedOut
        case closed
    }

    /// Reads up to the first newline from a non-blocking `fd`, waiting with `poll` until `deadline`.
    static func readLine(_ fd: Int32, limit: Int, deadline: ContinuousClock.Instant) -> LineResult {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                let part = chunk[0..<n]
                if let newline = part.firstIndex(of: 0x0A) {
                    buffer.append(contentsOf: part[..<newline])
                    return buffer.count > limit ? .tooLong : .line(buffer)
                }
                buffer.append(contentsOf: part)
                if buffer.count > limit { return .tooLong }
                continue
            }
            if n == 0 { return buffer.isEmpty ? .closed : .line(buffer) }
            let err = errno
            if err == EINTR { continue }
            guard err == EAGAIN || err == EWOULDBLOCK else { return .closed }
            guard waitFor(fd, events: Int16(POLLIN), until: deadline) else { return .timedOut }
        }
    }

    /// Writes all of `bytes` to a non-blocking `fd`, waiting with `poll` until `deadline`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if n > 0 {
                offset += n
                continue
            }
            let err = errno
            if n < 0 && err == EINTR { continue }
            guard n < 0, err == EAGAIN || err == EWOULDBLOCK else { return false }
            guard waitFor(fd, events: Int16(POLLOUT), until: deadline) else { return false }
        }
        return true
    }

    /// Polls `fd` for `events` until `deadline`; false when the deadline passed first.
    private static func waitFor(_ fd: Int32, events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return false }
            let (seconds, attoseconds) = left.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&pfd, 1, milliseconds)
            if n > 0 { return true }
            if n < 0 && errno != EINTR { return false }
        }
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
