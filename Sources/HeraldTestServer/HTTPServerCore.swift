import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The serving machinery behind ``TestHTTPServer``: the listening socket, the accept thread and one thread per
/// connection. The threads hold this object, not the public server, so dropping the server stops them.
final class HTTPServerCore: Sendable {
    /// How a route answers.
    enum Route: Sendable {
        case fixed(TestResponse)
        case handler(@Sendable (TestRequest) -> TestResponse)
    }

    private struct State {
        var routes: [String: Route] = [:]
        var log: [String: [TestRequest]] = [:]
        var connections: Set<Int32> = []
        var acceptedConnections = 0
        var activeRequests = 0
        var peakActiveRequests = 0
        var stopped = false
    }

    private let listenSocket: Int32
    private let state = Mutex(State())
    let port: Int

    init() throws {
        let fd = socket(AF_INET, socketStreamType, 0)
        guard fd >= 0 else { throw TestServerError(operation: "socket") }
        var enable: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let error = TestServerError(operation: "bind")
            close(fd)
            throw error
        }
        guard listen(fd, 128) == 0 else {
            let error = TestServerError(operation: "listen")
            close(fd)
            throw error
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let error = TestServerError(operation: "getsockname")
            close(fd)
            throw error
        }
        listenSocket = fd
        port = Int(UInt16(bigEndian: address.sin_port))

        let thread = Thread { [self] in acceptLoop() }
        thread.name = "test-http-accept"
        thread.start()
    }

    func route(_ path: String, _ route: Route) {
        state.withLock { $0.routes[path] = route }
    }

    func requests(for path: String) -> [TestRequest] {
        state.withLock { $0.log[path] ?? [] }
    }

    var acceptedConnectionCount: Int {
        state.withLock { $0.acceptedConnections }
    }

    var peakConcurrentRequestCount: Int {
        state.withLock { $0.peakActiveRequests }
    }

    /// Stops accepting; shutting the sockets down wakes the threads blocked on them.
    func stop() {
        let connections = state.withLock { state -> Set<Int32>? in
            guard !state.stopped else { return nil }
            state.stopped = true
            return state.connections
        }
        guard let connections else { return }
        // shutdown() wakes the blocked accept/recv; each socket is closed by the thread that owns it.
        _ = shutdown(listenSocket, Int32(SHUT_RDWR))
        for fd in connections { _ = shutdown(fd, Int32(SHUT_RDWR)) }
    }

    // MARK: - Serving

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while true {
            let fd = accept(listenSocket, nil, nil)
            if fd < 0 {
                let code = errno
                if isStopped { break }
                if code == EINTR || code == ECONNABORTED { continue }
                usleep(10_000)  // e.g. EMFILE: back off instead of spinning
                continue
            }
            let registered = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.connections.insert(fd)
                state.acceptedConnections += 1
                return true
            }
            guard registered else {
                close(fd)
                break
            }
            var enable: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &enable, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in
                serve(connection: fd)
                state.withLock { _ = $0.connections.remove(fd) }
                close(fd)
            }
            thread.name = "test-http-connection"
            thread.start()
        }
        close(listenSocket)
    }

    private func serve(connection fd: Int32) {
        var reader = SocketReader(fd: fd)
        while let request = reader.readRequest() {
            let response = respond(to: request)
            guard writeAll(fd, response.bytes) else { return }
            if !response.keepAlive { return }
        }
    }

    private func respond(to request: TestRequest) -> (bytes: [UInt8], keepAlive: Bool) {
        var request = request
        request.receivedAt = .now
        let route = state.withLock { state -> Route? in
            state.log[request.path, default: []].append(request)
            state.activeRequests += 1
            state.peakActiveRequests = max(state.peakActiveRequests, state.activeRequests)
            if let exact = state.routes[request.target] ?? state.routes[request.path] { return exact }
            // A route ending in "/" also serves every path below it (the longest such prefix wins).
            let prefix = state.routes.keys.filter { $0.hasSuffix("/") && request.path.hasPrefix($0) }.max { $0.count < $1.count }
            return prefix.flatMap { state.routes[$0] }
        }
        let response: TestResponse
        switch route {
        case .fixed(let fixed): response = fixed
        case .handler(let handler): response = handler(request)
        case nil: response = TestResponse(status: 404, contentType: "text/plain", text: "not found\n")
        }
        if let delay = response.delay {
            let (seconds, attoseconds) = delay.components
            let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
            if micros > 0 { usleep(useconds_t(clamping: micros)) }
        }
        // The request counts as served before its bytes go out, so a client that starts its next request on
        // receipt is never counted twice: the peak is never above what the client really had in flight.
        state.withLock { $0.activeRequests -= 1 }
        if let raw = response.raw {
            return (raw, false)
        }
        let connectionHeader = request.headers["connection"]?.lowercased()
        let keepAlive =
            request.version == "HTTP/1.0" ? connectionHeader == "keep-alive" : connectionHeader != "close"
        return (ResponseEncoder.encode(response, for: request, keepAlive: keepAlive), keepAlive)
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, sendFlags) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

#if canImport(Glibc)
    private let socketStreamType = Int32(SOCK_STREAM.rawValue)
    private let sendFlags = Int32(MSG_NOSIGNAL)
#else
    private let socketStreamType = SOCK_STREAM
    private let sendFlags: Int32 = 0
#endif
